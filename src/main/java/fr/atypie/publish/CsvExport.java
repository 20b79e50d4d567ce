package fr.atypie.publish;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.TimestampType;

/**
 * One CSV file per table, written from the driver (exports are small), byte-identical from one
 * run to the next: rows sorted ({@link ExportTable}), numbers rounded and written without locale,
 * CRLF line ends (RFC 4180, and what Excel writes), French headers from {@link ColumnLabels}.
 * Fields are quoted only when they hold the separator, a quote or a line break. Hidden cells are
 * empty and the row's {@code secret} column says "oui"; booleans are "oui"/"non".
 */
public final class CsvExport {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String EOL = "\r\n";

    private final CsvFormat format;
    private final ColumnLabels labels;   // null: the plain form

    public CsvExport(CsvFormat format, ColumnLabels labels) {
        this.format = format;
        this.labels = labels;
    }

    /**
     * The plain form, for every tool ({@link CsvFormat#PLAIN}): the snake_case column names of the
     * Parquet contract as headers, '.' decimals, booleans true/false, dates ISO-8601, hidden cells
     * empty with {@code secret} = true.
     */
    public static CsvExport plain() {
        return new CsvExport(CsvFormat.PLAIN, null);
    }

    /** Writes {@code table} sorted by {@code sortKeys} to {@code file}; returns the number of data rows. */
    public long write(String name, Dataset<Row> table, List<String> sortKeys, Path file) throws IOException {
        return write(ExportTable.collect(name, table, sortKeys), file);
    }

    public long write(ExportTable table, Path file) throws IOException {
        List<String> headers = labels == null ? table.columns() : labels.headers(table.name(), table.columns());
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (OutputStream out = Files.newOutputStream(file);
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            if (format.bom()) {
                out.write(BOM);
            }
            line(w, headers);
            String[] cells = new String[headers.size()];
            for (Row row : table.rows()) {
                for (int c = 0; c < cells.length; c++) {
                    cells[c] = text(row, c, table.fields().get(c).dataType(), table.columns().get(c));
                }
                line(w, List.of(cells));
            }
        }
        return table.rows().size();
    }

    private String text(Row row, int c, DataType type, String column) {
        if (row.isNullAt(c)) {
            return "";
        }
        Object v = row.get(c);
        if (type instanceof NumericType) {
            return CellText.number((Number) v, format.maxDecimals(), format.decimalSeparator(), column);
        }
        if (type instanceof BooleanType) {
            return labels == null ? v.toString() : CellText.bool((Boolean) v);
        }
        if (type instanceof DateType || type instanceof TimestampType) {
            return CellText.temporal(v);
        }
        return v.toString();
    }

    private void line(BufferedWriter w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(format.separator());
            }
            w.write(quoted(cells.get(i)));
        }
        w.write(EOL);
    }

    String quoted(String s) {
        boolean needs = s.indexOf(format.separator()) >= 0 || s.indexOf('"') >= 0
                || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
