package fr.atypie.refresh;

import fr.atypie.publish.RunManifest;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Progress lines on stderr for long runs ("[atypie 3/7] indicators ... done in 12.3 s") and the
 * same timings, recorded into the run manifest once it exists ({@link #recordInto}).
 */
public final class Progress {
    private final PrintStream out;
    private final int stages;
    private final List<RunManifest.StageTiming> timings = new ArrayList<>();
    private RunManifest.Builder manifest;
    private int current;

    public Progress(PrintStream out, int stages) {
        this.out = out;
        this.stages = stages;
    }

    /** Sends the timings so far, and those of later stages, to the manifest. */
    public void recordInto(RunManifest.Builder m) {
        this.manifest = m;
        for (RunManifest.StageTiming t : timings) {
            m.stage(t.name(), t.rowsIn(), t.rowsOut(), Duration.ofMillis(Math.round(t.seconds() * 1000)));
        }
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
            if (manifest != null) {
                manifest.stage(name, rowsIn, rowsOut, d);
            } else {
                timings.add(new RunManifest.StageTiming(name, rowsIn, rowsOut, d.toMillis() / 1000.0));
            }
            out.printf(Locale.ROOT, "           %s done in %.1f s: %s%n", name, d.toMillis() / 1000.0, summary);
        }
    }
}
