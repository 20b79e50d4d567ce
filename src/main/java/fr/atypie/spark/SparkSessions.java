package fr.atypie.spark;

import fr.atypie.config.SparkSettings;
import org.apache.spark.sql.SparkSession;

/**
 * One place that builds the Spark session. Under spark-submit the master and resources come from
 * the submission (the {@code spark.master} property is set); locally we use the configured master
 * (local[*] by default). Session time zone is pinned to UTC so dates never shift between machines.
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession start(SparkSettings settings, String appName) {
        SparkSession.Builder b = SparkSession.builder()
                .appName(appName)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", settings.shufflePartitions())
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.adaptive.advisoryPartitionSizeInBytes", settings.advisoryPartitionMb() + "m")
                .config("spark.ui.showConsoleProgress", "true")
                .config("spark.sql.parquet.compression.codec", "snappy");
        if (System.getProperty("spark.master") == null) {
            b = b.master(settings.master())
                    .config("spark.local.dir", settings.localDir())
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        return b.getOrCreate();
    }
}
