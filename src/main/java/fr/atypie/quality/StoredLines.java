package fr.atypie.quality;

import static fr.atypie.quality.QuarantineColumns.RULE;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import fr.atypie.spark.Columns;
import fr.atypie.spark.ScalaSeqs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * A flux table's lines as validation keeps them between its passes: every line read, with the
 * rule of the first row check it failed, written once as Parquet with a line number and two 64-bit
 * hashes, one of its key columns and one of the columns that make two lines "the same service".
 *
 * <p>The checks between rows then cost little: duplicate keys and regularisations that cancel
 * nothing concern few lines, so each is found by a narrow aggregation on the hashes (a long per
 * line), then decided exactly, by the real columns, on the few lines whose hash is shared. No pass
 * moves the wide lines between partitions, and the stored files cut the plan's lineage: nothing
 * is kept in memory and Spark's shuffle files can go once a pass is done.
 *
 * <p>Lines carry {@link #LINE}, unique within the store, so that a cross-row verdict can be
 * joined back to its line, even to one of several identical copies.
 */
final class StoredLines {
    /** Line number, unique within one store. */
    static final String LINE = "_q_line";
    /** {@code xxhash64} of the key columns, in their order. */
    static final String KEY_HASH = "_q_key_hash";
    private static final String SERVICE_HASH = "_q_service_hash";
    private static final String RANK = "_q_rank";
    private static final String COPIES = "_q_copies";
    private static final String MAX_QTY = "_q_max_qty";
    /** Verdicts of the cross-row checks: the line, its rule, and the copies of its key (duplicates). */
    static final String VERDICT = "_q_verdict";
    static final String VERDICT_COPIES = "_q_verdict_copies";

    private final Dataset<Row> lines;
    private final List<String> keys;
    private final List<String> sameService;

    private StoredLines(Dataset<Row> lines, List<String> keys, List<String> sameService) {
        this.lines = lines;
        this.keys = keys;
        this.sameService = sameService;
    }

    /**
     * Writes {@code checked} (the table's columns, {@code rule} and {@code reason}, and any payload)
     * into {@code dir}, replacing what was there, and returns the stored lines.
     *
     * @param keys        the columns a line's key is made of (duplicates: at most one clean line per key)
     * @param sameService the columns that make two lines the same service (regularisations)
     */
    static StoredLines write(Dataset<Row> checked, Store dir, List<String> keys, List<String> sameService) {
        writeNumbered(checked, dir, 0, keys, sameService);
        SparkSession spark = checked.sparkSession();
        return of(spark.read().parquet(dir.toString()), keys, sameService);
    }

    /**
     * Writes {@code checked} into {@code dir} as {@link #write} does, its line numbers starting from
     * {@code firstLine} (Spark's monotonically increasing id added to it), and reads nothing back.
     */
    static void writeNumbered(Dataset<Row> checked, Store dir, long firstLine, List<String> keys, List<String> sameService,
                              String... partitionBy) {
        try {
            dir.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir.shown(), e);
        }
        numbered(checked, firstLine, keys, sameService).write().mode(SaveMode.Overwrite).partitionBy(partitionBy)
                .parquet(dir.toString());
    }

    /** {@code checked} with the stored columns added: line number (from {@code firstLine}) and hashes. */
    static Dataset<Row> numbered(Dataset<Row> checked, long firstLine, List<String> keys, List<String> sameService) {
        return checked.withColumn(LINE, monotonically_increasing_id().plus(firstLine))
                .withColumn(KEY_HASH, xxhash64(Columns.named(keys)))
                .withColumn(SERVICE_HASH, xxhash64(Columns.named(sameService)));
    }

    /** Lines stored by {@link #writeNumbered} and read back (some of them, or several stores'). */
    static StoredLines of(Dataset<Row> stored, List<String> keys, List<String> sameService) {
        return new StoredLines(stored, keys, sameService);
    }

    /** Every stored line, with its stored columns (line number and hashes included). */
    Dataset<Row> lines() {
        return lines;
    }

    /**
     * Clean lines whose key another clean line holds, all but the first of each key in the order of
     * {@code order} (then of the line number, between identical copies): {@link #LINE},
     * {@link #VERDICT} = {@code rule}, {@link #VERDICT_COPIES} = lines holding the key.
     */
    Dataset<Row> duplicates(QuarantineRule rule, Column[] order) {
        Dataset<Row> clean = lines.filter(col(RULE).isNull());
        Dataset<Row> shared = clean.groupBy(KEY_HASH).agg(count(lit(1)).as(COPIES)).filter(col(COPIES).gt(1)).select(KEY_HASH);
        Column[] byKeyThenLine = Stream.concat(Arrays.stream(order), Stream.of(col(LINE)))
                .toArray(Column[]::new);
        var key = Window.partitionBy(Columns.named(keys));
        return clean.join(broadcast(shared), ScalaSeqs.of(List.of(KEY_HASH)), "left_semi")
                .withColumn(RANK, row_number().over(key.orderBy(byKeyThenLine)))
                .withColumn(COPIES, count(lit(1)).over(key))
                .filter(col(RANK).gt(1))
                .select(col(LINE), lit(rule.code()).as(VERDICT), col(COPIES).cast(DataTypes.IntegerType).as(VERDICT_COPIES));
    }

    /** As {@link #unmatchedRegularisations(String, QuarantineRule, Dataset)}, with no earlier verdict. */
    Dataset<Row> unmatchedRegularisations(String qty, QuarantineRule rule) {
        return regularisations(lines.filter(col(RULE).isNull()), qty, rule);
    }

    /**
     * Clean negative lines (in {@code qty}) with no positive line among the clean lines of the same
     * service, the lines of {@code earlier} (verdicts of an earlier check) counting as not clean:
     * {@link #LINE}, {@link #VERDICT} = {@code rule}.
     */
    Dataset<Row> unmatchedRegularisations(String qty, QuarantineRule rule, Dataset<Row> earlier) {
        return regularisations(lines.filter(col(RULE).isNull())
                .join(broadcast(earlier.select(LINE)), ScalaSeqs.of(List.of(LINE)), "left_anti"), qty, rule);
    }

    private Dataset<Row> regularisations(Dataset<Row> clean, String qty, QuarantineRule rule) {
        Dataset<Row> withNegative = clean.filter(col(qty).lt(0)).select(SERVICE_HASH).distinct();
        return clean.join(broadcast(withNegative), ScalaSeqs.of(List.of(SERVICE_HASH)), "left_semi")
                .withColumn(MAX_QTY, max(col(qty)).over(Window.partitionBy(Columns.named(sameService))))
                .filter(col(qty).lt(0).and(col(MAX_QTY).leq(0)))
                .select(col(LINE), lit(rule.code()).as(VERDICT), lit(null).cast(DataTypes.IntegerType).as(VERDICT_COPIES));
    }

    /**
     * The stored lines with the verdicts joined (null {@link #VERDICT} where none), the helper
     * columns of the store dropped but {@link #LINE}.
     */
    Dataset<Row> withVerdicts(Dataset<Row> verdicts) {
        return lines.drop(KEY_HASH, SERVICE_HASH).join(broadcast(verdicts), ScalaSeqs.of(List.of(LINE)), "left");
    }

    /**
     * Every line's {@code with} columns and, as {@code as}, a 64-bit hash of its key hash, its service
     * hash, its {@code more} columns and its rule once {@code verdicts} are applied: what another table's
     * lines read of it, for a digest ({@link DrugLineDependence}), read narrow.
     */
    Dataset<Row> judgedHashes(Dataset<Row> verdicts, List<String> more, List<String> with, String as) {
        List<Column> hashed = new java.util.ArrayList<>(List.of(col(KEY_HASH), col(SERVICE_HASH)));
        more.forEach(c -> hashed.add(col(c)));
        hashed.add(org.apache.spark.sql.functions.coalesce(col(RULE), col(VERDICT)));
        List<Column> out = new java.util.ArrayList<>(List.of(Columns.named(with)));
        out.add(xxhash64(hashed.toArray(Column[]::new)).as(as));
        return lines.join(broadcast(verdicts.select(LINE, VERDICT)), ScalaSeqs.of(List.of(LINE)), "left")
                .select(out.toArray(Column[]::new));
    }

    /** The verdicts of several checks (a line has at most one). */
    static Dataset<Row> union(List<Dataset<Row>> verdicts) {
        Dataset<Row> all = verdicts.get(0);
        for (Dataset<Row> v : verdicts.subList(1, verdicts.size())) {
            all = all.unionByName(v);
        }
        return all;
    }

    /** A new temporary folder for a store, removed when the JVM ends. */
    static Path temporaryFolder() {
        try {
            Path dir = Files.createTempDirectory("atypie-lines-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for validated lines", e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
