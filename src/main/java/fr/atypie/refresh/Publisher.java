package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;

import fr.atypie.cli.VersionProvider;
import fr.atypie.config.AtypieConfig;
import fr.atypie.publish.AtomicPublisher;
import fr.atypie.publish.CsvExport;
import fr.atypie.publish.RunManifest;
import fr.atypie.publish.SmallCells;
import fr.atypie.publish.XlsxExport;
import fr.atypie.quality.QualityOutputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes one month's tables into the publisher's staging folder and publishes them in one step.
 * Layout of {@code <out>/<YYYY-MM>/}: aggregate tables at the top (Parquet + CSV), prescriber-level
 * tables under {@code restricted/} (medical service and coordination teams only), one workbook
 * per department under {@code restricted/workbooks/}, the data-quality report under
 * {@code quality/}, and {@code manifest.json}. Small cells are hidden before anything is written.
 */
final class Publisher {
    record Tables(Dataset<Row> indicators, Dataset<Row> trend, Dataset<Row> scorecard, Dataset<Row> scores,
                  Dataset<Row> segments, Dataset<Row> metrics, Dataset<Row> targeting) {}

    static final String RESTRICTED = "restricted";

    private final SparkSession spark;
    private final AtypieConfig config;
    private final Path out;
    private final Clock clock;
    private final SmallCells cells;
    private final CsvExport csv;
    private RunManifest.Builder manifest;
    private String runId;

    Publisher(SparkSession spark, AtypieConfig config, Path out, Clock clock) {
        this.spark = spark;
        this.config = config;
        this.out = out;
        this.clock = clock;
        this.cells = SmallCells.from(config.publish());
        this.csv = new CsvExport(config.publish().csv(), OutputTables.labels());
    }

    void startManifest(YearMonth month) {
        runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(clock.getZone()).format(clock.instant());
        manifest = RunManifest.start(month, runId, VersionProvider.version(), config.hash(), clock);
    }

    RunManifest.Builder manifest() {
        return manifest;
    }

    Path publish(YearMonth month, Tables t, Path qualityDir, Progress progress) throws IOException {
        AtomicPublisher publisher = new AtomicPublisher(out);
        try (AtomicPublisher.Publication p = publisher.begin(month, runId)) {
            Path dir = p.staging();
            Map<String, Long> rows = new TreeMap<>();
            write(dir, "indicators", cells.hide(t.indicators(), List.of("patients"), OutputTables.INDICATOR_MEASURES),
                    List.of("indicator", "level", "territory", "window_month"), rows);
            write(dir, "trend", cells.hide(t.trend(), List.of("patients"), OutputTables.TREND_MEASURES),
                    List.of("series", "level", "territory", "month"), rows);
            write(dir, "scorecard", t.scorecard(), List.of("dept", "axis", "indicator"), rows);
            write(dir, "scores", t.scores(), List.of("dept"), rows);
            Dataset<Row> segments = cells.hide(t.segments(), List.of("base_patients"), List.of());
            write(dir, RESTRICTED + "/segments", segments, List.of("dept", "prescriber_id"), rows);
            write(dir, RESTRICTED + "/prescriber_metrics",
                    cells.hide(t.metrics(), List.of("numerator_patients"), OutputTables.METRIC_MEASURES),
                    List.of("prescriber_id", "theme", "metric"), rows);
            Dataset<Row> targeting = cells.hide(t.targeting(), List.of("driver_patients"), List.of());
            write(dir, RESTRICTED + "/targeting", targeting, List.of("dept", "action", "rank"), rows);
            workbooks(dir.resolve(RESTRICTED).resolve("workbooks"), targeting, month, rows);
            Path quality = Files.createDirectories(dir.resolve("quality"));
            for (String f : List.of(QualityOutputs.REPORT_JSON, QualityOutputs.REPORT_TEXT)) {
                Files.copy(qualityDir.resolve(f), quality.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            manifest.finish(dir, rows).write(dir);
            return p.commit();
        }
    }

    /** One workbook per department, a sheet per action list, ranked. */
    private void workbooks(Path dir, Dataset<Row> targeting, YearMonth month, Map<String, Long> rows) throws IOException {
        XlsxExport xlsx = new XlsxExport(OutputTables.labels(), cells);
        List<XlsxExport.Sheet> sheets = new ArrayList<>();
        List<String> actions = List.of("Visites DAM", "Échanges confraternels", "MSO-MSAP", "Retour positif");
        for (int i = 0; i < actions.size(); i++) {
            sheets.add(new XlsxExport.Sheet(XlsxExport.ACTION_SHEETS.get(i),
                    targeting.where(col("action").equalTo(actions.get(i))).drop("action"), List.of("rank")));
        }
        Map<String, Long> written = xlsx.writePerDepartment(dir, "ciblage-" + month, "dept", sheets, month.atEndOfMonth());
        written.forEach((file, n) -> rows.put(RESTRICTED + "/workbooks/" + file, n));
    }

    /** {@code <name>.parquet} (one file, rows sorted) and {@code <name>.csv}; both byte-identical on re-run. */
    private void write(Path dir, String name, Dataset<Row> table, List<String> sortKeys, Map<String, Long> rows)
            throws IOException {
        Path parquet = dir.resolve(name + ".parquet");
        Files.createDirectories(parquet.getParent());
        Path tmp = dir.resolve(name + ".parquet.tmp");
        Column[] order = sortKeys.stream().map(k -> col(k).asc_nulls_first()).toArray(Column[]::new);
        table.coalesce(1).sortWithinPartitions(order).write().parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")
                    && f.getFileName().toString().endsWith(".parquet")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Spark wrote no Parquet part for " + name));
            Files.move(part, parquet);
        }
        deleteTree(tmp);
        long n = csv.write(name.substring(name.lastIndexOf('/') + 1), table, sortKeys, dir.resolve(name + ".csv"));
        rows.put(name + ".parquet", n);
        rows.put(name + ".csv", n);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
