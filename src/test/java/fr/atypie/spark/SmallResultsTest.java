package fr.atypie.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A small result comes back in Spark's order (nulls first, ties by the next key), from one Spark job. */
class SmallResultsTest {

    @Test
    void rowsComeBackSortedByTheirKeysFromOneJobWhereOrderByRunsTwo() {
        // A session of its own (the shared context, its own SQL settings): a refresh run by another class on
        // the shared session turns adaptive execution on, which submits each shuffle's map stage as a job.
        SparkSession spark = SharedSpark.get().newSession();
        spark.conf().set("spark.sql.adaptive.enabled", "false");
        // 40 rows in 4 partitions: k = id mod 7, null when id is a multiple of 5; v = 40 - id.
        Dataset<Row> rows = spark.range(0, 40, 1, 4)
                .select(when(col("id").mod(5).equalTo(0), lit(null)).otherwise(col("id").mod(7)).as("k"),
                        lit(40).minus(col("id")).as("v"));
        List<long[]> expected = new ArrayList<>();
        for (long id = 0; id < 40; id++) {
            expected.add(new long[] {id % 5 == 0 ? -1 : id % 7, 40 - id});   // -1: null, first
        }
        expected.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));

        JobCounter jobs = new JobCounter(spark);
        List<Row> sorted = jobs.count(() -> SmallResults.sorted(rows, col("k").asc_nulls_first(), col("v")));
        assertEquals(1, jobs.last(), "SmallResults: one job");
        assertEquals(expected.stream().map(r -> (r[0] < 0 ? "null" : String.valueOf(r[0])) + "," + r[1]).toList(),
                sorted.stream().map(r -> (r.isNullAt(0) ? "null" : String.valueOf(r.getLong(0))) + "," + r.getLong(1)).toList());
        List<Row> byOrderBy = jobs.count(() -> rows.orderBy(col("k").asc_nulls_first(), col("v")).collectAsList());
        assertEquals(2, jobs.last(), "a global orderBy: the range partitioner's sampling, then the sort");
        assertEquals(byOrderBy, sorted);
        assertEquals(sorted, SmallResults.sorted(rows, "k", "v"));   // by name: ascending, nulls first

        // As the job runs it, adaptive execution on: each shuffle's map stage is a job of its own, the
        // one-partition shuffle then the result (2) against the sampling, the map stage and the result (3).
        spark.conf().set("spark.sql.adaptive.enabled", "true");
        assertEquals(sorted, jobs.count(() -> SmallResults.sorted(rows, col("k").asc_nulls_first(), col("v"))));
        int adaptiveSmall = jobs.last();
        assertEquals(byOrderBy, jobs.count(() -> rows.orderBy(col("k").asc_nulls_first(), col("v")).collectAsList()));
        assertEquals(java.util.List.of(2, 3), java.util.List.of(adaptiveSmall, jobs.last()));
    }

    /** Counts the Spark jobs a call on this thread starts (its own job group: other classes share the session). */
    private static final class JobCounter extends SparkListener {
        private final SparkSession spark;
        private final AtomicInteger jobs = new AtomicInteger();
        private volatile String group = "";
        private int last;

        JobCounter(SparkSession spark) {
            this.spark = spark;
        }

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            if (group.equals(start.properties().getProperty("spark.jobGroup.id"))) {
                jobs.incrementAndGet();
            }
        }

        <T> T count(java.util.function.Supplier<T> call) {
            group = "small-results-" + System.nanoTime();
            jobs.set(0);
            spark.sparkContext().addSparkListener(this);
            spark.sparkContext().setJobGroup(group, "SmallResultsTest", false);
            try {
                T result = call.get();
                SharedSpark.awaitListeners(spark);
                last = jobs.get();
                return result;
            } finally {
                spark.sparkContext().clearJobGroup();
                spark.sparkContext().removeSparkListener(this);
            }
        }

        int last() {
            return last;
        }
    }
}
