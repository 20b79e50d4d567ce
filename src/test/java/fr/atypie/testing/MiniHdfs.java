package fr.atypie.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS in this JVM for the HDFS tests: one namenode and one datanode on ephemeral ports
 * (hadoop-client-minicluster, the Hadoop version Spark 3.5.7 ships with), its blocks under a
 * temporary folder.
 */
public final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;

    private MiniHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    public static MiniHdfs start(Path baseDir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        return new MiniHdfs(cluster);
    }

    /** {@code hdfs://localhost:<port>}: prefix of the locations the tests pass to the job. */
    public String uri() throws IOException {
        return cluster.getFileSystem().getUri().toString();
    }

    /** The cluster's client configuration (for a {@code Store} opened outside a Spark session). */
    public Configuration configuration() {
        return cluster.getConfiguration(0);
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
