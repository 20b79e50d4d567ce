package fr.atypie.refresh;

import fr.atypie.publish.RunManifest;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Progress lines on stderr for long runs ("[atypie 3/9] indicators: 1,234 rows in 12.3 s") and
 * the same timings recorded into the run manifest.
 */
public final class Progress {
    private final PrintStream out;
    private final int stages;
    private final RunManifest.Builder manifest;
    private int current;

    public Progress(PrintStream out, int stages, RunManifest.Builder manifest) {
        this.out = out;
        this.stages = stages;
        this.manifest = manifest;
    }

    /** A running stage; call {@link Stage#done} with its row counts. */
    public Stage start(String name, String what) {
        current++;
        out.printf(Locale.ROOT, "[atypie %d/%d] %s: %s...%n", current, stages, name, what);
        return new Stage(name, Instant.now());
    }

    public void note(String line) {
        out.println("           " + line);
    }

    public final class Stage {
        private final String name;
        private final Instant start;

        private Stage(String name, Instant start) {
            this.name = name;
            this.start = start;
        }

        public void done(long rowsIn, long rowsOut, String summary) {
            Duration d = Duration.between(start, Instant.now());
            manifest.stage(name, rowsIn, rowsOut, d);
            out.printf(Locale.ROOT, "           %s done in %.1f s: %s%n", name, d.toMillis() / 1000.0, summary);
        }
    }
}
