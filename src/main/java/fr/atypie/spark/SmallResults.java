package fr.atypie.spark;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Small results (indicator values by department and month, published tables) brought to the driver
 * in order. A global {@code orderBy(...).collectAsList()} runs two Spark jobs: the range partitioner's
 * sampling, which computes the result's last stage once more, then the sort. Gathered into one
 * partition and sorted there, it is one job; the order is the same (Spark's ordering, ties in the
 * order the rows arrive). Only for results the driver holds anyway.
 */
public final class SmallResults {
    private SmallResults() {}

    public static List<Row> sorted(Dataset<Row> result, Column... by) {
        return result.repartition(1).sortWithinPartitions(by).collectAsList();
    }

    public static List<Row> sorted(Dataset<Row> result, String first, String... more) {
        return result.repartition(1).sortWithinPartitions(first, more).collectAsList();
    }
}
