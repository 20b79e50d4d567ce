package fr.atypie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.ConfigLoader;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.RunLock;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Bad inputs and faults an operator meets, each with its documented exit code and a one-line
 * message naming the cause, never a stack trace; a failed run leaves the previous publication
 * byte-identical. All but two cases stop before any heavy work (that is what they test); those two
 * (a forced month, an empty practitioner table) read a tiny extract.
 */
// Beside the other classes from the start (see the pom), not in the main thread's sequence of same-thread
// classes, which ends the suite; the lock runs its methods one after another.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("FaultCorpusTest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultCorpusTest {
    /** Static: injected before {@code @BeforeAll}, and deleted after the class (its cases leave 17 MB). */
    @TempDir
    static Path dir;
    private PublishedMonth.Fixture month;
    private Path out;
    /**
     * A tiny extract (its last flux month the shared month's), for the cases that run the pipeline: a
     * refresh costs its fixed Spark overhead whatever the size, and the shared extract's 24 months
     * as much again.
     */
    private Path tinyConfig;
    private Path tinyExtract;

    record Run(int code, String err) {}

    @BeforeAll
    void publishedMonth() throws IOException {
        month = PublishedMonth.get();
        out = dir.resolve("out");
        PublishedMonth.copy(month.out(), out);
        tinyConfig = Files.writeString(dir.resolve("tiny.conf"), """
                atypie.synth { scale = 0.001, months = 4, first-month = "2024-09", campaign.enabled = false }
                atypie.indicators.window-months = 3
                atypie.atypie { activity-bands = [0], min-patients = 10 }
                """);
        ExtractGenerator.generate(ConfigLoader.load(Optional.of(tinyConfig), Map.of()).synth(), dir.resolve("tiny"));
        tinyExtract = dir.resolve("tiny/extract");
    }

    private Run refresh(String... extra) {
        List<String> args = new ArrayList<>(List.of("refresh", "--config", month.config().toString(),
                "--extract", month.extract().toString(), "--out", out.toString(), "--work", dir.resolve("work").toString()));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    /** A run of the command line, what it wrote to its error stream captured (System.err left alone). */
    private static Run cli(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code = AtypieCli.execute(System.out, new PrintStream(captured, true, StandardCharsets.UTF_8), args);
        return new Run(code, captured.toString(StandardCharsets.UTF_8));
    }

    private static void noStackTrace(Run r) {
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aSecondRunOnTheSameOutputStopsAtOnceAsBusy() throws IOException {
        String before = tree(out);
        Run r;
        try (RunLock held = RunLock.acquire(out)) {
            r = refresh("--month", "2024-12");
        }
        assertEquals(ExitCodes.BUSY, r.code(), r.err());
        assertTrue(r.err().contains("atypie: busy: another run is using " + out.toAbsolutePath().normalize()
                + " (.refresh.lock is locked): nothing done"), r.err());
        noStackTrace(r);
        assertFalse(r.err().contains("validate"), "stopped before validation: " + r.err());
        assertEquals(before, tree(out));
    }

    @Test
    void aMonthTheExtractCannotHoldFailsBeforeAnyWork() throws IOException {
        String before = tree(out);
        Run early = refresh("--month", "2023-06");
        assertEquals(ExitCodes.BAD_INPUT, early.code(), early.err());
        assertTrue(early.err().contains("atypie: input error: --month 2023-06: the extract starts in flux month "), early.err());
        noStackTrace(early);
        Run late = refresh("--month", "2026-05");
        assertEquals(ExitCodes.IMPLAUSIBLE, late.code(), late.err());
        assertTrue(late.err().contains("atypie: implausible month, not published: refresh month 2026-05 is ")
                && late.err().contains(" month(s) after the extract's last flux month "), late.err());
        noStackTrace(late);
        assertFalse(late.err().contains("validate"), "stopped before validation: " + late.err());
        assertEquals(before, tree(out));

        // The operator looked and publishes anyway: --force, the reasons kept with the month (a month
        // of the tiny extract, whose last flux month is the shared one's, beside the earlier month).
        Path forcedOut = dir.resolve("out-forced");
        PublishedMonth.copy(out, forcedOut);
        Run forced = cli("refresh", "--config", tinyConfig.toString(), "--extract", tinyExtract.toString(),
                "--out", forcedOut.toString(), "--work", dir.resolve("work-forced").toString(), "--month", "2026-05", "--force");
        assertEquals(ExitCodes.OK, forced.code(), forced.err());
        String published = Files.readString(forcedOut.resolve("2026-05/quality/plausibility.txt"));
        assertTrue(published.matches("(?s)Plausibility checks of 2026-05: \\d+ failed \\(published anyway: --force\\)\n"
                + "- refresh month 2026-05 is 17 month\\(s\\) after the extract's last flux month .*"), published);
        assertTrue(Files.isDirectory(forcedOut.resolve("2024-12")), "the earlier month stays");
    }

    @Test
    void aBadCampaignHistoryOrCapacityKeyIsNamedNotRun() throws IOException {
        Path history = Files.writeString(dir.resolve("history.csv"),
                "campaign;prescriber_id;action;theme;start;end;outcome\n../../etc;P1;DAM;sick-leave;2024-07;;\n");
        Run r = refresh("--month", "2024-12", "--campaigns", history.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("line 2: campaign id '../../etc' is not a plain name"), r.err());
        noStackTrace(r);
        Path config = Files.writeString(dir.resolve("capacity.conf"), PublishedMonth.CONFIG
                + "atypie.targeting.capacity { \"Hérault\" { dam = 80, ec = 20, mso-msap = 5 } }\n");
        Run conf = cli("refresh", "--config", config.toString(), "--extract", month.extract().toString(),
                "--out", out.toString(), "--work", dir.resolve("work").toString(), "--month", "2024-12");
        assertEquals(ExitCodes.BAD_CONFIG, conf.code(), conf.err());
        assertTrue(conf.err().contains("atypie.targeting.capacity: key \"Hérault\" is not a department code"), conf.err());
        noStackTrace(conf);
    }

    @Test
    void anOutputThatCannotBeWrittenExitsEightWithItsPath() throws IOException {
        // Running as root ignores read-only modes, and no size-limited file system is at hand: a file
        // standing where the output folder must be gives the same file-system error path.
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
        Run r = cli("refresh", "--config", month.config().toString(), "--extract", month.extract().toString(),
                "--out", notAFolder.toString(), "--work", dir.resolve("work2").toString(), "--month", "2024-12");
        assertEquals(ExitCodes.CANNOT_WRITE, r.code(), r.err());
        assertTrue(r.err().contains("atypie: cannot write: ") && r.err().contains(notAFolder.toString()), r.err());
        noStackTrace(r);
    }

    /**
     * A write failing half-way through a publication (what a full disk does): the exception reaches
     * the caller, the staging folder is removed, the previous publication stays byte-identical and
     * the CLI maps the error to exit 8.
     */
    @Test
    void aWriteFailingDuringPublicationLeavesThePreviousMonth() throws IOException {
        String before = tree(out);
        IOException failure;
        try (MonthlyRelease release = MonthlyRelease.open(out, PublishedMonth.MONTH, "faulty", month.settings(),
                Clock.systemUTC())) {
            release.text("quality/note.txt", "written before the disk filled up\n");
            Files.writeString(release.staging().resolve("restricted"), "the disk is full");   // the next write fails
            failure = assertThrows(IOException.class, () -> release.text("restricted/segments.csv", "x"));
        }
        assertEquals(before, tree(out));
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".staging-")).toList());
        }
        assertTrue(ExitCodes.ioCause(new RuntimeException(failure)) != null);
    }

    @Test
    void anEmptyPractitionerTableHoldsTheMonthAndKeepsThePreviousOne() throws IOException {
        Path extract = dir.resolve("extract-no-prescribers");
        PublishedMonth.copy(tinyExtract, extract);
        Path pra = extract.resolve("DA_PRA_R");
        try (Stream<Path> walk = Files.walk(pra)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        // What Spark writes for a table with no row: the folder and its _SUCCESS marker.
        Files.writeString(Files.createDirectories(pra).resolve("_SUCCESS"), "");
        String before = tree(out);
        Path work = dir.resolve("work3");
        Run r = cli("refresh", "--config", tinyConfig.toString(), "--extract", extract.toString(),
                "--out", out.toString(), "--work", work.toString(), "--month", "2024-12");
        assertEquals(ExitCodes.IMPLAUSIBLE, r.code(), r.err());
        assertTrue(r.err().contains("atypie: implausible month, not published: table DA_PRA_R has no row kept (0 read, "
                + "0 quarantined)"), r.err());
        noStackTrace(r);
        assertEquals(before, tree(out));
        String report = Files.readString(work.resolve("2024-12/quality/plausibility.txt"));
        assertTrue(report.startsWith("Plausibility checks of 2024-12: 1 failed (month held, not published)\n- table DA_PRA_R "
                + "has no row kept"), report);
    }

    /**
     * Every file under {@code root} with its SHA-256, sorted: equal strings mean byte-identical trees.
     * The run-status files beside the publications (OUT/*.status.json) are left out: they record
     * each run, a failed one too, for the scheduler.
     */
    static String tree(Path root) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".lock") || (p.getParent().equals(root)
                        && (name.endsWith(".status.json") || name.endsWith(".status.json.crc")))) {
                    continue;
                }
                b.append(root.relativize(p)).append(' ').append(sha(Files.readAllBytes(p))).append('\n');
            }
        }
        return b.toString();
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
