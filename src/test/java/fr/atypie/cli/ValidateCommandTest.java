package fr.atypie.cli;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.prs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.fs.Scratch;
import fr.atypie.quality.QualityOutputs;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    @Test
    void cleanExtractExitsZeroAndWritesReportAndQuarantine(@TempDir Path dir) throws IOException {
        Path extract = dir.resolve("extract");
        SndsFixture.write(SndsFixture.extract(prs().keys(1), prs().keys(2)), extract);
        Path out = dir.resolve("out");
        assertEquals(ExitCodes.OK, AtypieCli.execute("validate", extract.toString(), "--out", out.toString()));
        String json = Files.readString(out.resolve(QualityOutputs.REPORT_JSON));
        assertTrue(json.contains("\"acceptable\": true"), json);
        assertTrue(json.contains("{\"table\": \"ER_PRS_F\", \"rows_in\": 2, \"kept\": 2, \"quarantined\": 0"), json);
        assertTrue(Files.readString(out.resolve(QualityOutputs.REPORT_TEXT)).contains("Result: acceptable"));
        assertEquals(0, SharedSpark.get().read().parquet(out.resolve("quarantine/ER_PRS_F").toString()).count());
        // The validated lines were kept in a scratch folder of OUT (where a cluster's executors write), gone now.
        assertEquals(List.of(), scratchFolders(out));
        // Only later flux months: no service line read (the fixture's flux is 2024-03).
        assertEquals(ExitCodes.OK, AtypieCli.execute("validate", extract.toString(), "--out", out.toString(),
                "--flux-from", "2024-04"));
        assertTrue(Files.readString(out.resolve(QualityOutputs.REPORT_JSON))
                .contains("{\"table\": \"ER_PRS_F\", \"rows_in\": 0, \"kept\": 0"));
        assertEquals(ExitCodes.USAGE, AtypieCli.execute("validate", extract.toString(), "--flux-from", "April"));
    }

    @Test
    void tooMuchQuarantineExitsFiveUnlessTheThresholdAllowsIt(@TempDir Path dir) throws IOException {
        Path extract = dir.resolve("extract");
        SndsFixture.write(SndsFixture.extract(prs().keys(1), prs().keys(2).with(BEN_NIR_PSA, null)), extract);
        Path out = dir.resolve("out");
        assertEquals(ExitCodes.TOO_MUCH_QUARANTINE, AtypieCli.execute("validate", extract.toString(), "--out", out.toString()));
        assertEquals(List.of(), scratchFolders(out));
        Dataset<Row> q = SharedSpark.get().read().parquet(out.resolve("quarantine/ER_PRS_F").toString());
        assertEquals(1, q.count());
        assertEquals("missing_patient", q.first().getAs("rule"));
        assertEquals(ExitCodes.OK, AtypieCli.execute("validate", extract.toString(), "--out", out.toString(),
                "--set", "atypie.quality.max-quarantine-share=0.5"));
    }

    @Test
    void unusableExtractExitsFour(@TempDir Path dir) throws IOException {
        Path extract = dir.resolve("extract");
        Map<SndsTable, Dataset<Row>> t = SndsFixture.extract(prs().keys(1));
        t.put(SndsTable.IR_BEN_R, t.get(SndsTable.IR_BEN_R).drop(BEN_SEX_COD));
        SndsFixture.write(t, extract);
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("validate", extract.toString(), "--out", dir.resolve("out").toString()));
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("validate", dir.resolve("nowhere").toString(),
                "--out", dir.resolve("out").toString()));
        assertEquals(List.of(), scratchFolders(dir.resolve("out")), "a failed validation removes its scratch folder too");
    }

    static List<Path> scratchFolders(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(Scratch.PREFIX)).toList();
        }
    }
}
