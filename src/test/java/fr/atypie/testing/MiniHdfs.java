package fr.atypie.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
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

    /**
     * Closing a file waits until the namenode has heard of its block from the datanode; when it has
     * not yet, the client sleeps {@value #CLOSE_FIRST_WAIT_MS} ms, doubling, before asking again
     * (Hadoop's default first wait, 400 ms, cost about 45 s in one refresh that writes ~200 files).
     * More retries keep more patience than the default (400 ms doubled over 5 retries, about 12 s):
     * 20 ms doubled over 11, about 41 s.
     */
    static final int CLOSE_FIRST_WAIT_MS = 20;

    /** Sets the client's waits on closing a file ({@link #CLOSE_FIRST_WAIT_MS}) in {@code conf}. */
    public static void quickClose(Configuration conf) {
        conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", CLOSE_FIRST_WAIT_MS);
        conf.setInt("dfs.client.block.write.locateFollowingBlock.retries", 11);
    }

    public static MiniHdfs start(Path baseDir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
        quickClose(conf);
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

    /**
     * One MiniHdfs for a test class, its blocks in a temporary folder removed afterwards:
     * {@code @RegisterExtension static final MiniHdfs.PerClass HDFS = new MiniHdfs.PerClass();}
     * (extension callbacks run before the class's own {@code @BeforeAll} methods).
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private Path base;
        private MiniHdfs hdfs;
        private String uri;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            base = Files.createTempDirectory("atypie-hdfs-");
            hdfs = start(base);
            // The job opens the cluster's file system with the session's configuration.
            quickClose(SharedSpark.get().sparkContext().hadoopConfiguration());
            uri = hdfs.uri();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            if (hdfs != null) {
                hdfs.close();
            }
            if (base != null) {
                try (Stream<Path> walk = Files.walk(base)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }

        /** {@code hdfs://localhost:<port>}. */
        public String uri() {
            return uri;
        }

        public Configuration configuration() {
            return hdfs.configuration();
        }
    }
}
