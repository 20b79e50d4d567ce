package fr.atypie.spark;

import fr.atypie.settings.Section;

/**
 * How the job gets its Spark session when it is not already inside spark-submit.
 *
 * @param shufflePartitions   partitions of every shuffle before adaptive execution coalesces them
 * @param advisoryPartitionMb target size of a coalesced shuffle partition; small, because the
 *                            job's shuffles are CPU-heavy per byte (wide aggregations, windows):
 *                            64 MB partitions left one of two cores idle
 */
public record SparkSettings(String master, int shufflePartitions, int advisoryPartitionMb, String localDir) {
    public static SparkSettings from(Section s) {
        return new SparkSettings(
                s.string("master"),
                s.integer("shuffle-partitions", 1, 100_000),
                s.integer("advisory-partition-mb", 1, 1024),
                s.string("local-dir"));
    }
}
