package fr.atypie.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampType;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Excel workbooks for the DCGDR and medical-service teams (fastexcel): one workbook per
 * department, one sheet per action list. French headers in a bold, frozen, filterable first row;
 * numbers stored as numbers (Excel formats them in the reader's locale); hidden cells shown as
 * the text "&lt; 10"; column widths from the content.
 *
 * <p>Byte-identical re-runs: fastexcel stamps {@code docProps/core.xml} with the current time and
 * zip entries carry timestamps, so the written package is re-zipped with the creation date set to
 * the caller's {@code documentDate} (e.g. the last day of the published month) and every entry
 * dated that day at midnight.
 */
public final class XlsxExport {
    /** The accompaniment ladder's action lists, in the order the teams read them. */
    public static final List<String> ACTION_SHEETS =
            List.of("Visites DAM", "Échanges confraternels", "MSO-MSAP", "Retour positif");

    private static final Pattern SHEET_NAME = Pattern.compile("[^\\[\\]:*?/\\\\]{1,31}");
    private static final Pattern FILE_PART = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern CREATED = Pattern.compile(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">[^<]*</dcterms:created>");
    private static final String INTEGER_FORMAT = "#,##0";
    private static final String DECIMAL_FORMAT = "#,##0.00";
    private static final String HEADER_FILL = "DCE6F1";
    private static final String HIDDEN_COLOR = "7F7F7F";

    private final ColumnLabels labels;
    private final String hiddenText;

    public XlsxExport(ColumnLabels labels, SmallCells cells) {
        this.labels = labels;
        this.hiddenText = cells.hiddenLabel();
    }

    /**
     * One action list: its sheet name, its rows, the keys that order them, and what a department's
     * sheet says under its header when it has no row (why the list is empty).
     */
    public record Sheet(String name, Dataset<Row> rows, List<String> sortKeys, String emptyNote) {
        public Sheet {
            if (!SHEET_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("sheet name '" + name
                        + "' must have 1 to 31 characters and none of [ ] : * ? / \\");
            }
            sortKeys = List.copyOf(sortKeys);
        }

        public Sheet(String name, Dataset<Row> rows, List<String> sortKeys) {
            this(name, rows, sortKeys, EMPTY_NOTE);
        }
    }

    /** The note of an empty sheet when the caller gives none. */
    public static final String EMPTY_NOTE = "Aucune ligne ce mois-ci pour ce département.";

    /** The first sheet of every workbook: what it holds, for which month, window and thresholds. */
    public static final String READ_ME = "Lisez-moi";

    /** Text columns whose longest value exceeds this many characters are wrapped in a wide column. */
    static final int WRAP_FROM = 60;

    /** Integer codes shown with their label (the number alone means nothing to a reader). */
    static final Map<String, java.util.function.Function<Object, String>> DISPLAY =
            Map.of("specialty", v -> Specialties.label(((Number) v).intValue()));

    /**
     * Writes {@code <dir>/<prefix>-<dept>.xlsx} for every department found in any list, each with
     * all the sheets in order (a sheet with only its header when the department has no row there).
     * Returns file name → data rows written, in department order.
     */
    public Map<String, Long> writePerDepartment(Path dir, String prefix, String deptColumn, List<Sheet> sheets,
                                                LocalDate documentDate) throws IOException {
        return writePerDepartment(dir, prefix, deptColumn, sheets, documentDate, List.of());
    }

    /**
     * As above, each workbook opening on a {@value #READ_ME} sheet of (heading, text) lines when
     * {@code readMe} is not empty; its first line is followed by the department.
     */
    public Map<String, Long> writePerDepartment(Path dir, String prefix, String deptColumn, List<Sheet> sheets,
                                                LocalDate documentDate, List<String[]> readMe) throws IOException {
        return writePerDepartment(dir, prefix, deptColumn, sheets, documentDate, readMe, sheet -> { });
    }

    /**
     * As above, {@code check} given each sheet's rows once brought to the driver, before any workbook is
     * written (statistical secrecy: it throws to stop the export).
     */
    public Map<String, Long> writePerDepartment(Path dir, String prefix, String deptColumn, List<Sheet> sheets,
                                                LocalDate documentDate, List<String[]> readMe,
                                                java.util.function.Consumer<ExportTable> check) throws IOException {
        if (!FILE_PART.matcher(prefix).matches()) {
            throw new IllegalArgumentException("file prefix '" + prefix + "' must match " + FILE_PART.pattern());
        }
        List<ExportTable> tables = new ArrayList<>();
        TreeMap<String, List<List<Row>>> byDept = new TreeMap<>();
        for (int s = 0; s < sheets.size(); s++) {
            Sheet sheet = sheets.get(s);
            List<String> keys = new ArrayList<>();
            keys.add(deptColumn);
            keys.addAll(sheet.sortKeys());
            ExportTable t = ExportTable.collect(sheet.name(), sheet.rows(), keys);
            check.accept(t);
            tables.add(t);
            int d = t.columns().indexOf(deptColumn);
            for (Row r : t.rows()) {
                String dept = r.isNullAt(d) ? null : r.get(d).toString();
                if (dept == null || !FILE_PART.matcher(dept).matches()) {
                    throw new IllegalArgumentException("sheet " + sheet.name() + ": department '" + dept
                            + "' in column " + deptColumn + " cannot name a file");
                }
                List<List<Row>> perSheet = byDept.computeIfAbsent(dept, k -> emptyLists(sheets.size()));
                perSheet.get(s).add(r);
            }
        }
        Files.createDirectories(dir);
        Map<String, Long> written = new LinkedHashMap<>();
        for (Map.Entry<String, List<List<Row>>> e : byDept.entrySet()) {
            List<ExportTable> deptSheets = new ArrayList<>();
            for (int s = 0; s < tables.size(); s++) {
                deptSheets.add(new ExportTable(tables.get(s).name(), tables.get(s).fields(), e.getValue().get(s)));
            }
            String file = prefix + "-" + e.getKey() + ".xlsx";
            List<String[]> lines = new ArrayList<>();
            if (!readMe.isEmpty()) {
                lines.add(readMe.get(0));
                lines.add(new String[] {"Département", fr.atypie.publish.report.Departments.label(e.getKey())});
                lines.addAll(readMe.subList(1, readMe.size()));
            }
            Map<String, String> notes = new TreeMap<>();
            sheets.forEach(sh -> notes.put(sh.name(), sh.emptyNote()));
            written.put(file, writeWorkbook(dir.resolve(file), deptSheets, documentDate, lines, notes));
        }
        return written;
    }

    /** Writes one workbook with one sheet per table (sheet name = table name); returns data rows written. */
    public long writeWorkbook(Path file, List<ExportTable> sheets, LocalDate documentDate) throws IOException {
        return writeWorkbook(file, sheets, documentDate, List.of(), Map.of());
    }

    /**
     * Writes one workbook: a {@value #READ_ME} sheet first when {@code readMe} has lines, then one
     * sheet per table; an empty table's sheet says why under its header ({@code emptyNotes} by
     * sheet name, {@link #EMPTY_NOTE} by default). Returns data rows written.
     */
    public long writeWorkbook(Path file, List<ExportTable> sheets, LocalDate documentDate, List<String[]> readMe,
                              Map<String, String> emptyNotes) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long rows = 0;
        Workbook wb = new Workbook(buffer, "atypie", "1.0");
        if (!readMe.isEmpty()) {
            writeReadMe(wb.newWorksheet(READ_ME), readMe);
        }
        for (ExportTable t : sheets) {
            if (!SHEET_NAME.matcher(t.name()).matches()) {
                throw new IllegalArgumentException("sheet name '" + t.name() + "' must have 1 to 31 characters and none of [ ] : * ? / \\");
            }
            Worksheet ws = wb.newWorksheet(t.name());
            writeSheet(ws, t);
            if (t.rows().isEmpty()) {
                ws.value(1, 0, emptyNotes.getOrDefault(t.name(), EMPTY_NOTE));
                ws.style(1, 0).italic().fontColor(HIDDEN_COLOR).set();
            }
            rows += t.rows().size();
        }
        wb.finish();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, normalise(buffer.toByteArray(), documentDate));
        return rows;
    }

    private static void writeReadMe(Worksheet ws, List<String[]> lines) {
        ws.value(0, 0, "Rubrique");
        ws.value(0, 1, "Contenu");
        ws.style(0, 0).bold().fillColor(HEADER_FILL).set();
        ws.style(0, 1).bold().fillColor(HEADER_FILL).set();
        for (int i = 0; i < lines.size(); i++) {
            ws.value(i + 1, 0, lines.get(i)[0]);
            ws.style(i + 1, 0).bold().verticalAlignment("top").wrapText(true).set();
            ws.value(i + 1, 1, lines.get(i)[1]);
            ws.style(i + 1, 1).wrapText(true).verticalAlignment("top").set();
        }
        ws.width(0, 30);
        ws.width(1, 110);
    }

    private void writeSheet(Worksheet ws, ExportTable t) {
        List<String> headers = labels.headers(t.name(), t.columns());
        int[] width = new int[headers.size()];
        for (int c = 0; c < headers.size(); c++) {
            ws.value(0, c, headers.get(c));
            ws.style(0, c).bold().fillColor(HEADER_FILL).wrapText(true).verticalAlignment("center").set();
            width[c] = Math.min(headers.get(c).length(), 30);   // long headers wrap instead
        }
        for (int r = 0; r < t.rows().size(); r++) {
            Row row = t.rows().get(r);
            for (int c = 0; c < headers.size(); c++) {
                width[c] = Math.max(width[c], cell(ws, r + 1, c, row, t));
            }
        }
        for (int c = 0; c < headers.size(); c++) {
            if (width[c] > WRAP_FROM) {
                // Long reasons and drivers wrap in a wide column instead of running off screen.
                ws.width(c, WRAP_FROM);
                for (int r = 1; r <= t.rows().size(); r++) {
                    ws.style(r, c).wrapText(true).verticalAlignment("top").set();
                }
            } else {
                ws.width(c, Math.max(8, Math.min(50, width[c] + 2)));
            }
        }
        ws.freezePane(0, 1);
        ws.setAutoFilter(0, 0, headers.size() - 1);
    }

    /** Writes one cell; returns the width in characters its text needs. */
    private int cell(Worksheet ws, int r, int c, Row row, ExportTable t) {
        StructField f = t.fields().get(c);
        DataType type = f.dataType();
        if (t.isHidden(row, c)) {
            ws.value(r, c, hiddenText);
            ws.style(r, c).horizontalAlignment("right").italic().fontColor(HIDDEN_COLOR).set();
            return hiddenText.length();
        }
        if (row.isNullAt(c)) {
            return 0;
        }
        Object v = row.get(c);
        if (DISPLAY.containsKey(f.name()) && type instanceof NumericType) {
            String s = DISPLAY.get(f.name()).apply(v);
            ws.value(r, c, s);
            return s.length();
        }
        if (type instanceof NumericType) {
            Number n = (Number) v;
            boolean decimal = type instanceof DoubleType || type instanceof FloatType
                    || (type instanceof DecimalType d && d.scale() > 0);
            if (n instanceof Double dv && !Double.isFinite(dv)) {
                throw new IllegalArgumentException("sheet " + t.name() + ": column " + f.name() + " holds " + dv);
            }
            ws.value(r, c, n);
            ws.style(r, c).format(decimal ? DECIMAL_FORMAT : INTEGER_FORMAT).set();
            String shown = CellText.number(n, decimal ? 2 : 0, ',', f.name());
            return shown.length() + shown.length() / 4;   // room for thousands separators
        }
        if (type instanceof BooleanType) {
            String s = CellText.bool((Boolean) v);
            ws.value(r, c, s);
            return s.length();
        }
        if (type instanceof DateType) {
            ws.value(r, c, ((Date) v).toLocalDate());
            ws.style(r, c).format("dd/mm/yyyy").set();
            return 10;
        }
        if (type instanceof TimestampType) {
            ws.value(r, c, ((Timestamp) v).toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime());
            ws.style(r, c).format("dd/mm/yyyy hh:mm").set();
            return 16;
        }
        String s = v.toString();
        ws.value(r, c, s);
        return s.length();
    }

    private static List<List<Row>> emptyLists(int n) {
        List<List<Row>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    /**
     * Re-zips the package with a fixed creation date and fixed entry times, keeping entry order.
     * Read through the central directory (ZipFile): opczip's local headers leave sizes to a data
     * descriptor, which ZipInputStream rejects.
     */
    static byte[] normalise(byte[] xlsx, LocalDate documentDate) throws IOException {
        String created = "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" + documentDate + "T00:00:00Z</dcterms:created>";
        Path tmp = Files.createTempFile("atypie-xlsx-", ".zip");
        ByteArrayOutputStream out = new ByteArrayOutputStream(xlsx.length);
        try {
            Files.write(tmp, xlsx);
            try (ZipFile in = new ZipFile(tmp.toFile());
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(6);
                for (ZipEntry e : Collections.list(in.entries())) {
                    byte[] content;
                    try (InputStream is = in.getInputStream(e)) {
                        content = is.readAllBytes();
                    }
                    if (e.getName().equals("docProps/core.xml")) {
                        String xml = new String(content, StandardCharsets.UTF_8);
                        content = CREATED.matcher(xml).replaceAll(created).getBytes(StandardCharsets.UTF_8);
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTimeLocal(documentDate.atStartOfDay());   // local fields: no time-zone dependence
                    zip.putNextEntry(copy);
                    zip.write(content);
                    zip.closeEntry();
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return out.toByteArray();
    }
}
