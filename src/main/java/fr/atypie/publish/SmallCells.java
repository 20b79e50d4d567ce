package fr.atypie.publish;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Statistical secrecy: a published row built on fewer than {@link #threshold()} patients shows
 * neither its counts nor its measures, and says so in the {@link PublishColumns#SECRET} column.
 *
 * <p>A row is secret when any of its patient-count columns is below the threshold, zero
 * included, or null (an unknown count is treated as small). Keys and labels stay visible, so a
 * reader sees that the cell exists and is hidden. Only primary suppression is done here: when a
 * hidden cell could be recovered by subtracting the visible cells from a published total, the
 * stage that publishes the total must hide a second cell (secondary suppression).
 */
public final class SmallCells {
    private final int threshold;

    public SmallCells(int threshold) {
        if (threshold < PublishSettings.MIN_SMALL_CELL_THRESHOLD) {
            throw new IllegalArgumentException("small-cell threshold " + threshold + " is below "
                    + PublishSettings.MIN_SMALL_CELL_THRESHOLD + ": statistical secrecy forbids it");
        }
        this.threshold = threshold;
    }

    public static SmallCells from(PublishSettings settings) {
        return new SmallCells(settings.smallCellThreshold());
    }

    public int threshold() {
        return threshold;
    }

    /** What workbooks and reports show in place of a hidden value, e.g. "< 10". */
    public String hiddenLabel() {
        return "< " + threshold;
    }

    /**
     * Blanks the counts and measures of small rows and adds (or, if present, extends with an OR)
     * the {@code secret} column. Other columns and the column order are kept; {@code secret} comes
     * last when it is new.
     *
     * @param patientCounts the columns holding numbers of distinct patients
     * @param measures      columns computed from those patients (rates, days, amounts...)
     */
    public Dataset<Row> hide(Dataset<Row> table, List<String> patientCounts, List<String> measures) {
        requireColumns(List.of(table.schema().fields()), patientCounts, measures);
        Column small = lit(false);
        for (String c : patientCounts) {
            small = small.or(col(c).isNull()).or(col(c).lt(threshold));
        }
        boolean hasSecret = List.of(table.columns()).contains(PublishColumns.SECRET);
        Column secret = hasSecret ? coalesce(col(PublishColumns.SECRET), lit(false)).or(small) : small;

        Set<String> blanked = new LinkedHashSet<>(patientCounts);
        blanked.addAll(measures);
        List<Column> out = new ArrayList<>();
        for (StructField f : table.schema().fields()) {
            if (blanked.contains(f.name())) {
                out.add(when(secret, lit(null).cast(f.dataType())).otherwise(col(f.name())).as(f.name()));
            } else if (f.name().equals(PublishColumns.SECRET)) {
                out.add(secret.as(PublishColumns.SECRET));
            } else {
                out.add(col(f.name()));
            }
        }
        if (!hasSecret) {
            out.add(secret.as(PublishColumns.SECRET));
        }
        return table.select(out.toArray(Column[]::new));
    }

    /**
     * Fails when {@code table} would publish a small cell: a patient count below the threshold,
     * or a row flagged secret that still shows a count or a measure. Call it before every export.
     * The message names the table, the columns and the number of offending rows, never a value
     * that could identify anyone.
     */
    public void assertNoSmallCells(String tableName, Dataset<Row> table, List<String> patientCounts, List<String> measures) {
        requireColumns(List.of(table.schema().fields()), patientCounts, measures);
        List<String> shown = shownOnSecretRows(List.of(table.columns()).contains(PublishColumns.SECRET), patientCounts, measures);
        List<Column> checks = new ArrayList<>();
        for (String c : patientCounts) {
            checks.add(col(c).isNotNull().and(col(c).lt(threshold)));
        }
        for (String c : shown) {
            checks.add(coalesce(col(PublishColumns.SECRET), lit(false)).and(col(c).isNotNull()));
        }
        Column any = lit(false);
        List<Column> counters = new ArrayList<>();
        for (Column check : checks) {
            any = any.or(check);
            counters.add(org.apache.spark.sql.functions.sum(when(check, 1L).otherwise(0L)));
        }
        counters.add(org.apache.spark.sql.functions.sum(when(any, 1L).otherwise(0L)));
        Row r = table.agg(counters.get(0), counters.subList(1, counters.size()).toArray(Column[]::new)).first();
        long[] offending = new long[checks.size()];
        for (int i = 0; i < checks.size(); i++) {
            offending[i] = r.isNullAt(i) ? 0 : r.getLong(i);
        }
        failOn(tableName, r.isNullAt(checks.size()) ? 0 : r.getLong(checks.size()), offending, patientCounts, shown);
    }

    /**
     * As {@link #assertNoSmallCells(String, Dataset, List, List)}, on a table already brought to the
     * driver to be written: the same checks and message, read from its rows (a Spark job per published
     * table saved, and the check sees exactly the rows the files get).
     */
    public void assertNoSmallCells(String tableName, ExportTable table, List<String> patientCounts, List<String> measures) {
        requireColumns(table.fields(), patientCounts, measures);
        int secret = table.secretIndex();
        List<String> shown = shownOnSecretRows(secret >= 0, patientCounts, measures);
        int[] counted = patientCounts.stream().mapToInt(table.columns()::indexOf).toArray();
        int[] hidden = shown.stream().mapToInt(table.columns()::indexOf).toArray();
        long[] offending = new long[counted.length + hidden.length];
        long bad = 0;
        for (Row r : table.rows()) {
            boolean any = false;
            for (int i = 0; i < counted.length; i++) {
                if (!r.isNullAt(counted[i]) && below(r.get(counted[i]))) {
                    offending[i]++;
                    any = true;
                }
            }
            boolean isSecret = secret >= 0 && !r.isNullAt(secret) && r.getBoolean(secret);
            for (int j = 0; j < hidden.length; j++) {
                if (isSecret && !r.isNullAt(hidden[j])) {
                    offending[counted.length + j]++;
                    any = true;
                }
            }
            bad += any ? 1 : 0;
        }
        failOn(tableName, bad, offending, patientCounts, shown);
    }

    /** A patient count below the threshold, compared exactly as Spark compares the column with it. */
    private boolean below(Object count) {
        if (count instanceof java.math.BigDecimal d) {
            return d.compareTo(java.math.BigDecimal.valueOf(threshold)) < 0;
        }
        if (count instanceof Double || count instanceof Float) {
            return ((Number) count).doubleValue() < threshold;
        }
        return ((Number) count).longValue() < threshold;
    }

    /** The columns no secret row may show: the counts, then the measures, each once (none without a secret column). */
    private static List<String> shownOnSecretRows(boolean hasSecret, List<String> patientCounts, List<String> measures) {
        return hasSecret ? List.copyOf(new LinkedHashSet<>(concat(patientCounts, measures))) : List.of();
    }

    /**
     * Throws when {@code bad} rows offend; {@code offending}: rows per check, the counts below the
     * threshold (one per {@code patientCounts}) then the columns shown on secret rows ({@code shown}).
     */
    private void failOn(String tableName, long bad, long[] offending, List<String> patientCounts, List<String> shown) {
        if (bad == 0) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        patientCounts.forEach(c -> reasons.add("column " + c + " below " + threshold + " patients"));
        shown.forEach(c -> reasons.add("column " + c + " shown on secret rows"));
        List<String> details = new ArrayList<>();
        for (int i = 0; i < offending.length; i++) {
            if (offending[i] > 0) {
                details.add(reasons.get(i) + ": " + offending[i] + " row(s)");
            }
        }
        throw new SmallCellError("table " + tableName + ": " + bad + " row(s) would publish cells built on fewer than "
                + threshold + " patients (" + String.join("; ", details) + ")");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void requireColumns(List<StructField> fields, List<String> patientCounts, List<String> measures) {
        if (patientCounts.isEmpty()) {
            throw new IllegalArgumentException("statistical secrecy needs at least one patient-count column");
        }
        List<String> present = fields.stream().map(StructField::name).toList();
        for (String c : concat(patientCounts, measures)) {
            if (!present.contains(c)) {
                throw new IllegalArgumentException("column " + c + " is not in the table (columns: " + present + ")");
            }
        }
        for (String c : patientCounts) {
            DataType t = fields.get(present.indexOf(c)).dataType();
            if (!(t instanceof NumericType)) {
                throw new IllegalArgumentException("patient-count column " + c + " is " + t.simpleString() + ", not a number");
            }
        }
    }
}
