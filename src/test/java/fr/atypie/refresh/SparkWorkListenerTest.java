package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.publish.RunManifest;
import fr.atypie.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

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
            start = listener.begin();
            assertEquals(10, spark.range(0, 1000, 1, 4).groupBy(col("id").mod(10)).count().collectAsList().size());
            RunManifest.SparkWork wide = listener.since(start);
            assertTrue(wide.shuffleWriteBytes() > 0);
            assertEquals(wide.shuffleWriteBytes(), wide.shuffleReadBytes());
            assertEquals(2, wide.sparkStages());
            assertEquals(6, wide.tasks());
            assertEquals(wide.shuffleWriteBytes(), wide.heaviestShuffleBytes());
            assertTrue(wide.heaviestShuffle().contains("SparkWorkListenerTest"), wide.heaviestShuffle());
        }
    }
}
