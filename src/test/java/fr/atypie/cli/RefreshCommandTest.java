package fr.atypie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.fs.Store;
import fr.atypie.publish.RunStatus;
import fr.atypie.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atypie refresh}: the run-status file a scheduler reads, and --skip-if-published. */
class RefreshCommandTest {
    private static final YearMonth DECEMBER = YearMonth.of(2024, 12);

    @TempDir
    Path dir;

    @Test
    void aFailedRunRecordsItsExitCodeBesideThePublications() throws Exception {
        SharedSpark.get();
        Path out = dir.resolve("out");
        Files.createDirectories(dir.resolve("extract"));   // empty: no table at all
        int code = AtypieCli.execute("refresh", "--month", "2024-12", "--extract", dir.resolve("extract").toString(),
                "--out", out.toString(), "--work", dir.resolve("work").toString());
        assertEquals(ExitCodes.BAD_INPUT, code);
        RunStatus s = RunStatus.read(Store.local(out), DECEMBER).orElseThrow();
        assertEquals(RunStatus.FAILED, s.status());
        assertEquals(ExitCodes.BAD_INPUT, s.exitCode());
        assertEquals("2024-12", s.month());
        assertNull(s.publication());
        assertEquals(List.of(), s.outputs());
        assertTrue(s.error().contains("ER_PRS_F"), s.error());
        assertEquals(Files.readString(out.resolve("2024-12.status.json")), Files.readString(out.resolve(RunStatus.LAST_RUN)));
        assertEquals(false, Files.exists(out.resolve("2024-12")));
    }

    /** Help, usage errors and results go to the streams the caller gave, not to System.out and System.err. */
    @Test
    void aRunWritesToTheStreamsItIsGiven() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCodes.OK, AtypieCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "refresh", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("Usage: atypie refresh "), help);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(ExitCodes.USAGE, AtypieCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "refresh", "--no-such-option"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Unknown option: '--no-such-option'\nUsage: atypie refresh "),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void skipIfPublishedLeavesAGoodMonthAloneAndRedoesAFailedOne() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("2024-12"));
        Files.writeString(out.resolve("2024-12/manifest.json"), "{}");
        new RunStatus(RunStatus.SUCCEEDED, 0, "2024-12", "run-1", "2025-01-05T06:00:00Z", "2025-01-05T06:20:00Z",
                out.resolve("2024-12").toString(), List.of("rapport.html"), null).write(Store.local(out));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // The extract does not exist: had the run started, it would have failed with 4.
        int code = AtypieCli.execute(new PrintStream(printed, true, StandardCharsets.UTF_8), System.err,
                "refresh", "--month", "2024-12", "--skip-if-published",
                "--extract", dir.resolve("missing").toString(), "--out", out.toString());
        assertEquals(ExitCodes.OK, code);
        assertEquals("already published: " + out.resolve("2024-12") + " (run run-1)\n", printed.toString(StandardCharsets.UTF_8));

        new RunStatus(RunStatus.FAILED, 4, "2024-12", null, "2025-01-06T06:00:00Z", "2025-01-06T06:01:00Z",
                null, List.of(), "no ER_PRS_F").write(Store.local(out));
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("refresh", "--month", "2024-12", "--skip-if-published",
                "--extract", dir.resolve("missing").toString(), "--out", out.toString(),
                "--work", dir.resolve("work").toString()));
        assertEquals(ExitCodes.USAGE, AtypieCli.execute("refresh", "--skip-if-published", "--out", out.toString()));
    }
}
