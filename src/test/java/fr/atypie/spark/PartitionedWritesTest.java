package fr.atypie.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** A partitioned write with open files per folder: no sort of the rows, the same rows in each folder. */
@Isolated("sets the shared session's settings and watches its plans")
class PartitionedWritesTest {
    @TempDir
    Path dir;

    @Test
    void writesEachFolderWithoutSortingTheRowsAndRestoresTheSetting() throws Exception {
        SparkSession spark = SharedSpark.get();
        Dataset<Row> rows = spark.range(0, 1000).withColumn("month", col("id").mod(7)).repartition(2);
        String before = spark.conf().get(PartitionedWrites.MAX_WRITERS);
        // Spark's default, as the job's session has it (the tests' session keeps files open; this class runs alone).
        spark.conf().set(PartitionedWrites.MAX_WRITERS, "0");
        try {
            // No open-file limit: the task's rows sorted by month before they are written.
            String sorted = planOf(spark, () -> rows.write().partitionBy("month").parquet(dir.resolve("sorted").toString()));
            String open = planOf(spark, () -> PartitionedWrites.withOpenFiles(spark, 8,
                    () -> rows.write().partitionBy("month").parquet(dir.resolve("open").toString())));
            assertTrue(sorted.contains("Sort ["), sorted);
            assertFalse(open.contains("Sort ["), open);
            assertEquals("0", spark.conf().get(PartitionedWrites.MAX_WRITERS), "the setting restored");
            for (long month = 0; month < 7; month++) {
                assertEquals(rows.where(col("month").equalTo(month)).drop("month").orderBy("id").collectAsList(),
                        spark.read().parquet(dir.resolve("open").resolve("month=" + month).toString()).orderBy("id").collectAsList());
                assertTrue(Files.list(dir.resolve("open").resolve("month=" + month)).count() > 0);
            }

            // A session that keeps enough files open already is left as it is (no setting to restore
            // under another thread's write).
            spark.conf().set(PartitionedWrites.MAX_WRITERS, "64");
            String kept = planOf(spark, () -> PartitionedWrites.withOpenFiles(spark, 8,
                    () -> rows.write().partitionBy("month").parquet(dir.resolve("kept").toString())));
            assertFalse(kept.contains("Sort ["), kept);
            assertEquals("64", spark.conf().get(PartitionedWrites.MAX_WRITERS));
        } finally {
            spark.conf().set(PartitionedWrites.MAX_WRITERS, before);
        }
    }

    /** The optimised and physical plans of the one write {@code write} runs, as text. */
    private static String planOf(SparkSession spark, Runnable write) {
        List<String> plans = new CopyOnWriteArrayList<>();
        QueryExecutionListener listener = new QueryExecutionListener() {
            @Override
            public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
                plans.add(qe.optimizedPlan().toString() + "\n" + qe.executedPlan().toString());
            }

            @Override
            public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
        };
        // Listeners hear of a query on Spark's listener bus, a moment later: the queries before are
        // delivered before this listener is added (a read just before was once taken for the write),
        // the write's before its plan is read.
        SharedSpark.awaitListeners(spark);
        spark.listenerManager().register(listener);
        try {
            write.run();
            SharedSpark.awaitListeners(spark);
        } finally {
            spark.listenerManager().unregister(listener);
        }
        assertEquals(1, plans.size(), "one write");
        return plans.get(0);
    }
}
