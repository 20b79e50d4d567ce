package fr.atypie.config;

/** How the job gets its Spark session when it is not already inside spark-submit. */
public record SparkSettings(String master, int shufflePartitions, String localDir) {
    static SparkSettings from(Section s) {
        return new SparkSettings(
                s.string("master"),
                s.integer("shuffle-partitions", 1, 100_000),
                s.string("local-dir"));
    }
}
