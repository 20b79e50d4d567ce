package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.ReportTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonthlyReleaseTest {
    private static final YearMonth MARCH = YearMonth.of(2024, 3);
    private static final MonthlyRelease.Secrecy SECRECY =
            new MonthlyRelease.Secrecy(List.of("n_patients", "n_patients_den"), List.of("days", "rate"));
    private static final ColumnLabels LABELS = ColumnLabels.of("dept", "Département", "n_patients", "Patients",
            "n_patients_den", "Patients (dénominateur)", "days", "Jours", "rate", "Taux");
    private static final AtypieConfig CONFIG = ConfigLoader.defaults();

    @Test
    void aReRunGivesByteIdenticalFilesExceptTheManifest(@TempDir Path out) throws Exception {
        Map<String, String> first = publishOnce(out, "run-a", Instant.parse("2024-04-02T06:00:00Z"));
        RunManifest m1 = RunManifest.read(out.resolve("2024-03/manifest.json"));
        Map<String, String> second = publishOnce(out, "run-b", Instant.parse("2024-04-09T17:31:12Z"));
        RunManifest m2 = RunManifest.read(out.resolve("2024-03/manifest.json"));

        assertEquals(List.of("actions/actions-011.xlsx", "actions/actions-034.xlsx", "cpg/departements.csv",
                "manifest.json", "rapport.html"), List.copyOf(first.keySet()));
        assertNotEquals(first.remove("manifest.json"), second.remove("manifest.json"));
        assertEquals(first, second);
        assertEquals(m1.reproducibleJson(), m2.reproducibleJson());
        assertEquals(Map.of("actions/actions-011.xlsx", 1L, "actions/actions-034.xlsx", 2L, "cpg/departements.csv", 3L),
                rowsByPath(m1));
        assertEquals(CONFIG.hash(), m1.configHash());
    }

    @Test
    void aTableWithASmallCellIsNeverWritten(@TempDir Path out) throws IOException {
        try (MonthlyRelease release = MonthlyRelease.open(out, MARCH, "run-x", CONFIG, java.time.Clock.systemUTC())) {
            SmallCellError e = assertThrows(SmallCellError.class,
                    () -> release.csv("cpg/departements.csv", cube(), SECRECY, List.of("dept"), LABELS));
            assertEquals("table cpg/departements.csv: 1 row(s) would publish cells built on fewer than 10 patients"
                    + " (column n_patients below 10 patients: 1 row(s))", e.getMessage());
            assertEquals(false, Files.exists(release.staging().resolve("cpg/departements.csv")));
            // The single pass (check once, collect once) checks the same way, before anything is written.
            SmallCellError once = assertThrows(SmallCellError.class,
                    () -> release.checkedRows("cpg/departements.csv", cube(), SECRECY, List.of("dept")));
            assertEquals(e.getMessage(), once.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> release.html("../evil.html", new HtmlReport("t", "s", "< 10")));
        }
        assertEquals(false, Files.exists(out.resolve("2024-03")));
    }

    private static Dataset<Row> cube() {
        StructType schema = new StructType()
                .add("dept", DataTypes.StringType)
                .add("n_patients", DataTypes.LongType)
                .add("n_patients_den", DataTypes.LongType)
                .add("days", DataTypes.LongType)
                .add("rate", DataTypes.DoubleType);
        return SharedSpark.get().createDataFrame(List.of(
                RowFactory.create("034", 120L, 400L, 2400L, 0.3),
                RowFactory.create("011", 10L, 40L, 300L, 0.25),
                RowFactory.create("034", 4L, 400L, 20L, 0.01)), schema);
    }

    private static Map<String, String> publishOnce(Path out, String runId, Instant start) throws Exception {
        try (MonthlyRelease release = MonthlyRelease.open(out, MARCH, runId, CONFIG,
                new RunManifestTest.SteppingClock(start, 1234))) {
            Dataset<Row> hidden = release.smallCells().hide(cube().repartition(2), SECRECY.patientCounts(), SECRECY.measures());
            try (RunManifest.StageTimer t = release.manifest().stage("secrecy")) {
                t.rows(3, 3);
            }
            release.csv("cpg/departements.csv", hidden, SECRECY, List.of("dept", "n_patients"), LABELS);
            release.xlsxPerDepartment("actions", "actions", "dept",
                    List.of(new XlsxExport.Sheet("Visites DAM", hidden, List.of("n_patients"))), SECRECY, LABELS);
            release.html("rapport.html", new HtmlReport("Rapport", "mars 2024", release.smallCells().hiddenLabel())
                    .section("Départements")
                    .table(ReportTable.of("Départements", ExportTable.collect("dep", hidden, List.of("dept")), LABELS, Map.of())));
            release.commit();
        }
        return new TreeMap<>(AtomicPublisherTest.snapshot(out.resolve("2024-03")));
    }

    private static Map<String, Long> rowsByPath(RunManifest m) {
        Map<String, Long> r = new TreeMap<>();
        m.outputs().stream().filter(o -> o.rows() != null).forEach(o -> r.put(o.path(), o.rows()));
        return r;
    }
}
