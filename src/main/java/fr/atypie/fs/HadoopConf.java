package fr.atypie.fs;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** The Hadoop configuration to open file systems with: the active Spark session's, else the default one. */
final class HadoopConf {
    private HadoopConf() {}

    static Configuration current() {
        scala.Option<SparkSession> s = SparkSession.getActiveSession();
        if (s.isEmpty()) {
            s = SparkSession.getDefaultSession();
        }
        if (s.isDefined()) {
            return s.get().sparkContext().hadoopConfiguration();
        }
        // Hadoop caches one file system per scheme whatever the configuration: the local one
        // opened before the session starts (configuration files) must already be the fork-free one.
        Configuration c = new Configuration();
        if (c.get(ForklessLocalFileSystem.KEY) == null) {
            c.set(ForklessLocalFileSystem.KEY, ForklessLocalFileSystem.class.getName());
        }
        return c;
    }
}
