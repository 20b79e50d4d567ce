package fr.atypie.snds;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.decode;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.encode;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;
import static org.apache.spark.sql.functions.substring_index;

import fr.atypie.errors.InputError;
import fr.atypie.fs.Store;
import java.io.IOException;
import java.util.Arrays;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the tables of an extract laid out as {@link ExtractLayout} says, keeping only the columns of
 * {@link SndsTable#schema()}, coerced to their contract types. Presence and types are checked before
 * any row is read: every problem of every table is gathered into one {@link InputError} (exit 4) that
 * names table, column, expected and found type, so a user fixes an extract in one round.
 *
 * <p>Real extracts arrive converted from Oracle ({@code NUMBER} as {@code decimal(p,0)} or
 * {@code decimal(38,10)}), from SAS (every number a {@code double}, dates as timestamps), from Impala
 * or Hive (text as unannotated binary) or from CSV (text). Column names match case-insensitively, and
 * each column is coerced losslessly where its values allow (see {@link #coerce}): whole numbers of any
 * numeric type to int/long, numbers and text to double, timestamps, dated text ({@link #dateOfText})
 * and dated numbers ({@link #dateOfNumber}: 20240115, or a SAS day count)
 * to date, whole numbers to text codes (a birth year 1980 to "1980"), binary read as UTF-8 text;
 * text loses the blanks around it (Oracle's {@code CHAR(n)} and SAS pad to the column's width). A
 * value that does not fit (a fraction, out of range, unparsable text, bytes that are not UTF-8) does
 * not stop the run: the row carries {@link #INPUT_RULE} {@value #RULE_UNCOERCIBLE} and a reason,
 * and validation quarantines it. A column of a type that cannot be coerced at all is exit 4. Each
 * coerced column keeps its found type in its metadata ({@link #COERCED_FROM}) for the quality report.
 *
 * <p>Every row of a {@code flux_month=YYYY-MM} folder must carry a flux date FLX_DIS_DTD of that
 * month; one that does not is tagged {@value #RULE_FLUX_FOLDER} (a line dated 2100 in the 2024-01
 * folder must not become the latest flux month). A file whose footer statistics put every flux date
 * within its folder's month, the usual case, is not checked row by row.
 *
 * <p>Files: Parquet files are read, named {@code *.parquet} or else known by their first bytes
 * (Hive's {@code 000000_0}); names starting with {@code _} or {@code .} ({@code _SUCCESS},
 * {@code .crc}, hidden files) and stray files (a CSV left in a folder) are passed over, the strays
 * named in the quality report ({@link #passedOver}). Every footer is opened before Spark reads
 * anything, so a truncated or corrupt file is exit 4 naming the file. A folder with no Parquet file is exit 4, except a folder Spark wrote empty (only
 * {@code _SUCCESS}) for a table that may be empty; ER_PRS_F and IR_BEN_R with zero rows are exit 4.
 */
public final class ExtractReader {
    /** Helper columns the reader appends (null on a clean row); {@code Validator} turns them into quarantine rules. */
    public static final String INPUT_RULE = "_input_rule";
    public static final String INPUT_REASON = "_input_reason";
    /** Rule codes the reader may put in {@link #INPUT_RULE} (the codes of {@code QuarantineRule}). */
    public static final String RULE_UNCOERCIBLE = "uncoercible_value";
    public static final String RULE_FLUX_FOLDER = "flux_date_mismatch";
    /** Prefix of the columns holding a coerced value before its problem is read off it ({@link #withInputChecks}). */
    private static final String CHECKED_VALUE_PREFIX = "_input_value_";
    /** Column metadata key: the type the column had in the extract, when it was coerced. */
    public static final String COERCED_FROM = "atypie.coerced_from";

    /** Metadata key of {@link #INPUT_RULE}: the files of the table's folder passed over, not being Parquet. */
    private static final String PASSED_OVER = "atypie.passed_over";
    /** Tables without which nothing can be computed: zero rows is bad input. */
    private static final Set<SndsTable> MUST_HAVE_ROWS = EnumSet.of(SndsTable.ER_PRS_F, SndsTable.IR_BEN_R);

    private static final String PARTITION_PREFIX = ExtractLayout.FLUX_PARTITION + "=";
    /** A file right inside a month folder, relative to its table's folder. */
    private static final Pattern MONTH_FOLDER_FILE = Pattern.compile(Pattern.quote(PARTITION_PREFIX) + "\\d{4}-\\d{2}/[^/]+");
    /** The column partition discovery adds: the folder's value. */
    private static final String DISCOVERED_FOLDER = ExtractLayout.FLUX_PARTITION;

    private final SparkSession spark;
    private final ExtractLayout layout;

    public ExtractReader(SparkSession spark, ExtractLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** Every table of {@link SndsTable}, checked all together (one error lists all problems). */
    public Map<SndsTable, Dataset<Row>> readAll(FluxSelection flux) {
        if (!layout.store().isFolder()) {
            throw new InputError("extract folder " + layout.location() + " not found");
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
            throw new InputError("the extract " + layout.location() + " cannot be used:\n  - "
                    + String.join("\n  - ", problems));
        }
        return out;
    }

    /** One table, checked; flux tables restricted to the selected flux months. */
    public Dataset<Row> read(SndsTable table, FluxSelection flux) {
        Store dir = layout.table(table);
        if (!dir.isFolder()) {
            throw new InputError("table " + table + ": folder " + dir.shown() + " not found");
        }
        Listing listing = list(table.name(), dir);
        if (listing.parquet().isEmpty()) {
            // Spark writes only _SUCCESS for an empty partitioned table: an empty table, unless it must have rows.
            if (isFile(dir, "_SUCCESS") && !MUST_HAVE_ROWS.contains(table)) {
                return empty(table);
            }
            throw noParquetFile(table.name(), dir, listing);
        }
        List<String> partitions = fluxPartitions(table, dir);
        List<Path> files = listing.parquet();
        if (!partitions.isEmpty()) {
            List<String> selected = partitions.stream().filter(p -> includes(table, dir, p, flux)).toList();
            files = files.stream().filter(f -> selected.contains(dir.relative(f).split("/")[0])).toList();
            if (files.isEmpty()) {
                // Nothing in the window: an empty table with the expected columns, not an error.
                return empty(table);
            }
        }
        List<Dataset<Row>> parts = new ArrayList<>();
        scans(table, dir, files, !partitions.isEmpty()).forEach((scan, scanned) -> parts.add(withInputChecks(table,
                load(table, dir, scanned, scan.folder() == Folder.DISCOVERED), scan.folder())));
        Dataset<Row> typed = unionWithFoundTypes(parts);
        if (table.partitionedByFlux() && partitions.isEmpty() && !flux.isAll()) {
            // Plain folder of a flux table: the flux month is FLX_DIS_DTD's month.
            typed = typed.filter(monthIn(col(SndsColumns.FLX_DIS_DTD), flux));
        }
        if (MUST_HAVE_ROWS.contains(table) && (flux.isAll() || !table.partitionedByFlux()) && typed.isEmpty()) {
            throw new InputError("table " + table + ": 0 rows in " + dir.shown() + " (nothing can be computed without it)");
        }
        // Files passed over travel with the rows, for the quality report (as coercions do).
        return listing.strays().isEmpty() ? typed : typed.withMetadata(INPUT_RULE, new MetadataBuilder()
                .putStringArray(PASSED_OVER, listing.strays().toArray(String[]::new)).build());
    }

    /** The files of {@code read}'s table folder that were not read, not being Parquet (relative to the folder). */
    public static List<String> passedOver(Dataset<Row> read) {
        for (StructField f : read.schema().fields()) {
            if (f.name().equals(INPUT_RULE) && f.metadata().contains(PASSED_OVER)) {
                return List.of(f.metadata().getStringArray(PASSED_OVER));
            }
        }
        return List.of();
    }

    private Dataset<Row> empty(SndsTable table) {
        return spark.createDataFrame(List.of(), table.schema())
                .withColumn(INPUT_RULE, lit(null).cast(DataTypes.StringType))
                .withColumn(INPUT_REASON, lit(null).cast(DataTypes.StringType));
    }

    /**
     * @param discover files all right inside {@code flux_month=YYYY-MM} folders of {@code dir}: read
     *                 with partition discovery, which adds the folder's value as column {@link #DISCOVERED_FOLDER}
     */
    private Dataset<Row> load(SndsTable table, Store dir, List<Path> files, boolean discover) {
        try {
            String[] paths = files.stream().map(Path::toString).toArray(String[]::new);
            // Extracts come from SAS, Oracle exports, Impala, Hive 3, DuckDB or Arrow, all in the proleptic
            // Gregorian calendar Spark 3 uses: their dates are read as written. Spark's default fails the
            // read on a date before 1582-10-15 (or an INT96 timestamp before 1900) in a file it did not
            // write, such as a 0001-01-01 placeholder, which read is quarantined with its reason instead.
            // A file written by Spark 2 says so in its footer and is still rebased.
            org.apache.spark.sql.DataFrameReader reader = spark.read().option("datetimeRebaseMode", "CORRECTED")
                    .option("int96RebaseMode", "CORRECTED");
            return discover ? reader.option("basePath", dir.toString()).parquet(paths) : reader.parquet(paths);
        } catch (Exception e) {
            // AnalysisException, SparkException (unreadable footer...): bad input, no stack trace.
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new InputError("table " + table + ": cannot read Parquet files in " + dir.shown() + ": " + msg);
        }
    }

    /**
     * The files grouped into scans, their footers checked. One scan per set of physical column types:
     * months exported by different tools (dates as timestamps here, as dates there) are each typed on
     * their own. Usually one scan reads all: one scan per flux folder was tried, and writing the checked
     * service lines took 106 s of task time instead of 64 s (scale 0.05, 24 months: the row checks run
     * above each scan). In a partitioned table, files are also set apart by how their rows' flux month
     * is checked against their folder (Folder): most need no check, their footer says so.
     */
    private Map<Scan, List<Path>> scans(SndsTable table, Store dir, List<Path> files, boolean partitioned) {
        Map<Path, Footer> footers = checkFooters(table, files);
        Map<Scan, List<Path>> byScan = new LinkedHashMap<>();
        for (Path f : files) {
            Folder how = partitioned ? folderCheck(dir.relative(f), footers.get(f)) : Folder.NONE;
            byScan.computeIfAbsent(new Scan(how, footers.get(f).columnTypes()), k -> new ArrayList<>()).add(f);
        }
        return byScan;
    }

    /** How the rows of each Parquet file of a partitioned flux table are checked against their folder, by relative path. */
    java.util.SortedMap<String, String> folderChecks(SndsTable table) {
        Store dir = layout.table(table);
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        scans(table, dir, list(table.name(), dir).parquet(), true).forEach((scan, files) ->
                files.forEach(f -> out.put(dir.relative(f), scan.folder().name())));
        return out;
    }

    /**
     * How a file's rows are checked against its flux folder: not at all when its footer shows every
     * FLX_DIS_DTD within the folder's month (the rule, not the exception: the per-row check cost 2 to
     * 4 % of a full rebuild's CPU at scale 0.05, JFR); else by partition discovery for a file right
     * inside a month folder; else from its path (deeper, or in the null-date folder).
     */
    private static Folder folderCheck(String relative, Footer footer) {
        if (!MONTH_FOLDER_FILE.matcher(relative).matches()) {
            return Folder.FROM_PATH;
        }
        YearMonth month = YearMonth.parse(relative.substring(PARTITION_PREFIX.length(), PARTITION_PREFIX.length() + 7));
        return footer.fluxWithin(month.atDay(1).toEpochDay(), month.atEndOfMonth().toEpochDay())
                ? Folder.NONE : Folder.DISCOVERED;
    }

    /**
     * What a file's footer says: its columns' physical types, and the range of its FLX_DIS_DTD in days
     * since 1970 from the row groups' statistics, when it is stored as a date with statistics in every
     * row group that has a value ({@code fluxKnown}; a file without any value has an empty range).
     */
    private record Footer(String columnTypes, boolean fluxKnown, long fluxMin, long fluxMax) {
        boolean fluxWithin(long first, long last) {
            return fluxKnown && (fluxMin > fluxMax || (fluxMin >= first && fluxMax <= last));
        }

        static Footer of(org.apache.parquet.hadoop.metadata.ParquetMetadata footer) {
            org.apache.parquet.schema.MessageType schema = footer.getFileMetaData().getSchema();
            String types = ExtractReader.columnTypes(schema);
            org.apache.parquet.schema.Type flx = schema.getFields().stream()
                    .filter(t -> t.getName().equalsIgnoreCase(SndsColumns.FLX_DIS_DTD)).findFirst().orElse(null);
            if (flx == null || !flx.isPrimitive()
                    || !(flx.getLogicalTypeAnnotation() instanceof org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation)) {
                return new Footer(types, false, 0, 0);
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (org.apache.parquet.hadoop.metadata.BlockMetaData block : footer.getBlocks()) {
                for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk : block.getColumns()) {
                    if (chunk.getPath().size() != 1 || !chunk.getPath().toArray()[0].equals(flx.getName())) {
                        continue;
                    }
                    org.apache.parquet.column.statistics.Statistics<?> st = chunk.getStatistics();
                    boolean allNull = st != null && st.isNumNullsSet() && st.getNumNulls() == block.getRowCount();
                    if (allNull || block.getRowCount() == 0) {
                        continue;
                    }
                    if (st == null || !st.hasNonNullValue()) {
                        return new Footer(types, false, 0, 0);
                    }
                    min = Math.min(min, ((Number) st.genericGetMin()).longValue());
                    max = Math.max(max, ((Number) st.genericGetMax()).longValue());
                }
            }
            return new Footer(types, true, min, max);
        }
    }

    /** Opens every footer on the driver: a truncated or corrupt file is named before Spark fails somewhere deep. */
    private Map<Path, Footer> checkFooters(SndsTable table, List<Path> files) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Map<Path, Footer> footers = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> bad = files.parallelStream().map(f -> {
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(f, conf))) {
                footers.put(f, Footer.of(r.getFooter()));
                return null;
            } catch (Exception e) {
                return Store.shown(f) + " (" + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()) + ")";
            }
        }).filter(java.util.Objects::nonNull).sorted().toList();
        if (!bad.isEmpty()) {
            throw new InputError("table " + table + ": " + bad.size() + " Parquet file(s) truncated or corrupt: "
                    + String.join("; ", bad.subList(0, Math.min(5, bad.size())))
                    + (bad.size() > 5 ? "; ..." : ""));
        }
        return footers;
    }

    /** A file's columns and their physical types, nullability aside: files with the same can share one scan. */
    private static String columnTypes(org.apache.parquet.schema.MessageType schema) {
        StringBuilder b = new StringBuilder();
        for (org.apache.parquet.schema.Type t : schema.getFields()) {
            b.append(t.getName().toLowerCase(Locale.ROOT)).append(' ');
            if (t.isPrimitive()) {
                org.apache.parquet.schema.PrimitiveType p = t.asPrimitiveType();
                b.append(p.getPrimitiveTypeName()).append('(').append(p.getTypeLength()).append(") ")
                        .append(p.getLogicalTypeAnnotation());
            } else {
                b.append(t);
            }
            b.append(';');
        }
        return b.toString();
    }

    /** Parquet files to read, and the names of stray files passed over (hidden and {@code _} names are not strays). */
    private record Listing(List<Path> parquet, List<String> strays) {}

    /**
     * The Parquet files under a table's folder {@code dir}, sorted: named {@code *.parquet}, or
     * starting as Parquet does (Hive's {@code 000000_0}); hidden and {@code _} files passed over.
     * Exit 4 naming the folder, and the files found, when there is none.
     */
    static List<Path> parquetFiles(String table, Store dir) {
        Listing listing = list(table, dir);
        if (listing.parquet().isEmpty()) {
            throw noParquetFile(table, dir, listing);
        }
        return listing.parquet();
    }

    private static InputError noParquetFile(String table, Store dir, Listing listing) {
        return new InputError("table " + table + ": folder " + dir.shown() + " holds no Parquet file"
                + (listing.strays().isEmpty() ? "" : " (found " + String.join(", ", listing.strays()) + ")"));
    }

    private static Listing list(String table, Store dir) {
        List<Path> parquet = new ArrayList<>();
        List<String> strays = new ArrayList<>();
        try {
            for (org.apache.hadoop.fs.FileStatus f : dir.files()) {
                String relative = dir.relative(f.getPath());
                // A file under a hidden or _ folder (or itself so named) is never data.
                if (Arrays.stream(relative.split("/")).anyMatch(ExtractReader::ignored)) {
                    continue;
                }
                if (f.getPath().getName().endsWith(".parquet") || startsAsParquet(dir, f)) {
                    parquet.add(f.getPath());
                } else {
                    strays.add(relative);
                }
            }
        } catch (IOException e) {
            throw new InputError("table " + table + ": cannot list " + dir.shown() + ": " + e.getMessage());
        }
        parquet.sort(null);
        strays.sort(null);
        return new Listing(parquet, strays);
    }

    /**
     * Whether a file not named {@code *.parquet} is Parquet all the same, by its first four bytes
     * ({@code PAR1}): Hive names its files {@code 000000_0}, Impala {@code *.parq}.
     */
    private static boolean startsAsParquet(Store dir, FileStatus f) throws IOException {
        if (f.getLen() < 12) {   // magic, footer length, magic: no Parquet file is shorter
            return false;
        }
        byte[] magic = new byte[4];
        try (org.apache.hadoop.fs.FSDataInputStream in = dir.fs().open(f.getPath())) {
            in.readFully(0, magic);
        }
        return Arrays.equals(magic, PARQUET_MAGIC);
    }

    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean isFile(Store dir, String name) {
        try {
            return dir.isFile(name);
        } catch (IOException e) {
            return false;
        }
    }

    /** Spark's convention: names starting with {@code _} or {@code .} are metadata (_SUCCESS, .crc), never data. */
    private static boolean ignored(String n) {
        return n.startsWith("_") || n.startsWith(".");
    }

    /** The names of a flux table's {@code flux_month=} folders. */
    private static List<String> fluxPartitions(SndsTable table, Store dir) {
        if (!table.partitionedByFlux()) {
            return List.of();
        }
        try {
            return dir.list().stream().filter(FileStatus::isDirectory).map(st -> st.getPath().getName())
                    .filter(n -> n.startsWith(PARTITION_PREFIX)).sorted().toList();
        } catch (IOException e) {
            throw new InputError("table " + table + ": cannot list " + dir.shown() + ": " + e.getMessage());
        }
    }

    /** Spark writes rows with a null flux date under this folder: read them (they will be quarantined) unless a window is asked. */
    private static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private static boolean includes(SndsTable table, Store dir, String partition, FluxSelection flux) {
        if (partition.equals(PARTITION_PREFIX + NULL_PARTITION)) {
            return flux.isAll();
        }
        return flux.includes(partitionMonth(table, dir, partition));
    }

    private static YearMonth partitionMonth(SndsTable table, Store dir, String name) {
        try {
            return YearMonth.parse(name.substring(PARTITION_PREFIX.length()));
        } catch (DateTimeParseException e) {
            throw new InputError("table " + table + ": partition folder " + dir.child(name).shown() + " is not "
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

    /**
     * The parts one after the other, each column's {@link #COERCED_FROM} naming every type it was
     * found with, in alphabetical order ("date, timestamp" when one month held dates and another timestamps).
     */
    private static Dataset<Row> unionWithFoundTypes(List<Dataset<Row>> parts) {
        Dataset<Row> all = parts.get(0);
        for (Dataset<Row> p : parts.subList(1, parts.size())) {
            all = all.union(p);
        }
        List<Column> cols = new ArrayList<>();
        boolean merged = false;
        for (StructField f : all.schema().fields()) {
            java.util.TreeSet<String> found = new java.util.TreeSet<>();
            boolean coerced = false;
            for (Dataset<Row> p : parts) {
                Metadata m = p.schema().apply(f.name()).metadata();
                coerced |= m.contains(COERCED_FROM);
                found.add(m.contains(COERCED_FROM) ? m.getString(COERCED_FROM) : typeName(f.dataType()));
            }
            if (coerced && found.size() > 1) {
                merged = true;
                cols.add(col(f.name()).as(f.name(), new MetadataBuilder().putString(COERCED_FROM, String.join(", ", found)).build()));
            } else {
                cols.add(col(f.name()));
            }
        }
        return merged ? all.select(cols.toArray(Column[]::new)) : all;
    }

    /** Files read by one scan: the same folder check and the same physical column types. */
    private record Scan(Folder folder, String columnTypes) {}

    /** Where a flux table's row gets the month of its folder from. */
    private enum Folder {
        /** A plain table folder, or a file whose footer shows every flux date in its folder's month: no check per row. */
        NONE,
        /** Spark's partition discovery (files right inside flux_month=YYYY-MM folders). */
        DISCOVERED,
        /** The file's path, row by row (any other file of a partitioned table). */
        FROM_PATH
    }

    /**
     * The contract columns (coerced), then {@link #INPUT_RULE} / {@link #INPUT_REASON}: the first
     * column whose value did not fit its type, else (partitioned flux tables) a flux date outside
     * its folder's month.
     */
    private static Dataset<Row> withInputChecks(SndsTable table, Dataset<Row> df, Folder source) {
        boolean partitioned = source != Folder.NONE;
        List<String> problems = new ArrayList<>();
        List<Column> cols = new ArrayList<>();
        List<Column> valueProblems = new ArrayList<>();
        // Values checked row by row are computed first, in a projection of their own, then read by
        // both the column and its problem: inlined, each coercion ran about ten times per row (an
        // Oracle-typed ER_PRS_F's decimals, 21-44 µs of CPU a row in a scan that checks them, 3 µs now).
        List<Column> checkedValues = new ArrayList<>();
        for (StructField expected : table.schema().fields()) {
            Optional<StructField> actual = find(df.schema(), expected.name());
            if (actual.isEmpty()) {
                problems.add("table " + table + ", column " + expected.name() + ": missing (expected "
                        + typeName(expected.dataType()) + ")");
                continue;
            }
            Optional<Coerced> c = coerce(actual.get(), expected);
            if (c.isEmpty()) {
                problems.add("table " + table + ", column " + expected.name() + ": expected "
                        + typeName(expected.dataType()) + ", found " + typeName(actual.get().dataType())
                        + " (no lossless coercion)");
                continue;
            }
            Metadata meta = c.get().from() == null ? Metadata.empty()
                    : new MetadataBuilder().putString(COERCED_FROM, c.get().from()).build();
            if (c.get().problemOf() == null) {
                cols.add(c.get().value().as(expected.name(), meta));
            } else {
                String computed = CHECKED_VALUE_PREFIX + expected.name();
                checkedValues.add(c.get().value().as(computed));
                cols.add(col(computed).as(expected.name(), meta));
                valueProblems.add(c.get().problem(col(computed)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputError(String.join("\n  - ", problems));
        }
        Column valueProblem = valueProblems.isEmpty() ? lit(null).cast(DataTypes.StringType)
                : valueProblems.size() == 1 ? valueProblems.get(0) : coalesce(valueProblems.toArray(Column[]::new));
        cols.add(valueProblem.as(INPUT_REASON));
        // The month of the file's folder ("" for a file not directly in a flux_month= folder), and the
        // row's flux month compared as month numbers: no regular expression nor date formatting per
        // row (they were 2 % of a full rebuild's CPU).
        String folder = "_input_folder";
        cols.add((switch (source) {
            case NONE -> lit(null).cast(DataTypes.StringType);
            // Inferred as text ("2024-01"); were a Spark to read it as a date, "2024-01-01": its first 7 characters.
            case DISCOVERED -> df.schema().apply(DISCOVERED_FOLDER).dataType().equals(DataTypes.StringType)
                    ? col(DISCOVERED_FOLDER) : col(DISCOVERED_FOLDER).cast(DataTypes.StringType).substr(1, 7);
            // Cutting the folder out of the path cost 0.5 µs a row (scale 0.05): the exception, not the rule.
            case FROM_PATH -> {
                Column parent = substring_index(substring_index(input_file_name(), "/", -2), "/", 1);
                yield when(parent.startsWith(PARTITION_PREFIX), parent.substr(PARTITION_PREFIX.length() + 1, 64))
                        .otherwise(lit(""));
            }
        }).as(folder));
        if (!checkedValues.isEmpty()) {
            df = df.select(Stream.concat(Stream.of(col("*")), checkedValues.stream()).toArray(Column[]::new));
        }
        Dataset<Row> t = df.select(cols.toArray(Column[]::new));
        Column flx = col(SndsColumns.FLX_DIS_DTD);
        Column folderMonth = col(folder).substr(1, 4).cast(DataTypes.IntegerType).multiply(12)
                .plus(col(folder).substr(6, 2).cast(DataTypes.IntegerType));
        Column folderMismatch = partitioned
                ? when(flx.isNotNull().and(col(folder).notEqual(lit(NULL_PARTITION)))
                        .and(coalesce(folderMonth.notEqual(year(flx).multiply(12).plus(month(flx))), lit(true))),
                        concat(lit("FLX_DIS_DTD "), flx.cast(DataTypes.StringType), lit(" is not in its folder "
                                + PARTITION_PREFIX), col(folder)))
                : lit(null).cast(DataTypes.StringType);
        return t.withColumn(INPUT_RULE, when(col(INPUT_REASON).isNotNull(), lit(RULE_UNCOERCIBLE))
                        .when(folderMismatch.isNotNull(), lit(RULE_FLUX_FOLDER)))
                .withColumn(INPUT_REASON, coalesce(col(INPUT_REASON), folderMismatch))
                .drop(folder)
                .select(outputColumns(table));
    }

    private static Column[] outputColumns(SndsTable table) {
        List<Column> out = new ArrayList<>();
        for (String c : table.columnNames()) {
            out.add(col(c));
        }
        out.add(col(INPUT_RULE));
        out.add(col(INPUT_REASON));
        return out.toArray(Column[]::new);
    }

    /**
     * A column's value in its contract type, the reason when a row's value does not fit (null when
     * every value fits by type), and the found type when it was coerced (null when already right).
     */
    record Coerced(Column value, UnaryOperator<Column> problemOf, String from) {
        /** A coercion every value survives: no per-row problem. */
        static Coerced always(Column value, String from) {
            return new Coerced(value, null, from);
        }

        /** The reason a row's value does not fit, null where it fits; null when every value fits by type. */
        Column problem() {
            return problemOf == null ? null : problemOf.apply(value);
        }

        /**
         * As {@link #problem()}, given a column holding {@link #value()} already computed. The problem
         * only asks whether the value came out null, so a reader that computes each value once (in a
         * projection of its own, {@link ExtractReader#withInputChecks}) need not compute it again for
         * the problem: an exported decimal's coercion is a dozen 38-digit decimal operations.
         */
        Column problem(Column computedValue) {
            return problemOf == null ? null : problemOf.apply(computedValue);
        }
    }

    /** How to bring {@code found} to {@code expected}; empty when no lossless coercion exists. */
    static Optional<Coerced> coerce(StructField found, StructField expected) {
        Column src = col("`" + found.name() + "`");
        if (found.dataType().equals(DataTypes.BinaryType)) {
            return fromBinary(src, expected);
        }
        return coerce(src, found.dataType(), typeName(found.dataType()), expected);
    }

    /**
     * Text written as Parquet binary without its string annotation, as Impala, Hive and Spark before
     * 1.5 write it (Spark's own {@code spark.sql.parquet.binaryAsString} exists for them): read as
     * UTF-8 text, then coerced as text would be. A value whose bytes are not UTF-8 does not fit.
     */
    private static Optional<Coerced> fromBinary(Column src, StructField expected) {
        Column decoded = decode(src, "UTF-8");
        Column utf8 = encode(decoded, "UTF-8").equalTo(src);
        String from = typeName(DataTypes.BinaryType);
        Optional<Coerced> asText = coerce(when(utf8, decoded), DataTypes.StringType, from, expected);
        if (asText.isEmpty()) {
            return asText;
        }
        Column notText = when(src.isNotNull().and(not(utf8)),
                lit(expected.name() + " (binary) is not UTF-8 text"));
        Coerced text = asText.get();
        return Optional.of(new Coerced(text.value(),
                v -> text.problemOf() == null ? notText : coalesce(notText, text.problem(v)), from));
    }

    /** As {@link #coerce(StructField, StructField)}, for {@code src} of type {@code f}, named {@code from} in reasons. */
    private static Optional<Coerced> coerce(Column src, DataType f, String from, StructField expected) {
        DataType e = expected.dataType();
        if (f.equals(e)) {
            // Oracle's CHAR(n) and SAS pad text with blanks; no SNDS code or identifier starts or ends with one.
            return Optional.of(Coerced.always(e.equals(DataTypes.StringType) ? trim(src) : src, null));
        }
        if (safeWidening(f, e)) {
            return Optional.of(Coerced.always(src.cast(e), from));
        }
        // Each value is null exactly where it does not fit (but for blank text dates): what fits is read
        // off the value, so that the value is computed once per row (Coerced.problem(Column)).
        Column value;
        UnaryOperator<Column> fits = Column::isNotNull;
        if (e.equals(DataTypes.IntegerType) || e.equals(DataTypes.LongType)) {
            long min = e.equals(DataTypes.IntegerType) ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = e.equals(DataTypes.IntegerType) ? Integer.MAX_VALUE : Long.MAX_VALUE;
            Column whole;
            if (integral(f)) {
                whole = src;
            } else if (fractional(f)) {
                whole = wholeNumber(src, f);
            } else if (f.equals(DataTypes.StringType)) {
                Column t = trim(src);
                whole = when(t.rlike("^[+-]?[0-9]{1,19}$"), t.cast(WHOLE));
            } else {
                return Optional.empty();
            }
            value = when(whole.isNotNull().and(whole.between(min, max)), whole.cast(e));
        } else if (e.equals(DataTypes.DoubleType) && f.equals(DataTypes.StringType)) {
            value = trim(src).cast(DataTypes.DoubleType);
        } else if (e.equals(DataTypes.DateType) && (f.equals(DataTypes.TimestampType)
                || f.equals(DataTypes.TimestampNTZType))) {
            value = dateOfMidnight(src);
        } else if (e.equals(DataTypes.DateType) && (integral(f) || fractional(f))) {
            Column whole = integral(f) ? src.cast(WHOLE) : wholeNumber(src, f);
            value = dateOfNumber(whole);
        } else if (e.equals(DataTypes.DateType) && f.equals(DataTypes.StringType)) {
            Column t = trim(src);
            value = dateOfText(t);
            fits = v -> v.isNotNull().or(t.equalTo(""));
        } else if (e.equals(DataTypes.StringType) && integral(f)) {
            return Optional.of(Coerced.always(withLeadingZeros(src.cast(DataTypes.StringType), expected.name()), from));
        } else if (e.equals(DataTypes.StringType) && fractional(f)) {
            // A code or a year exported as a number: 1980.0 is "1980", 12.5 fits no code.
            Column whole = wholeNumber(src, f);
            value = withLeadingZeros(when(whole.isNotNull(), whole.cast(DataTypes.StringType)), expected.name());
        } else {
            return Optional.empty();
        }
        UnaryOperator<Column> fitsOf = fits;
        return Optional.of(new Coerced(value, v -> when(src.isNotNull().and(not(coalesce(fitsOf.apply(v), lit(false)))),
                concat(lit(expected.name() + " "), coalesce(src.cast(DataTypes.StringType), lit("?")),
                        lit(" (" + from + ") does not fit " + typeName(e)))), from));
    }

    /**
     * The text of a code written as a number, with the leading zeros the number lost when the column
     * is one of {@link SndsColumns#codeDigits digits} ({@code 9} is Ariège's {@code "009"}, {@code
     * 9100001} its doctor {@code "09100001"}); any other value, a longer one or a negative one, as it
     * is, for validation to judge.
     */
    static Column withLeadingZeros(Column text, String column) {
        OptionalInt digits = SndsColumns.codeDigits(column);
        if (digits.isEmpty()) {
            return text;
        }
        int n = digits.getAsInt();
        return when(length(text).lt(n).and(text.rlike("^[0-9]+$")), lpad(text, n, "0")).otherwise(text);
    }

    /** SAS's day zero: a SAS date is a number of days since 1960-01-01. */
    public static final LocalDate SAS_EPOCH = LocalDate.of(1960, 1, 1);
    /** The day counts read as SAS dates: from the SNDS's "no date" 1600-01-01 to 2100-12-31. */
    private static final long SAS_DAYS_MIN = LocalDate.of(1600, 1, 1).toEpochDay() - SAS_EPOCH.toEpochDay();
    private static final long SAS_DAYS_MAX = LocalDate.of(2100, 12, 31).toEpochDay() - SAS_EPOCH.toEpochDay();

    /**
     * A date written as a whole number, in one of two forms whose ranges do not overlap: eight digits
     * {@code 20240115} (a CSV export's date typed as a number on its way to Parquet: DuckDB, Arrow and
     * Spark infer bigint), or a SAS date, days since 1960-01-01 ({@code 23390} is 2024-01-15), as a
     * SAS table converted without its DATE format arrives (every SAS number a double). SAS is the SNDS
     * portal's tool, so a bare day count is read as SAS's; a Unix day count (since 1970) would read ten
     * years late, and would not pass unseen: its flux dates disagree with their folders
     * ({@code flux_date_mismatch}) and its care dates follow their flux ({@code care_after_flux}).
     * Null for any other number and for an eight-digit day that does not exist.
     */
    static Column dateOfNumber(Column whole) {
        Column yearMonthDay = when(whole.between(10_000_101L, 99_991_231L), dateOfText(whole.cast(DataTypes.StringType)));
        Column sasDays = when(whole.between(SAS_DAYS_MIN, SAS_DAYS_MAX),
                date_add(lit(java.sql.Date.valueOf(SAS_EPOCH)), whole.cast(DataTypes.IntegerType)));
        return coalesce(yearMonthDay, sasDays);
    }

    /** Hours either side of UTC within which a timestamp's nearest midnight is taken for its date. */
    static final int MIDNIGHT_ZONE_HOURS = 4;

    /**
     * The day of a date written as a timestamp: that day's midnight, in UTC (SAS, Oracle exports,
     * Impala, Spark: the session's time zone is UTC) or in the exporting machine's zone converted to
     * UTC (Hive's INT96, JDBC and Sqoop-style exports), where Paris's midnight of the 15th reads as
     * the 14th at 23:00 (22:00 in summer) and a plain {@code to_date} would give the day before. So
     * the nearest midnight, for times of day up to {@value #MIDNIGHT_ZONE_HOURS} hours either side
     * (metropolitan France, the Antilles, Guyane, Réunion, Mayotte); null for any other time of day,
     * which is not a date written at midnight in those zones.
     */
    static Column dateOfMidnight(Column timestamp) {
        Column seconds = unix_seconds(timestamp.cast(DataTypes.TimestampType));
        Column timeOfDay = pmod(seconds, lit(86_400L));
        long band = MIDNIGHT_ZONE_HOURS * 3_600L;
        return when(timeOfDay.leq(band).or(timeOfDay.geq(86_400L - band)),
                to_date(timestamp_seconds(seconds.plus(band))));
    }

    /**
     * A date written as text the ways exports write one: ISO {@code 2024-01-15}, or that date at
     * midnight ({@code 2024-01-15 00:00:00}, Oracle's DATE as text), SAS's {@code DDMMYY10.}
     * ({@code 15/01/2024}, day first as in France), {@code YYMMDDN8.} ({@code 20240115}) and
     * {@code DATE9.} ({@code 15JAN2024}); null for any other text and for a day that does not exist
     * ({@code 31/02/2024}). Each form is matched exactly, then its year, month and day made a date.
     */
    static Column dateOfText(Column t) {
        Column iso = when(t.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00(:00(\\.0+)?)?)?$"),
                array(t.substr(1, 4), t.substr(6, 2), t.substr(9, 2)));
        Column dayFirst = when(t.rlike("^[0-9]{2}/[0-9]{2}/[0-9]{4}$"),
                array(t.substr(7, 4), t.substr(4, 2), t.substr(1, 2)));
        Column compact = when(t.rlike("^[0-9]{8}$"), array(t.substr(1, 4), t.substr(5, 2), t.substr(7, 2)));
        Column sas = when(t.rlike("^[0-9]{2}[A-Za-z]{3}[0-9]{4}$"),
                array(t.substr(6, 4), sasMonth(upper(t.substr(3, 3))), t.substr(1, 2)));
        Column ymd = coalesce(iso, dayFirst, compact, sas);
        // make_date is null for a day that does not exist (outside ANSI mode, the session's).
        return make_date(element_at(ymd, 1).cast(DataTypes.IntegerType), element_at(ymd, 2).cast(DataTypes.IntegerType),
                element_at(ymd, 3).cast(DataTypes.IntegerType));
    }

    private static final List<String> SAS_MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");

    /** The month number of a SAS month abbreviation, as text ("JAN" is "1"); null for another word. */
    private static Column sasMonth(Column abbreviation) {
        Column month = lit(null).cast(DataTypes.StringType);
        for (int m = SAS_MONTHS.size(); m >= 1; m--) {
            month = when(abbreviation.equalTo(SAS_MONTHS.get(m - 1)), lit(String.valueOf(m))).otherwise(month);
        }
        return month;
    }

    /** Whole numbers, as decimal(38,0): enough for any long and for every SNDS code. */
    private static final DecimalType WHOLE = new DecimalType(38, 0);

    /** -2^63 and 2^63 as doubles (both exact): the whole doubles a long holds lie in [-2^63, 2^63). */
    private static final double LONG_MIN_AS_DOUBLE = -0x1p63;
    private static final double LONG_END_AS_DOUBLE = 0x1p63;

    /**
     * The value as a whole number when it has no fractional part (null otherwise, NaN and infinities
     * included): a long for a double or a float, a decimal(38,0) for a decimal.
     */
    private static Column wholeNumber(Column src, DataType f) {
        if (f instanceof DecimalType d && d.scale() == 0) {
            // Oracle's NUMBER(n): whole by type; a value too large for 38 digits cannot be one.
            return src.cast(WHOLE);
        }
        if (f.equals(DataTypes.DoubleType) || f.equals(DataTypes.FloatType)) {
            // Every SAS number is a double: tested in doubles and longs, not through 38-digit decimals
            // (a double -> decimal cast goes through its decimal text: 33 µs a row over ER_PRS_F's columns).
            // In [-2^63, 2^63) the long cast is exact for a whole double, and gives back another double for a
            // fractional one. NaN sorts above every double in Spark, so the range excludes it, and infinities.
            Column d = f.equals(DataTypes.FloatType) ? src.cast(DataTypes.DoubleType) : src;
            Column asLong = d.cast(DataTypes.LongType);
            return when(d.geq(LONG_MIN_AS_DOUBLE).and(d.lt(LONG_END_AS_DOUBLE))
                    .and(asLong.cast(DataTypes.DoubleType).equalTo(d)), asLong);
        }
        Column exact = src.cast(new DecimalType(38, 10));
        return when(exact.isNotNull().and(exact.equalTo(exact.cast(WHOLE))), exact.cast(WHOLE));
    }

    private static boolean integral(DataType t) {
        return t.equals(DataTypes.ByteType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.IntegerType)
                || t.equals(DataTypes.LongType);
    }

    private static boolean fractional(DataType t) {
        return t.equals(DataTypes.FloatType) || t.equals(DataTypes.DoubleType) || t instanceof DecimalType;
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
