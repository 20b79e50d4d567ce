package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.config.ConfigLoader;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
    private static final YearMonth MARCH = YearMonth.of(2024, 3);

    /** A clock that moves forward by a fixed step each time it is read. */
    static final class SteppingClock extends Clock {
        private Instant now;
        private final long stepMillis;

        SteppingClock(Instant start, long stepMillis) {
            this.now = start;
            this.stepMillis = stepMillis;
        }

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plusMillis(stepMillis);
            return t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void writesEveryFieldInAFixedOrder(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("b.csv"), "x\r\n", StandardCharsets.UTF_8);
        Files.createDirectories(root.resolve("dept"));
        Files.writeString(root.resolve("dept/a.txt"), "abc", StandardCharsets.UTF_8);
        RunManifest m = sampleRun(root, "run-1", Instant.parse("2024-04-02T06:00:00Z"), 1500);
        assertEquals("""
                {
                  "runId" : "run-1",
                  "month" : "2024-03",
                  "codeVersion" : "1.2.3",
                  "configHash" : "cafe",
                  "startedAt" : "2024-04-02T06:00:00Z",
                  "endedAt" : "2024-04-02T06:00:04.500Z",
                  "eventStore" : {
                    "mode" : "incremental",
                    "rebuiltFrom" : "2024-01",
                    "reason" : "1 flux partition(s) new",
                    "rowsPassedOver" : 40
                  },
                  "inputs" : [
                    {
                      "table" : "ER_PHA_F",
                      "path" : "/in/ER_PHA_F",
                      "rows" : 7,
                      "bytes" : 700,
                      "files" : 1
                    },
                    {
                      "table" : "ER_PRS_F",
                      "path" : "/in/ER_PRS_F",
                      "rows" : 12,
                      "bytes" : 3000,
                      "files" : 3
                    }
                  ],
                  "stages" : [
                    {
                      "name" : "ingest",
                      "rowsIn" : 19,
                      "rowsOut" : 17,
                      "seconds" : 1.5
                    },
                    {
                      "name" : "cubes",
                      "rowsIn" : 17,
                      "rowsOut" : 4,
                      "seconds" : 0.25
                    }
                  ],
                  "quarantine" : [
                    {
                      "table" : "ER_PRS_F",
                      "rule" : "missing-date",
                      "rows" : 1
                    },
                    {
                      "table" : "ER_PRS_F",
                      "rule" : "unknown-code",
                      "rows" : 1
                    }
                  ],
                  "outputs" : [
                    {
                      "path" : "b.csv",
                      "bytes" : 3,
                      "sha256" : "b35e09fa2ced9ebcad9d16336fb961146fe34bfbebc562679da85f8a314c9dca",
                      "rows" : 1
                    },
                    {
                      "path" : "dept/a.txt",
                      "bytes" : 3,
                      "sha256" : "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                      "rows" : null
                    }
                  ]
                }
                """, m.toJson());
    }

    @Test
    void reproducibleViewIgnoresOnlyRunIdAndWallClock(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("b.csv"), "x\r\n", StandardCharsets.UTF_8);
        RunManifest first = sampleRun(root, "run-1", Instant.parse("2024-04-02T06:00:00Z"), 1500);
        RunManifest second = sampleRun(root, "run-2", Instant.parse("2024-05-09T21:13:07.123Z"), 40);
        assertNotEquals(first.toJson(), second.toJson());
        assertEquals(first.reproducibleJson(), second.reproducibleJson());

        Files.writeString(root.resolve("b.csv"), "y\r\n", StandardCharsets.UTF_8);   // one output byte changes
        RunManifest third = sampleRun(root, "run-1", Instant.parse("2024-04-02T06:00:00Z"), 1500);
        assertNotEquals(first.reproducibleJson(), third.reproducibleJson());
    }

    @Test
    void writtenManifestReadsBackEqualAndIsNotListedAsAnOutput(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("b.csv"), "x\r\n", StandardCharsets.UTF_8);
        RunManifest m = sampleRun(root, "run-1", Instant.parse("2024-04-02T06:00:00Z"), 1500);
        m.write(root);
        assertEquals(m, RunManifest.read(root.resolve(RunManifest.FILE_NAME)));
        RunManifest again = sampleRun(root, "run-1", Instant.parse("2024-04-02T06:00:00Z"), 1500);
        assertEquals(m.outputs(), again.outputs());
    }

    @Test
    void rowCountsForUnwrittenFilesAreRefused(@TempDir Path root) {
        RunManifest.Builder b = RunManifest.start(MARCH, "r", "dev", "h", Clock.systemUTC());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.finish(root, Map.of("missing.csv", 3L)));
        assertEquals("row counts given for files that were not written: [missing.csv]", e.getMessage());
    }

    @Test
    void parquetInputIsDescribedFromItsFooters(@TempDir Path dir) throws IOException {
        StructType schema = new StructType().add("k", DataTypes.IntegerType);
        Dataset<Row> five = SharedSpark.get().createDataFrame(
                List.of(RowFactory.create(1), RowFactory.create(2), RowFactory.create(3), RowFactory.create(4),
                        RowFactory.create(5)), schema).repartition(2);
        Path table = dir.resolve("ER_PRS_F");
        five.write().parquet(table.resolve("flux_month=2024-03").toString());
        five.limit(2).coalesce(1).write().parquet(table.resolve("flux_month=2024-04").toString());

        RunManifest.Input in = RunManifest.Input.parquet("ER_PRS_F", table);
        long bytes;
        long files;
        try (Stream<Path> w = Files.walk(table)) {
            List<Path> parts = w.filter(p -> p.getFileName().toString().matches("part-.*\\.parquet")).toList();
            files = parts.size();
            bytes = 0;
            for (Path p : parts) {
                bytes += Files.size(p);
            }
        }
        assertEquals(new RunManifest.Input("ER_PRS_F", table.toString(), 7, bytes, (int) files), in);
        assertEquals(3, files);   // two partitions, then one
    }

    @Test
    void startFromConfigRecordsItsHashAndTheCodeVersion(@TempDir Path root) throws IOException {
        var config = ConfigLoader.defaults();
        RunManifest m = RunManifest.start(MARCH, "r", config, Clock.systemUTC()).finish(root, Map.of());
        assertEquals(config.hash(), m.configHash());
        assertEquals("dev", m.codeVersion());   // run from classes, not from the jar
    }

    private static RunManifest sampleRun(Path root, String runId, Instant start, long stepMillis) throws IOException {
        SteppingClock clock = new SteppingClock(start, stepMillis);
        RunManifest.Builder b = RunManifest.start(MARCH, runId, "1.2.3", "cafe", clock)
                .input(new RunManifest.Input("ER_PRS_F", "/in/ER_PRS_F", 12, 3000, 3))
                .input(new RunManifest.Input("ER_PHA_F", "/in/ER_PHA_F", 7, 700, 1))
                .quarantine("ER_PRS_F", "unknown-code", 1)
                .quarantine("ER_PRS_F", "missing-date", 1);
        b.eventStore(new RunManifest.EventStoreUse("incremental", "2024-01", "1 flux partition(s) new", 40, null));
        try (RunManifest.StageTimer t = b.stage("ingest")) {
            t.rows(19, 17);
        }
        b.stage("cubes", 17, 4, java.time.Duration.ofMillis(250));
        return b.finish(root, Map.of("b.csv", 1L));
    }
}
