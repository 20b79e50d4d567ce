package fr.atypie.spark;

import fr.atypie.settings.Section;

/**
 * How the job gets its Spark session when it is not already inside spark-submit.
 *
 * @param shufflePartitions      partitions of every shuffle before adaptive execution coalesces them,
 *                               at least; more for a larger input (see {@link #partitionsFor})
 * @param advisoryPartitionMb    target size of a coalesced shuffle partition; small, because the
 *                               job's shuffles are CPU-heavy per byte (wide aggregations, windows):
 *                               64 MB partitions left one of two cores idle
 * @param inputMbPerPartition    input (Parquet MB of the flux tables read) per shuffle partition: a
 *                               region-size extract gets partitions that a task can sort in memory
 */
public record SparkSettings(String master, int shufflePartitions, int advisoryPartitionMb, int inputMbPerPartition,
                            String localDir) {
    public static SparkSettings from(Section s) {
        return new SparkSettings(
                s.string("master"),
                s.integer("shuffle-partitions", 1, 100_000),
                s.integer("advisory-partition-mb", 1, 1024),
                s.integer("input-mb-per-partition", 1, 100_000),
                s.string("local-dir"));
    }

    /** Shuffle partitions for an input of {@code inputBytes}: one per {@link #inputMbPerPartition}, {@link #shufflePartitions} at least. */
    public int partitionsFor(long inputBytes) {
        long perPartition = inputMbPerPartition * 1024L * 1024L;
        return (int) Math.max(shufflePartitions, Math.min(100_000, (inputBytes + perPartition - 1) / perPartition));
    }
}
