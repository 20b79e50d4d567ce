package fr.atypie.fs;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/** The Hadoop configuration to open file systems with: the active Spark session's, else the default. */
final class HadoopConf {
    private HadoopConf() {}

    static Configuration current() {
        scala.Option<SparkSession> s = SparkSession.getActiveSession();
        if (s.isEmpty()) {
            s = SparkSession.getDefaultSession();
        }
        return s.isDefined() ? s.get().sparkContext().hadoopConfiguration() : new Configuration();
    }
}
