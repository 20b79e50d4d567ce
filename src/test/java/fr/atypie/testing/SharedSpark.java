package fr.atypie.testing;

import fr.atypie.fs.ForklessLocalFileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for the whole test JVM (starting Spark costs seconds; surefire reuses
 * the fork). Two threads, few shuffle partitions, UTC, no UI: small hand-written Datasets run fast.
 */
public final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("atypie-tests")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.adaptive.enabled", "false")
                    // Writes by folder keep a file open per folder (PartitionedWrites) without setting it per
                    // write: classes run at once on this session, and one write's setting restored under
                    // another's plan made Spark write one file twice.
                    .config("spark.sql.maxConcurrentOutputFileWriters", "64")
                    // The classes run the same refresh and validation plans again and again: compiled code kept
                    // for 4,000 plans instead of 100 (a refresh compiles several hundred), so that a later class's
                    // identical plan is not compiled again (Janino: a fifth of a validation test's CPU samples).
                    .config("spark.sql.codegen.cache.maxEntries", "4000")
                    // The job's limit (SparkSessions): wider whole-stage code falls back to per-operator code, as
                    // in the job, whether or not a refresh of another class has set it on this session yet.
                    .config("spark.sql.codegen.hugeMethodLimit", "8000")
                    .config("spark.hadoop." + ForklessLocalFileSystem.KEY, ForklessLocalFileSystem.class.getName())
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    /**
     * Waits until Spark's listener bus has delivered every event posted so far: listeners hear of jobs
     * and queries on the bus's own thread, a moment after they happen.
     */
    public static void awaitListeners(SparkSession spark) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus still busy after 60 s", e);
        }
    }
}
