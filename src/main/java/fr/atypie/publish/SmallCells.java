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
        requireColumns(table, patientCounts, measures);
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
        requireColumns(table, patientCounts, measures);
        boolean hasSecret = List.of(table.columns()).contains(PublishColumns.SECRET);
        List<Column> checks = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (String c : patientCounts) {
            checks.add(col(c).isNotNull().and(col(c).lt(threshold)));
            reasons.add("column " + c + " below " + threshold + " patients");
        }
        if (hasSecret) {
            for (String c : new LinkedHashSet<>(concat(patientCounts, measures))) {
                checks.add(coalesce(col(PublishColumns.SECRET), lit(false)).and(col(c).isNotNull()));
                reasons.add("column " + c + " shown on secret rows");
            }
        }
        Column any = lit(false);
        List<Column> counters = new ArrayList<>();
        for (Column check : checks) {
            any = any.or(check);
            counters.add(org.apache.spark.sql.functions.sum(when(check, 1L).otherwise(0L)));
        }
        counters.add(org.apache.spark.sql.functions.sum(when(any, 1L).otherwise(0L)));
        Row r = table.agg(counters.get(0), counters.subList(1, counters.size()).toArray(Column[]::new)).first();
        long bad = r.isNullAt(checks.size()) ? 0 : r.getLong(checks.size());
        if (bad == 0) {
            return;
        }
        List<String> details = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            long n = r.isNullAt(i) ? 0 : r.getLong(i);
            if (n > 0) {
                details.add(reasons.get(i) + ": " + n + " row(s)");
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

    private static void requireColumns(Dataset<Row> table, List<String> patientCounts, List<String> measures) {
        if (patientCounts.isEmpty()) {
            throw new IllegalArgumentException("statistical secrecy needs at least one patient-count column");
        }
        List<String> present = List.of(table.columns());
        for (String c : concat(patientCounts, measures)) {
            if (!present.contains(c)) {
                throw new IllegalArgumentException("column " + c + " is not in the table (columns: " + present + ")");
            }
        }
        for (String c : patientCounts) {
            DataType t = table.schema().apply(c).dataType();
            if (!(t instanceof NumericType)) {
                throw new IllegalArgumentException("patient-count column " + c + " is " + t.simpleString() + ", not a number");
            }
        }
    }
}
