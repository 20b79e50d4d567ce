package fr.atypie.snds;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import fr.atypie.errors.InputError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the tables of an extract laid out as {@link ExtractLayout} says, keeping only the columns of
 * {@link SndsTable#schema()} in their expected types. Presence and types are checked before any row
 * is read: every problem of every table is gathered into one {@link InputError} (exit 4) that names
 * table, column, expected and found type, so a user fixes an extract in one round.
 *
 * <p>Column names match case-insensitively (exports from SAS or Oracle often lower-case them) and a
 * few widenings are accepted on purpose, because they lose nothing at SNDS magnitudes: byte/short/int
 * to long, integers and float to double, decimal to double (amounts exported as DECIMAL(p,2)),
 * byte/short to int.
 * Anything else, timestamps for dates included (time-zone shifts), is refused.
 */
public final class ExtractReader {
    private static final String PARTITION_PREFIX = ExtractLayout.FLUX_PARTITION + "=";

    private final SparkSession spark;
    private final ExtractLayout layout;

    public ExtractReader(SparkSession spark, ExtractLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** Every table of {@link SndsTable}, checked all together (one error lists all problems). */
    public Map<SndsTable, Dataset<Row>> readAll(FluxSelection flux) {
        if (!Files.isDirectory(layout.root())) {
            throw new InputError("extract folder " + layout.root() + " not found");
        }
        Map<SndsTable, Dataset<Row>> out = new EnumMap<>(SndsTable.class);
        List<String> problems = new ArrayList<>();
        for (SndsTable t : SndsTable.values()) {
            try {
                out.put(t, read(t, flux));
            } catch (InputError e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InputError("the extract " + layout.root() + " cannot be used:\n  - "
                    + String.join("\n  - ", problems));
        }
        return out;
    }

    /** One table, checked; flux tables restricted to the selected flux months. */
    public Dataset<Row> read(SndsTable table, FluxSelection flux) {
        Path dir = layout.tableDir(table);
        if (!Files.isDirectory(dir)) {
            throw new InputError("table " + table + ": folder " + dir + " not found");
        }
        if (!holdsParquet(table, dir)) {
            // A table with no row (Spark writes no file for an empty partitioned table): empty, not
            // an error; the report shows its 0 rows in.
            return spark.createDataFrame(List.of(), table.schema());
        }
        List<Path> partitions = fluxPartitions(table, dir);
        Dataset<Row> df;
        if (!partitions.isEmpty()) {
            List<String> selected = partitions.stream()
                    .filter(p -> includes(table, p, flux))
                    .map(Path::toString).toList();
            if (selected.isEmpty()) {
                // Nothing in the window: an empty table with the expected columns, not an error.
                return spark.createDataFrame(List.of(), table.schema());
            }
            df = load(table, dir, selected.toArray(String[]::new));
        } else {
            df = load(table, dir, dir.toString());
        }
        Dataset<Row> typed = df.select(checkedColumns(table, df.schema()));
        if (table.partitionedByFlux() && partitions.isEmpty() && !flux.isAll()) {
            // Plain folder of a flux table: the flux month is FLX_DIS_DTD's month.
            typed = typed.filter(monthIn(col(SndsColumns.FLX_DIS_DTD), flux));
        }
        return typed;
    }

    private Dataset<Row> load(SndsTable table, Path dir, String... paths) {
        try {
            return spark.read().parquet(paths);
        } catch (Exception e) {
            // AnalysisException, SparkException (no Parquet file, unreadable footer...): bad input, no stack trace.
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new InputError("table " + table + ": cannot read Parquet files in " + dir + ": " + msg);
        }
    }

    private static boolean holdsParquet(SndsTable table, Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new InputError("table " + table + ": cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static List<Path> fluxPartitions(SndsTable table, Path dir) {
        if (!table.partitionedByFlux()) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith(PARTITION_PREFIX))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InputError("table " + table + ": cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Spark writes rows with a null flux date under this folder: read them (they will be quarantined) unless a window is asked. */
    private static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private static boolean includes(SndsTable table, Path partition, FluxSelection flux) {
        if (partition.getFileName().toString().equals(PARTITION_PREFIX + NULL_PARTITION)) {
            return flux.isAll();
        }
        return flux.includes(partitionMonth(table, partition));
    }

    private static YearMonth partitionMonth(SndsTable table, Path partition) {
        String name = partition.getFileName().toString();
        try {
            return YearMonth.parse(name.substring(PARTITION_PREFIX.length()));
        } catch (DateTimeParseException e) {
            throw new InputError("table " + table + ": partition folder " + name + " is not "
                    + PARTITION_PREFIX + "YYYY-MM");
        }
    }

    private static Column monthIn(Column date, FluxSelection flux) {
        Column month = date_format(date, "yyyy-MM");
        Column ok = date.isNotNull();
        if (flux.from().isPresent()) {
            ok = ok.and(month.geq(flux.from().get().toString()));
        }
        if (flux.to().isPresent()) {
            ok = ok.and(month.leq(flux.to().get().toString()));
        }
        return ok;
    }

    /** The expected columns, renamed to their canonical names and widened where allowed. */
    static Column[] checkedColumns(SndsTable table, StructType found) {
        List<String> problems = new ArrayList<>();
        List<Column> cols = new ArrayList<>();
        for (StructField expected : table.schema().fields()) {
            Optional<StructField> actual = find(found, expected.name());
            if (actual.isEmpty()) {
                problems.add("table " + table + ", column " + expected.name() + ": missing (expected "
                        + typeName(expected.dataType()) + ")");
                continue;
            }
            DataType have = actual.get().dataType();
            if (!have.equals(expected.dataType()) && !safeWidening(have, expected.dataType())) {
                problems.add("table " + table + ", column " + expected.name() + ": expected "
                        + typeName(expected.dataType()) + ", found " + typeName(have));
                continue;
            }
            cols.add(col("`" + actual.get().name() + "`").cast(expected.dataType()).as(expected.name()));
        }
        if (!problems.isEmpty()) {
            throw new InputError(String.join("\n  - ", problems));
        }
        return cols.toArray(Column[]::new);
    }

    private static Optional<StructField> find(StructType found, String name) {
        for (StructField f : found.fields()) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        for (StructField f : found.fields()) {
            if (f.name().toUpperCase(Locale.ROOT).equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    static boolean safeWidening(DataType from, DataType to) {
        boolean smallInt = from.equals(DataTypes.ByteType) || from.equals(DataTypes.ShortType);
        if (to.equals(DataTypes.IntegerType)) {
            return smallInt;
        }
        if (to.equals(DataTypes.LongType)) {
            return smallInt || from.equals(DataTypes.IntegerType);
        }
        if (to.equals(DataTypes.DoubleType)) {
            return smallInt || from.equals(DataTypes.IntegerType) || from.equals(DataTypes.LongType)
                    || from.equals(DataTypes.FloatType) || from instanceof DecimalType;
        }
        return false;
    }

    private static String typeName(DataType t) {
        return t.simpleString();
    }
}
