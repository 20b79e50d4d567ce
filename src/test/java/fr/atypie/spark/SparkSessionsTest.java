package fr.atypie.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The job's Spark tuning fills in only what the submission left unset. */
@Isolated("sets system properties")
class SparkSessionsTest {
    private static final SparkSettings SETTINGS = new SparkSettings("local[2]", 8, 4, 16, 12_000_000L, "/tmp/spill");

    @Test
    void locallyEverySettingIsTheJobs() {
        Map<String, String> d = SparkSessions.unsetDefaults(new SparkConf(false), SETTINGS);
        assertEquals("8", d.get("spark.sql.shuffle.partitions"));
        assertEquals("4m", d.get("spark.sql.adaptive.advisoryPartitionSizeInBytes"));
        assertEquals("UTC", d.get("spark.sql.session.timeZone"));
        assertEquals("/tmp/spill", d.get("spark.local.dir"));
        assertEquals("127.0.0.1", d.get("spark.driver.host"));
        assertEquals("fr.atypie.fs.ForklessLocalFileSystem", d.get("spark.hadoop.fs.file.impl"));
        // The one heap of a local run (bin/atypie's 7 GB) gives Spark what 0.6 of 8 GB gave it.
        assertEquals("0.7", d.get("spark.memory.fraction"));
        // Spark's own default, held as the job's so that it can be sized to the store.
        assertEquals("true", d.get("spark.sql.inMemoryColumnarStorage.compressed"));
    }

    @Test
    void cachesAreCompressedAboveTheEventsSet() {
        assertFalse(SETTINGS.compressesCaches(8_641_674L));      // scale 0.05
        assertFalse(SETTINGS.compressesCaches(12_000_000L));
        assertTrue(SETTINGS.compressesCaches(12_000_001L));
        assertTrue(SETTINGS.compressesCaches(37_139_326L));      // region size (0.4, 13 months)
        assertTrue(new SparkSettings("local[2]", 8, 4, 16, 0L, "/tmp/spill").compressesCaches(1L));
    }

    @Test
    void settingsGivenToSparkSubmitWin() {
        // What yarn-submit.sh passes (--conf), as the driver sees it: spark.* system properties.
        SparkConf submitted = new SparkConf(false).set("spark.master", "yarn")
                .set("spark.sql.shuffle.partitions", "400")
                .set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "128m");
        Map<String, String> d = SparkSessions.unsetDefaults(submitted, SETTINGS);
        assertFalse(d.containsKey("spark.sql.shuffle.partitions"));
        assertFalse(d.containsKey("spark.sql.adaptive.advisoryPartitionSizeInBytes"));
        assertEquals("UTC", d.get("spark.sql.session.timeZone"));
        // Under spark-submit the cluster decides where to spill and which address to bind.
        assertFalse(d.containsKey("spark.local.dir"));
        assertFalse(d.containsKey("spark.driver.host"));
        assertEquals(Map.ofEntries(Map.entry("spark.sql.session.timeZone", "UTC"), Map.entry("spark.sql.adaptive.enabled", "true"),
                Map.entry("spark.ui.showConsoleProgress", "true"), Map.entry("spark.sql.parquet.compression.codec", "snappy"),
                Map.entry("spark.sql.inMemoryColumnarStorage.compressed", "true"),
                Map.entry("spark.sql.requireAllClusterKeysForCoPartition", "false"), Map.entry("spark.cleaner.periodicGC.interval", "20s"),
                Map.entry("spark.sql.codegen.aggregate.map.twolevel.enabled", "false"), Map.entry("spark.sql.codegen.hugeMethodLimit", "8000"),
                Map.entry("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED"),
                Map.entry("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")), d);
    }

    @Test
    void shufflesAreSizedToTheInputAtLeastToTheSetting() {
        assertEquals(8, SETTINGS.partitionsFor(0));
        assertEquals(8, SETTINGS.partitionsFor(128L << 20));       // 8 × 16 MB
        assertEquals(9, SETTINGS.partitionsFor((128L << 20) + 1));
        assertEquals(320, SETTINGS.partitionsFor(5L << 30));      // a region: 5 GiB of flux Parquet
    }

    @Test
    void aSparkPropertyOfTheDriverJvmWins() {
        String key = "spark.sql.shuffle.partitions";
        String before = System.getProperty(key);
        System.setProperty(key, "33");
        try {
            assertFalse(SparkSessions.unsetDefaults(new SparkConf(true), SETTINGS).containsKey(key));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
