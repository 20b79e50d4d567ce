package fr.atypie.publish.report;

import fr.atypie.publish.ColumnLabels;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.PublishColumns;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** A table of the HTML report: French headers, display text per cell, hidden cells flagged. */
public record ReportTable(String caption, List<String> headers, List<Boolean> numeric, List<List<Cell>> rows) {

    public ReportTable {
        headers = List.copyOf(headers);
        numeric = List.copyOf(numeric);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<Cell> r : rows) {
            if (r.size() != headers.size()) {
                throw new IllegalArgumentException("table " + caption + ": a row has " + r.size() + " cells for "
                        + headers.size() + " columns");
            }
        }
    }

    /**
     * One cell: its display text, or hidden by statistical secrecy; {@code tone} (a CSS class:
     * good, mid, bad, high, low) colours it against an objective or a reference, {@code tip} is
     * its hover text.
     */
    public record Cell(String text, boolean hidden, String tone, String tip) {
        public Cell(String text, boolean hidden) {
            this(text, hidden, null, null);
        }

        public static Cell of(String text) {
            return new Cell(text, false);
        }

        public static Cell toned(String text, String tone, String tip) {
            return new Cell(text, false, tone, tip);
        }

        public static final Cell HIDDEN = new Cell("", true);
    }

    /**
     * A published table shown as is (rows in the table's order); the {@code secret} column is
     * not shown, its rows' hidden numbers are. Integers without decimals, other numbers with
     * {@code decimals} (per column, default 2), French formatting.
     */
    public static ReportTable of(String caption, ExportTable t, ColumnLabels labels, Map<String, Integer> decimals) {
        List<Integer> shown = new ArrayList<>();
        for (int c = 0; c < t.columns().size(); c++) {
            if (!t.columns().get(c).equals(PublishColumns.SECRET)) {
                shown.add(c);
            }
        }
        List<String> names = shown.stream().map(c -> t.columns().get(c)).toList();
        List<String> headers = labels.headers(t.name(), names);
        List<Boolean> numeric = shown.stream().map(c -> t.fields().get(c).dataType() instanceof NumericType).toList();
        List<List<Cell>> rows = new ArrayList<>();
        for (Row r : t.rows()) {
            List<Cell> cells = new ArrayList<>();
            for (int c : shown) {
                cells.add(t.isHidden(r, c) ? Cell.HIDDEN : Cell.of(text(r, c, t.fields().get(c), decimals)));
            }
            rows.add(cells);
        }
        return new ReportTable(caption, headers, numeric, rows);
    }

    private static String text(Row r, int c, StructField f, Map<String, Integer> decimals) {
        if (r.isNullAt(c)) {
            return "";
        }
        Object v = r.get(c);
        if (f.dataType() instanceof NumericType) {
            boolean fractional = f.dataType() instanceof DoubleType || f.dataType() instanceof FloatType
                    || (f.dataType() instanceof DecimalType d && d.scale() > 0);
            int places = fractional ? decimals.getOrDefault(f.name(), 2) : 0;
            return FrenchFormat.number(((Number) v).doubleValue(), places);
        }
        if (f.dataType() instanceof BooleanType) {
            return (Boolean) v ? "oui" : "non";
        }
        if (f.dataType() instanceof DateType) {
            return ((Date) v).toLocalDate().format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        }
        return v.toString();
    }

    boolean anyHidden() {
        return rows.stream().flatMap(List::stream).anyMatch(Cell::hidden);
    }
}
