package fr.atypie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code main} as spark-submit calls it, in a child JVM: a success returns (a System.exit there
 * would make YARN cluster mode mark the run FAILED), a failure exits with its code.
 */
class MainExitTest {
    /** Calls main, then says it got control back: only possible if main returned. */
    public static final class Caller {
        public static void main(String[] args) {
            AtypieCli.main(args);
            System.out.println("main returned");
        }
    }

    @Test
    void successReturnsFromMainWithoutExiting() throws Exception {
        Child c = child(Caller.class, "--version");
        assertEquals(0, c.exit, c.output);
        assertTrue(c.output.contains("atypie "), c.output);
        assertTrue(c.output.contains("main returned"), c.output);
    }

    @Test
    void failuresExitWithTheirCode(@TempDir Path dir) throws Exception {
        Child badConfig = child(Caller.class, "validate", dir.toString(), "--set", "atypie.spark.shuffle-partitions=0");
        assertEquals(ExitCodes.BAD_CONFIG, badConfig.exit, badConfig.output);
        assertTrue(badConfig.output.contains("configuration error: atypie.spark.shuffle-partitions = 0"), badConfig.output);
        assertTrue(!badConfig.output.contains("main returned"), badConfig.output);
        Child usage = child(AtypieCli.class, "refresh", "--month", "December");
        assertEquals(ExitCodes.USAGE, usage.exit, usage.output);
    }

    private record Child(int exit, String output) {}

    private static Child child(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "child JVM did not end");   // guards a hang only
        return new Child(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
