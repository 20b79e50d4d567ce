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
 * same timings, recorded into the run manifest once it exists ({@link #recordInto}), with the
 * shuffle and spill bytes of each stage when a {@link SparkWorkListener} is given.
 */
public final class Progress {
    private final PrintStream out;
    private final int stages;
    private final SparkWorkListener spark;
    private final List<RunManifest.StageTiming> timings = new ArrayList<>();
    private RunManifest.Builder manifest;
    private int current;

    public Progress(PrintStream out, int stages) {
        this(out, stages, null);
    }

    Progress(PrintStream out, int stages, SparkWorkListener spark) {
        this.out = out;
        this.stages = stages;
        this.spark = spark;
    }

    /** Sends the timings so far, and those of later stages, to the manifest. */
    public void recordInto(RunManifest.Builder m) {
        this.manifest = m;
        for (RunManifest.StageTiming t : timings) {
            m.stage(t.name(), t.rowsIn(), t.rowsOut(), Duration.ofMillis(Math.round(t.seconds() * 1000)), t.spark());
        }
    }

    /** A running stage; call {@link Stage#done} with its row counts. */
    public Stage start(String name, String what) {
        current++;
        out.printf(Locale.ROOT, "[atypie %d/%d] %s: %s...%n", current, stages, name, what);
        return new Stage(name, Instant.now(), spark == null ? null : spark.begin());
    }

    public void note(String line) {
        out.println("           " + line);
    }

    public final class Stage {
        private final String name;
        private final Instant start;
        private final SparkWorkListener.Snapshot sparkAtStart;

        private Stage(String name, Instant start, SparkWorkListener.Snapshot sparkAtStart) {
            this.name = name;
            this.start = start;
            this.sparkAtStart = sparkAtStart;
        }

        public void done(long rowsIn, long rowsOut, String summary) {
            Duration d = Duration.between(start, Instant.now());
            RunManifest.SparkWork work = sparkAtStart == null ? null : spark.since(sparkAtStart);
            if (manifest != null) {
                manifest.stage(name, rowsIn, rowsOut, d, work);
            } else {
                timings.add(new RunManifest.StageTiming(name, rowsIn, rowsOut, d.toMillis() / 1000.0, work));
            }
            out.printf(Locale.ROOT, "           %s done in %.1f s: %s%s%n", name, d.toMillis() / 1000.0, summary,
                    work == null ? "" : String.format(Locale.ROOT, " [shuffle %,d MiB written, spill %,d MiB to disk]",
                            work.shuffleWriteBytes() >> 20, work.diskSpillBytes() >> 20));
        }
    }
}
