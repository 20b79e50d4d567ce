package fr.atypie.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Writes into folders by a column's value (Parquet {@code partitionBy}) with one open file per
 * folder in each task, instead of Spark's default: sorting each task's rows by the folder columns
 * first, every column of every row, before writing any. For {@code MonthLines}, whose tasks read a
 * few month folders in file order. Past {@code maxWriters} folders in a task, Spark sorts the rest
 * of that task's rows as before, so the files hold the same rows either way.
 *
 * <p>Tried on the event store's write (tables × care months, after the netting window): the same
 * task time at scale 0.05 (97.0 s sorted, 100.4 s with open files), so it sorts as Spark does.
 */
public final class PartitionedWrites {
    static final String MAX_WRITERS = "spark.sql.maxConcurrentOutputFileWriters";

    private PartitionedWrites() {}

    /**
     * Runs {@code write} with up to {@code maxWriters} open files per task (0: none, Spark's sort), then
     * restores the session's setting. The setting is the session's: not for writes run at once on it.
     */
    public static void withOpenFiles(SparkSession session, int maxWriters, Runnable write) {
        String before = session.conf().get(MAX_WRITERS);
        if (Integer.parseInt(before.trim()) >= maxWriters) {
            // Already so (the tests' shared session, whose classes write at once): nothing to set, nor to
            // restore under another thread's write, which would then meet unsorted rows (a file written twice).
            write.run();
            return;
        }
        session.conf().set(MAX_WRITERS, Integer.toString(maxWriters));
        try {
            write.run();
        } finally {
            session.conf().set(MAX_WRITERS, before);
        }
    }
}
