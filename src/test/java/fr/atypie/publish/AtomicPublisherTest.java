package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicPublisherTest {
    private static final YearMonth MARCH = YearMonth.of(2024, 3);

    @TempDir
    Path out;

    @Test
    void publishesThenReplacesAndLeavesNothingBehind() throws IOException {
        AtomicPublisher publisher = new AtomicPublisher(out);
        publish(publisher, "run1", Map.of("a.csv", "v1\n", "sub/b.csv", "v1b\n"));
        assertEquals(Map.of("a.csv", hex("v1\n"), "sub/b.csv", hex("v1b\n")), snapshot(out.resolve("2024-03")));

        publish(publisher, "run2", Map.of("a.csv", "v2\n"));
        // the whole folder is replaced: b.csv of the previous run does not linger
        assertEquals(Map.of("a.csv", hex("v2\n")), snapshot(out.resolve("2024-03")));
        assertEquals(List.of(".publish.lock", "2024-03"), entries(out));
    }

    @Test
    void exceptionMidWriteLeavesPreviousPublicationByteIdentical() throws IOException {
        AtomicPublisher publisher = new AtomicPublisher(out);
        publish(publisher, "run1", Map.of("a.csv", "v1\n", "b.csv", "v1b\n"));
        Map<String, String> before = snapshot(out.resolve("2024-03"));

        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> {
            try (AtomicPublisher.Publication p = publisher.begin(MARCH, "run2")) {
                Files.writeString(p.staging().resolve("a.csv"), "half of v2");
                throw new IllegalStateException("stage failed");
            }
        });
        assertEquals("stage failed", boom.getMessage());
        assertEquals(before, snapshot(out.resolve("2024-03")));
        assertEquals(List.of(".publish.lock", "2024-03"), entries(out));   // staging removed at once
    }

    @Test
    void killedChildMidWriteLeavesPreviousIntactAndNextRunSucceeds() throws Exception {
        AtomicPublisher publisher = new AtomicPublisher(out);
        publish(publisher, "run1", Map.of("a.csv", "v1\n"));
        Map<String, String> before = snapshot(out.resolve("2024-03"));

        Process child = child("slow-write", "killed");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("wrote 5")) {
                // wait until the child is visibly half-way through its writes
            }
            assertEquals("wrote 5", line, () -> "child ended before writing: " + stderr(child));
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        Path leftover = out.resolve(".staging-2024-03-killed");
        assertTrue(Files.isDirectory(leftover), "the kill must have happened mid-write");
        assertTrue(snapshot(leftover).size() >= 6);
        assertEquals(before, snapshot(out.resolve("2024-03")));

        // the killed process held the lock; the OS released it, so the next run goes ahead
        try (AtomicPublisher.Publication p = publisher.begin(MARCH, "run3")) {
            assertFalse(Files.exists(leftover), "leftover staging is cleaned when the next run starts");
            Files.writeString(p.staging().resolve("a.csv"), "v3\n");
            p.commit();
        }
        assertEquals(Map.of("a.csv", hex("v3\n")), snapshot(out.resolve("2024-03")));
        assertEquals(List.of(".publish.lock", "2024-03"), entries(out));
    }

    @Test
    void killBetweenTheTwoRenamesIsUndoneByTheNextRun() throws Exception {
        AtomicPublisher publisher = new AtomicPublisher(out);
        publish(publisher, "run1", Map.of("a.csv", "v1\n"));
        Map<String, String> before = snapshot(out.resolve("2024-03"));

        assertEquals(99, runChild("halt-after:PREVIOUS_MOVED_TO_BACKUP", "crash"));
        assertEquals(List.of(".backup-2024-03-crash", ".publish.lock", ".staging-2024-03-crash"), entries(out));

        AtomicPublisher.Recovery r = publisher.recover();
        assertEquals(List.of(MARCH), r.restoredBackups());
        assertEquals(List.of(".staging-2024-03-crash"), r.deletedLeftovers());
        assertEquals(before, snapshot(out.resolve("2024-03")));
        assertEquals(List.of(".publish.lock", "2024-03"), entries(out));
    }

    @Test
    void killAfterTheSwapKeepsTheNewPublicationAndDropsTheBackup() throws Exception {
        AtomicPublisher publisher = new AtomicPublisher(out);
        publish(publisher, "run1", Map.of("a.csv", "v1\n"));

        assertEquals(99, runChild("halt-after:STAGING_RENAMED", "crash"));
        assertEquals(List.of(".backup-2024-03-crash", ".publish.lock", "2024-03"), entries(out));

        AtomicPublisher.Recovery r = publisher.recover();
        assertEquals(List.of(), r.restoredBackups());
        assertEquals(List.of(".backup-2024-03-crash"), r.deletedLeftovers());
        assertEquals(Map.of("result.csv", hex("written by crash\n")), snapshot(out.resolve("2024-03")));
        assertTrue(publisher.recover().nothingToDo());
    }

    @Test
    void oneRunAtATimeAndRunIdsAreChecked() throws IOException {
        AtomicPublisher publisher = new AtomicPublisher(out);
        try (AtomicPublisher.Publication p = publisher.begin(MARCH, "first")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new AtomicPublisher(out).begin(YearMonth.of(2024, 4), "second"));
            assertTrue(e.getMessage().startsWith("another run is publishing into "), e.getMessage());
            assertTrue(Files.isDirectory(p.staging()), "the refused run must not clean the live run's staging");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> publisher.begin(MARCH, "../x"));
        assertEquals("run id '../x' must match [A-Za-z0-9_-]{1,64}", bad.getMessage());
    }

    private static void publish(AtomicPublisher publisher, String runId, Map<String, String> files) throws IOException {
        try (AtomicPublisher.Publication p = publisher.begin(MARCH, runId)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path target = p.staging().resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
            }
            p.commit();
        }
    }

    private Process child(String mode, String runId) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                PublishingChild.class.getName(), out.toString(), MARCH.toString(), runId, mode)
                .redirectError(ProcessBuilder.Redirect.PIPE)   // read only once the child has ended
                .start();
    }

    private int runChild(String mode, String runId) throws Exception {
        Process p = child(mode, runId);
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "child did not finish");   // guards a hang only
        return p.exitValue();
    }

    private static String stderr(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Relative path → SHA-256 of the content, for byte-identity checks. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), sha(Files.readAllBytes(f)));
            }
        }
        return files;
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String hex(String content) {
        return sha(content.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
