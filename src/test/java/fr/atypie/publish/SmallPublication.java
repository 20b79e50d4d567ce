package fr.atypie.publish;

import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The small publications the HDFS and S3 publication tests write, and their simulated kill. */
final class SmallPublication {
    static final YearMonth MARCH = YearMonth.of(2024, 3);
    private static final MonthlyRelease.Secrecy SECRECY = new MonthlyRelease.Secrecy(List.of("n_patients"), List.of("rate"));
    private static final ColumnLabels LABELS = ColumnLabels.of("dept", "Département", "n_patients", "Patients", "rate", "Taux");

    private SmallPublication() {
    }

    /** Thrown by a step observer: the run stops there with nothing closed, as after a kill -9. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A publisher whose run is "killed" right after {@code step}. */
    static AtomicPublisher killedAfter(fr.atypie.fs.Store out, AtomicPublisher.Step step) {
        return AtomicPublisher.at(out, s -> {
            if (s == step) {
                throw new Killed();
            }
        });
    }

    /**
     * Deletes the local staging folder a "killed" run left in the temporary folder (a real kill leaves
     * it too; here the test JVM lives on, and each run of the suite would add one).
     */
    static void removeLocalStaging(AtomicPublisher.Publication killed) throws IOException {
        fr.atypie.fs.Store.local(killed.staging()).delete();
    }

    /** Publishes March with one file, result.csv, holding {@code content}. */
    static void publishText(AtomicPublisher publisher, String runId, String content) throws IOException {
        try (AtomicPublisher.Publication p = publisher.begin(MARCH, runId)) {
            Files.writeString(p.staging().resolve("result.csv"), content, StandardCharsets.UTF_8);
            p.commit();
        }
    }

    /** Publishes two departments as cpg/departements.csv and .parquet (secrecy checked), then commits. */
    static void publishDepartments(MonthlyRelease release) throws Exception {
        try (release) {
            StructType schema = new StructType().add("dept", DataTypes.StringType)
                    .add("n_patients", DataTypes.LongType).add("rate", DataTypes.DoubleType);
            Dataset<Row> cube = SharedSpark.get().createDataFrame(List.of(
                    RowFactory.create("034", 120L, 0.3), RowFactory.create("011", 10L, 0.25)), schema);
            release.csv("cpg/departements.csv", cube, SECRECY, List.of("dept"), LABELS);
            release.parquet("cpg/departements.parquet", cube, SECRECY, List.of("dept"));
            release.commit();
        }
    }

    /** The same instants on every run, so manifests compare byte for byte. */
    static RunManifestTest.SteppingClock clock() {
        return new RunManifestTest.SteppingClock(Instant.parse("2024-04-02T06:00:00Z"), 1000);
    }
}
