package fr.atypie.publish;

import fr.atypie.fs.RestrictedAccess;
import static org.apache.spark.sql.functions.col;

import fr.atypie.fs.Store;
import fr.atypie.publish.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One month's publication, end to end: every export goes through the small-cell check, into the
 * staging folder, with its row count recorded for the manifest; {@link #commit()} writes the
 * manifest and swaps the month in atomically. Without a commit nothing is published.
 *
 * <pre>{@code
 * try (MonthlyRelease release = MonthlyRelease.open(out, month, runId, config, Clock.systemUTC())) {
 *     release.manifest().input(RunManifest.Input.parquet("ER_PRS_F", prsDir));
 *     release.csv("cpg/indicateurs-departement.csv", cube, secrecy, List.of("dept"), labels);
 *     release.xlsxPerDepartment("actions", "actions", "dept", sheets, secrecy, labels);
 *     release.html("rapport.html", report);
 *     release.commit();
 * }
 * }</pre>
 */
public final class MonthlyRelease implements AutoCloseable {
    /** What a publication needs from the configuration (the assembled configuration implements it). */
    public interface Settings {
        PublishSettings publish();

        /** SHA-256 of the resolved configuration, recorded in the manifest. */
        String hash();
    }


    private final AtomicPublisher.Publication publication;
    private final RunManifest.Builder manifest;
    private final PublishSettings settings;
    private final SmallCells cells;
    private final Map<String, Long> rows = new TreeMap<>();

    /** Which columns count patients and which measures are built on them. */
    public record Secrecy(List<String> patientCounts, List<String> measures) {
        /** For tables that hold no patient count at all (e.g. scores computed from published values). */
        public static final Secrecy NO_PATIENT_COUNTS = new Secrecy(List.of(), List.of());

        public Secrecy {
            patientCounts = List.copyOf(patientCounts);
            measures = List.copyOf(measures);
            if (patientCounts.isEmpty() && !measures.isEmpty()) {
                throw new IllegalArgumentException("measures " + measures + " are hidden on patient counts: name them");
            }
        }
    }

    private MonthlyRelease(AtomicPublisher.Publication publication, RunManifest.Builder manifest, PublishSettings settings) {
        this.publication = publication;
        this.manifest = manifest;
        this.settings = settings;
        this.cells = SmallCells.from(settings);
    }

    /** Locks {@code out}, repairs an interrupted earlier run, opens the staging folder of {@code month}. */
    public static MonthlyRelease open(Path out, YearMonth month, String runId, Settings config, Clock clock)
            throws IOException {
        return open(AtomicPublisher.at(Store.local(out)), month, runId, config, clock);
    }

    /** As above, on any file system ({@code hdfs://...}, {@code file://...}): see {@link AtomicPublisher}. */
    public static MonthlyRelease open(Store out, YearMonth month, String runId, Settings config, Clock clock)
            throws IOException {
        return open(AtomicPublisher.at(out), month, runId, config, clock);
    }

    private static MonthlyRelease open(AtomicPublisher publisher, YearMonth month, String runId, Settings config, Clock clock)
            throws IOException {
        RunManifest.Builder manifest = RunManifest.start(month, runId, config, clock);
        return new MonthlyRelease(publisher.begin(month, runId), manifest, config.publish());
    }

    /** Where the month will be published: a local path or a URI. */
    public String location() {
        return publication.location();
    }

    public RunManifest.Builder manifest() {
        return manifest;
    }

    public SmallCells smallCells() {
        return cells;
    }

    /** Permissions of the restricted parts of this publication. */
    public RestrictedAccess restrictedAccess() {
        return RestrictedAccess.from(settings.restrictedGroup());
    }

    public Path staging() {
        return publication.staging();
    }

    /**
     * The folder {@code relativePath} of the publication for prescriber-level outputs: owner-only
     * (or the configured group) before anything is written in it; at commit everything under it
     * is restricted again, where the month is published too (local disk or HDFS).
     */
    public Path restrictedFolder(String relativePath) throws IOException {
        return publication.restricted(relativePath, restrictedAccess());
    }

    /** Checks statistical secrecy, then writes one CSV at {@code relativePath}. */
    public long csv(String relativePath, Dataset<Row> table, Secrecy secrecy, List<String> sortKeys, ColumnLabels labels)
            throws IOException {
        return csv(relativePath, checkedRows(relativePath, table, secrecy, sortKeys), labels);
    }

    /**
     * Checks statistical secrecy once and brings the table to the driver once, in its export
     * order, for {@link #parquet(String, Dataset, ExportTable, List)}, {@link #csv(String, ExportTable, ColumnLabels)}
     * and {@link #plainCsv(String, ExportTable)}: three files of one table cost one pass.
     */
    public ExportTable checkedRows(String name, Dataset<Row> table, Secrecy secrecy, List<String> sortKeys) {
        ExportTable rows = ExportTable.collect(name, table, sortKeys);
        check(name, rows, secrecy);
        return rows;
    }

    /** Writes one CSV at {@code relativePath} from rows already checked ({@link #checkedRows}). */
    public long csv(String relativePath, ExportTable checked, ColumnLabels labels) throws IOException {
        long n = new CsvExport(settings.csv(), labels).write(checked, resolve(relativePath));
        rows.put(relativePath, n);
        return n;
    }

    /** Writes the plain CSV of rows already checked ({@link #checkedRows}) at {@code relativePath}. */
    public long plainCsv(String relativePath, ExportTable checked) throws IOException {
        long n = CsvExport.plain().write(checked, resolve(relativePath));
        rows.put(relativePath, n);
        return n;
    }

    /**
     * Checks statistical secrecy, then writes the plain CSV of a table ({@link CsvExport#plain()})
     * at {@code relativePath}.
     */
    public long plainCsv(String relativePath, Dataset<Row> table, Secrecy secrecy, List<String> sortKeys) throws IOException {
        return plainCsv(relativePath, checkedRows(relativePath, table, secrecy, sortKeys));
    }

    /**
     * Checks every sheet, then writes one workbook per department under {@code folder}, dated the
     * last day of the month (so re-runs give the same bytes).
     */
    public Map<String, Long> xlsxPerDepartment(String folder, String prefix, String deptColumn, List<XlsxExport.Sheet> sheets,
                                               Secrecy secrecy, ColumnLabels labels) throws IOException {
        return xlsxPerDepartment(folder, prefix, deptColumn, sheets, secrecy, labels, List.of());
    }

    /** As above, each workbook opening on a "Lisez-moi" sheet of (heading, text) lines. */
    public Map<String, Long> xlsxPerDepartment(String folder, String prefix, String deptColumn, List<XlsxExport.Sheet> sheets,
                                               Secrecy secrecy, ColumnLabels labels, List<String[]> readMe) throws IOException {
        LocalDate documentDate = publication.month().atEndOfMonth();
        // Every sheet is checked as it is brought to the driver, before any workbook is written.
        Map<String, Long> written = new XlsxExport(labels, cells).writePerDepartment(resolve(folder), prefix, deptColumn,
                sheets, documentDate, readMe, sheet -> check(folder + "/" + sheet.name(), sheet, secrecy));
        written.forEach((file, n) -> rows.put(folder + "/" + file, n));
        return written;
    }

    /**
     * Checks statistical secrecy, then writes one Parquet file at {@code relativePath}: a single
     * file (not Spark's folder of parts) with rows sorted by {@code sortKeys}, so re-runs give the
     * same bytes.
     */
    public long parquet(String relativePath, Dataset<Row> table, Secrecy secrecy, List<String> sortKeys) throws IOException {
        return parquet(relativePath, table, checkedRows(relativePath, table, secrecy, sortKeys), sortKeys);
    }

    /** As above, for a table whose rows were checked and counted by {@link #checkedRows}. */
    public long parquet(String relativePath, Dataset<Row> table, ExportTable checked, List<String> sortKeys) throws IOException {
        writeParquet(relativePath, table, sortKeys);
        long n = checked.rows().size();
        rows.put(relativePath, n);
        return n;
    }

    private void writeParquet(String relativePath, Dataset<Row> table, List<String> sortKeys) throws IOException {
        Path file = resolve(relativePath);
        Files.createDirectories(file.getParent());
        Column[] order = sortKeys.stream().map(k -> col(k).asc_nulls_first()).toArray(Column[]::new);
        Optional<Store> scratch = publication.sparkScratch();
        if (scratch.isPresent()) {
            // Spark writes on the shared file system; its one part is copied into the staging, and
            // stays where Spark can read it back (sparkLocation) until the publication closes.
            org.apache.hadoop.fs.Path written = scratch.get().resolve(relativePath);
            table.coalesce(1).sortWithinPartitions(order).write().parquet(written.toString());
            org.apache.hadoop.fs.FileStatus part = java.util.Arrays.stream(scratch.get().fs().listStatus(written))
                    .filter(f -> f.getPath().getName().startsWith("part-") && f.getPath().getName().endsWith(".parquet"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("Spark wrote no Parquet part for " + relativePath));
            scratch.get().fs().copyToLocalFile(false, part.getPath(), new org.apache.hadoop.fs.Path(file.toUri()), true);
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        table.coalesce(1).sortWithinPartitions(order).write().parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")
                            && f.getFileName().toString().endsWith(".parquet")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Spark wrote no Parquet part for " + relativePath));
            Files.move(part, file);
        }
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /** Where Spark reads back a Parquet file this release wrote: in the staging, or in its scratch on HDFS. */
    public String sparkLocation(String relativePath) throws IOException {
        Optional<Store> scratch = publication.sparkScratch();
        return scratch.isPresent() ? scratch.get().resolve(relativePath).toString() : resolve(relativePath).toString();
    }

    /** Writes a small text file (a schema, a note) at {@code relativePath}; listed in the manifest. */
    public Path text(String relativePath, String content) throws IOException {
        Path file = resolve(relativePath);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, java.nio.charset.StandardCharsets.UTF_8);
    }

    public Path html(String relativePath, HtmlReport report) throws IOException {
        return report.write(resolve(relativePath));
    }

    /** Writes the manifest, then publishes the month atomically; returns the manifest. */
    public RunManifest commit() throws IOException {
        RunManifest m = manifest.finish(publication.staging(), rows);
        m.write(publication.staging());
        publication.commit();
        return m;
    }

    @Override
    public void close() throws IOException {
        publication.close();
    }

    private void check(String name, ExportTable rows, Secrecy secrecy) {
        if (!secrecy.patientCounts().isEmpty()) {
            cells.assertNoSmallCells(name, rows, secrecy.patientCounts(), secrecy.measures());
        }
    }

    private Path resolve(String relativePath) {
        Path p = publication.staging().resolve(relativePath).normalize();
        if (!p.startsWith(publication.staging()) || p.equals(publication.staging())) {
            throw new IllegalArgumentException("output path '" + relativePath + "' leaves the publication folder");
        }
        return p;
    }
}
