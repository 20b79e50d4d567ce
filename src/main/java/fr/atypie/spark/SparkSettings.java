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
 * @param uncompressedCacheMaxEvents stored events up to which the tables the roll-ups keep in memory
 *                               are not compressed (see {@link #compressesCaches}); 0: always compressed
 */
public record SparkSettings(String master, int shufflePartitions, int advisoryPartitionMb, int inputMbPerPartition,
                            long uncompressedCacheMaxEvents, String localDir) {
    public static SparkSettings from(Section s) {
        return new SparkSettings(
                s.string("master"),
                s.integer("shuffle-partitions", 1, 100_000),
                s.integer("advisory-partition-mb", 1, 1024),
                s.integer("input-mb-per-partition", 1, 100_000),
                s.longInt("uncompressed-cache-max-events", 0, 1_000_000_000_000L),
                s.string("local-dir"));
    }

    /**
     * Whether Spark compresses the tables kept in memory for a store of {@code events} events: not up to
     * {@link #uncompressedCacheMaxEvents}. Encoding the patients' contributions into compressed columns
     * cost more than the roll-ups saved reading them: measured at scale 0.05 (8.6 M events), 7 % off a
     * monthly refresh (4 interleaved runs), +0.8 GiB of RSS. Larger stores keep compression: at region
     * size (37 M events, 8 GB heap) the uncompressed table did not fit in memory, its blocks went to the
     * local dir (peak spill 6.9 GB against 2.7 GB) and the roll-ups' stages were slower.
     */
    public boolean compressesCaches(long events) {
        return events > uncompressedCacheMaxEvents;
    }

    /** Shuffle partitions for an input of {@code inputBytes}: one per {@link #inputMbPerPartition}, {@link #shufflePartitions} at least. */
    public int partitionsFor(long inputBytes) {
        long perPartition = inputMbPerPartition * 1024L * 1024L;
        return (int) Math.max(shufflePartitions, Math.min(100_000, (inputBytes + perPartition - 1) / perPartition));
    }
}
