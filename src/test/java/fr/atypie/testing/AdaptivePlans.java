package fr.atypie.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.exchange.BroadcastExchangeExec;
import scala.collection.JavaConverters;

/**
 * A query run under adaptive execution, as the job runs it (the tests' shared session runs without), and
 * the broadcasts its final plan built: one where a broadcast is reused, copies where SPARK-58767 (no exchange
 * is reused above a cached table) strikes. Tests using it hold the {@link #LOCK} resource: they switch the
 * shared session's setting for a while.
 */
public final class AdaptivePlans {
    /** The JUnit resource of the shared session's {@code spark.sql.adaptive.enabled}. */
    public static final String LOCK = "spark.sql.adaptive.enabled";

    private AdaptivePlans() {}

    /** Collects {@code query} under adaptive execution, checks it gave {@code rows} rows, and returns its final plan. */
    public static SparkPlan ran(Dataset<Row> query, long rows) {
        var conf = query.sparkSession().conf();
        String before = conf.get(LOCK);
        conf.set(LOCK, "true");
        try {
            assertEquals(rows, query.collectAsList().size());
            AdaptiveSparkPlanExec adaptive = (AdaptiveSparkPlanExec) query.queryExecution().executedPlan();
            assertTrue(adaptive.isFinalPlan());
            return adaptive.executedPlan();
        } finally {
            conf.set(LOCK, before);
        }
    }

    /**
     * The broadcast exchanges {@code plan} built (not those it reused), as their modes' text, e.g.
     * {@code HashedRelationBroadcastMode(List(input[0, string, true], ...)}. The plans of cached tables it
     * scans are not entered: a cached table is built once, whatever reads it.
     */
    public static List<String> builtBroadcasts(SparkPlan plan) {
        List<String> out = new ArrayList<>();
        collect(plan, out);
        return out;
    }

    private static void collect(SparkPlan plan, List<String> out) {
        if (plan instanceof BroadcastExchangeExec b) {
            out.add(b.mode().toString());
        }
        // A query stage is a leaf holding its plan; a reused exchange and a cached table's scan are leaves too.
        List<SparkPlan> next = plan instanceof QueryStageExec stage ? List.of(stage.plan())
                : JavaConverters.seqAsJavaList(plan.children());
        for (SparkPlan child : next) {
            collect(child, out);
        }
    }
}
