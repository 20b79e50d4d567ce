package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.publish.RunManifest;
import fr.atypie.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("counts every job of the shared session")
class SparkWorkListenerTest {

    @Test
    void countsTasksStagesAndTheShuffleOfEachStageOnItsOwn() {
        SparkSession spark = SharedSpark.get();
        try (SparkWorkListener listener = SparkWorkListener.register(spark.sparkContext())) {
            // No shuffle: one Spark stage of 4 tasks (one per partition).
            SparkWorkListener.Snapshot start = listener.begin();
            assertEquals(1000L, spark.range(0, 1000, 1, 4).javaRDD().count());
            RunManifest.SparkWork narrow = listener.since(start);
            assertEquals(0, narrow.shuffleWriteBytes());
            assertEquals(0, narrow.shuffleReadBytes());
            assertEquals(1, narrow.sparkStages());
            assertEquals(4, narrow.tasks());
            assertNull(narrow.heaviestShuffle());

            // One shuffle (tests run with 2 shuffle partitions, no adaptive execution): 4 map tasks
            // write it, 2 reduce tasks read all of it; it is named by the call that ran it.
            // Another test of the shared session may have left adaptive execution on: set what this needs.
            String adaptive = spark.conf().get("spark.sql.adaptive.enabled");
            String partitions = spark.conf().get("spark.sql.shuffle.partitions");
            spark.conf().set("spark.sql.adaptive.enabled", "false");
            spark.conf().set("spark.sql.shuffle.partitions", "2");
            RunManifest.SparkWork wide;
            try {
                start = listener.begin();
                assertEquals(10, spark.range(0, 1000, 1, 4).groupBy(col("id").mod(10)).count().collectAsList().size());
                wide = listener.since(start);
            } finally {
                spark.conf().set("spark.sql.adaptive.enabled", adaptive);
                spark.conf().set("spark.sql.shuffle.partitions", partitions);
            }
            assertTrue(wide.shuffleWriteBytes() > 0);
            assertEquals(wide.shuffleWriteBytes(), wide.shuffleReadBytes());
            assertEquals(2, wide.sparkStages());
            assertEquals(6, wide.tasks());
            assertEquals(wide.shuffleWriteBytes(), wide.heaviestShuffleBytes());
            assertTrue(wide.heaviestShuffle().contains("SparkWorkListenerTest"), wide.heaviestShuffle());
        }
    }
}
