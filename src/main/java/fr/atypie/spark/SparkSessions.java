package fr.atypie.spark;

import fr.atypie.fs.ForklessLocalFileSystem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One place that builds the Spark session. Under spark-submit the master and resources come from
 * the submission (the {@code spark.master} property is set); locally we use the configured master
 * (local[*] by default). Session time zone is pinned to UTC so dates never shift between machines.
 *
 * <p>The job's tuning ({@link SparkSettings}) only fills in what the user left unset: a
 * {@code --conf spark.sql.shuffle.partitions=400} of spark-submit, a spark-defaults.conf entry or a
 * {@code -Dspark.*} property always wins (spark-submit hands all three to the driver as system
 * properties, which {@code new SparkConf()} reads).
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession start(SparkSettings settings, String appName) {
        SparkConf user = new SparkConf(true);
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        Map<String, String> defaults = unsetDefaults(user, settings);
        for (Map.Entry<String, String> e : defaults.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        // Which settings are the job's: only those may be sized to the data later (sizeFor).
        b = b.config(JOB_SETTINGS, String.join(",", defaults.keySet()));
        if (!user.contains("spark.master")) {
            b = b.master(settings.master());
        }
        return b.getOrCreate();
    }

    /** Property listing the settings the job set itself (the user left them unset). */
    static final String JOB_SETTINGS = "spark.atypie.job-settings";
    static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

    /**
     * Sizes the shuffles to an input of {@code inputBytes} ({@link SparkSettings#partitionsFor}),
     * unless the user set the number of shuffle partitions; returns the number in force.
     */
    public static int sizeFor(SparkSession spark, SparkSettings settings, long inputBytes) {
        if (setByTheJob(spark, SHUFFLE_PARTITIONS)) {
            spark.conf().set(SHUFFLE_PARTITIONS, Integer.toString(settings.partitionsFor(inputBytes)));
        }
        return Integer.parseInt(spark.conf().get(SHUFFLE_PARTITIONS));
    }

    static final String CACHE_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

    /**
     * Sets whether the tables persisted from now on are compressed in memory, for a store of {@code events}
     * events ({@link SparkSettings#compressesCaches}), unless the user set it; returns the setting in force.
     */
    public static boolean compressCachesFor(SparkSession spark, SparkSettings settings, long events) {
        if (setByTheJob(spark, CACHE_COMPRESSED)) {
            spark.conf().set(CACHE_COMPRESSED, Boolean.toString(settings.compressesCaches(events)));
        }
        return Boolean.parseBoolean(spark.conf().get(CACHE_COMPRESSED, "true"));
    }

    /** Whether the job set {@code key} itself at start (the user left it unset): only then may it size it. */
    private static boolean setByTheJob(SparkSession spark, String key) {
        String jobs = spark.sparkContext().getConf().get(JOB_SETTINGS, "");
        return java.util.Arrays.asList(jobs.split(",")).contains(key);
    }

    /**
     * The settings the job would like, minus those {@code user} already holds. Outside
     * spark-submit (no {@code spark.master}) it also keeps the local session on the loopback
     * interface, without UI, spilling into the configured local folder.
     */
    public static Map<String, String> unsetDefaults(SparkConf user, SparkSettings settings) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("spark.sql.session.timeZone", "UTC");
        wanted.put(SHUFFLE_PARTITIONS, Integer.toString(settings.shufflePartitions()));
        wanted.put("spark.sql.adaptive.enabled", "true");
        wanted.put("spark.sql.adaptive.advisoryPartitionSizeInBytes", settings.advisoryPartitionMb() + "m");
        wanted.put("spark.ui.showConsoleProgress", "true");
        wanted.put("spark.sql.parquet.compression.codec", "snappy");
        // Spark's default, the job's to size once it knows the store (compressCachesFor).
        wanted.put(CACHE_COMPRESSED, "true");
        // Rows already partitioned by patient stay so for a join on (patient, month): without this a
        // join of two patient-partitioned sides re-shuffles both on all its keys. Measured, full rebuild
        // at scale 0.05: the indicator cube's shuffles 489 -> 283 MiB, its tasks 112 -> 97 s.
        wanted.put("spark.sql.requireAllClusterKeysForCoPartition", "false");
        // Shuffle files are deleted once the driver's garbage collector has dropped their Dataset, and
        // a large driver heap collects rarely (Spark's default: a forced GC every 30 min). Measured,
        // full rebuild at scale 0.05: peak local-dir size 793 -> 527 MiB (52 -> 35 B per extract
        // row) with 1 min, 330 vs 328 s wall. A 5-minute build still ended stages between two of those
        // collections: the previous month at scale 0.05 peaked at 677-815 MiB (45-56 B/row) with 1 min,
        // 496 MiB (34 B/row) with 20 s, 308 vs 313 s wall. The launcher's -XX:+ExplicitGCInvokesConcurrent
        // (pom.xml, job.gc.flags) makes each a concurrent cycle: 7-20 ms pauses instead of full ones.
        wanted.put("spark.cleaner.periodicGC.interval", "20s");
        // Spark's partial aggregations first look a key up in a small "fast" map (2^16 entries) and go
        // to the regular map once it is full. The job's aggregations have millions of keys per task
        // (patient-months, patient-windows, netted lines): the fast map is full after the first few
        // thousand rows and every later row pays a useless probe, comparing its key field by field
        // (SPARK-37001 turned it off for final aggregations for the same reason). Measured, two full
        // rebuilds at scale 0.05 back to back, on then off: 560 -> 510 s of user CPU (indicators' cube
        // 70 -> 61 s of tasks), the same 358 published files; samples under the fast map's lookups were
        // 10.6 % of the executors' (JFR), string comparison fell from 3.8 to 0.3 %.
        wanted.put("spark.sql.codegen.aggregate.map.twolevel.enabled", "false");
        // HotSpot does not compile a method of more than 8,000 bytes of bytecode; Spark's default limit
        // (65,535) keeps whole-stage code that large, which then runs interpreted. The scan of a SAS
        // export, every number a double checked row by row, made such a method: 8,000 (Spark's advice on
        // HotSpot) falls back to per-operator code there. Measured, 'atypie validate' of the SAS copy at
        // scale 0.01: 6 min 50 s -> 3 min 04 s, the same report.
        wanted.put("spark.sql.codegen.hugeMethodLimit", "8000");
        // The job's own Parquet files hold dates as written, in the proleptic Gregorian calendar Spark 3
        // reads them in: Spark's default fails the write of a date before 1582-10-15 (a 0001-01-01
        // placeholder of an extract, quarantined with its row). The reader reads extracts likewise.
        wanted.put("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED");
        wanted.put("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED");
        if (!user.contains("spark.master")) {
            wanted.put("spark.local.dir", settings.localDir());
            // One heap holds the driver and the executor: the launcher's, 7 GB by default so that the process
            // peaks at about 8 GiB (the heap plus about 0.9 GiB of the JVM's own: G1's tables, metaspace, compiled
            // code). Spark's memory for shuffles and cached tables is this fraction of it beyond 300 MB: 0.7 of
            // 7 GB is the 4.7 GB that Spark's 0.6 gave an 8 GB heap, leaving 2.0 GB for the rest (broadcasts,
            // the driver's objects). Measured, full builds: region size (0.4, 13 months, 66 M rows) 7.81-7.92 GiB
            // of RSS and 38 B/row of spill, against 9.0 GiB and 40 B/row with 8 GB at 0.6 (57 B/row with 7 GB at
            // 0.6); Occitanie size (304 M rows, 2026-12-08, eb1d0d3) completed at 8.006 GiB, 99 B/row (8 GB at
            // 0.6: 8.8 GiB, 57 B/row). It had failed there before the patient dimension was broadcast once in
            // event building (Validator.stored): the four copies (1.2 GB each) left the heap no room for the pages
            // Spark's memory manager granted ("Failed to allocate a page", then a StackOverflowError).
            wanted.put("spark.memory.fraction", "0.7");
            wanted.put("spark.ui.enabled", "false");
            wanted.put("spark.driver.host", "127.0.0.1");
            wanted.put("spark.driver.bindAddress", "127.0.0.1");
            // Local runs only: on a cluster the executors would have to load it from the job's jar.
            wanted.put("spark.hadoop." + ForklessLocalFileSystem.KEY, ForklessLocalFileSystem.class.getName());
        }
        wanted.keySet().removeIf(user::contains);
        return wanted;
    }

    /**
     * Asks the driver's garbage collector for a cycle (concurrent with the launcher's flags), so that Spark's
     * cleaner deletes the shuffle files of the Datasets a finished stage of the job dropped before the next
     * one writes its own: the local dir then peaks at the larger of two stages' shuffles, not at their sum
     * when the periodic collection ({@code spark.cleaner.periodicGC.interval}) falls late.
     */
    public static void releaseDroppedShuffles() {
        System.gc();
    }
}
