package fr.atypie.publish;

import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import java.io.IOException;
import java.io.PrintStream;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Registers a committed publication in the session's Spark catalog (the built-in one, or a Hive
 * metastore when the submission sets {@code spark.sql.catalogImplementation=hive}): each published
 * table {@code OUT/YYYY-MM/<table>.parquet} becomes the partition {@code publication_month='YYYY-MM'} of
 * the external table {@code <database>.<table>}, so {@code SELECT ... FROM atypie.indicators WHERE
 * publication_month = '2024-12'} reads what was published that month.
 *
 * <p>The partition column is {@code publication_month}, not {@code month}: {@code trend},
 * {@code restricted/procedure_state}, {@code long_sick_leave} and {@code prescriber_trend} already
 * have a {@code month} column (the care month), which a partition column may not repeat; one name for
 * every table keeps analysts' queries uniform.
 *
 * <p>Partitions are folders holding a copy of the month's file,
 * {@code OUT/_catalog/<table>/publication_month=YYYY-MM/<table>.parquet}, not the published file
 * itself: Spark accepts a file as a partition location but then reads <em>no row</em> from it (its
 * file index looks partitions up as folders; {@code CatalogRegistrationTest} found it), and Hive,
 * Trino or Impala expect folders too. The published tables are aggregates of a few MB at most; the
 * copy is taken from the committed publication, after it, so the publication stays the reference
 * (a lost {@code _catalog} is rebuilt by registering the months again). Standard {@code name=value}
 * folders also let {@code MSCK REPAIR TABLE} find the partitions.
 *
 * <p>Re-registering a month (a re-run republished it) replaces its copy and its partition, and
 * refreshes the table so that Spark's cached file listing (sizes of the replaced file) is not
 * reused. A query running during that replacement may see the partition empty.
 */
public final class CatalogRegistration {
    public static final String PARTITION_COLUMN = "publication_month";
    public static final String CATALOG_FOLDER = "_catalog";

    private CatalogRegistration() {}

    /**
     * Registers the tables of {@code month} published in {@code out} ({@code OUT/YYYY-MM}, or the version
     * its pointer names on an object store: {@link PublishedMonths}) and, when the settings ask, those
     * of its {@code restricted/} folder. Returns one warning per table that could not be registered
     * (empty when all were); it throws nothing for a table's failure, since the month is published
     * whatever the catalog says.
     */
    public static List<String> register(SparkSession spark, CatalogSettings settings, RestrictedAccess access,
                                        YearMonth month, Store out) {
        List<String> warnings = new ArrayList<>();
        Optional<Store> published = PublishedMonths.of(out, month);
        if (published.isEmpty()) {
            return List.of("no publication of " + month + " in " + out.shown() + " to register");
        }
        Store publication = published.get();
        Path catalogRoot = out.resolve(CATALOG_FOLDER);
        registerFolder(spark, settings.database(), month, publication, publication.root(), catalogRoot, null, warnings);
        if (settings.restricted()) {
            // The copies of restricted tables get restricted/'s modes (owner-only, or the restricted group).
            registerFolder(spark, settings.restrictedDatabase(), month, publication,
                    new Path(publication.root(), "restricted"), new Path(catalogRoot, "restricted"), access, warnings);
        }
        return warnings;
    }

    /** The refresh's hook: registers when enabled, prints each warning to {@code err}, returns them. */
    public static List<String> afterPublication(SparkSession spark, CatalogSettings settings, RestrictedAccess access,
                                                YearMonth month, Store out, PrintStream err) {
        if (!settings.enabled()) {
            return List.of();
        }
        List<String> warnings;
        try {
            warnings = register(spark, settings, access, month, out);
        } catch (RuntimeException e) {
            warnings = List.of("catalog registration of " + month + " failed: " + e.getMessage());
        }
        warnings.forEach(w -> err.println("[atypie] warning: " + w + " (the month stays published)"));
        return warnings;
    }

    private static void registerFolder(SparkSession spark, String database, YearMonth month, Store publication,
                                       Path folder, Path catalogRoot, RestrictedAccess access, List<String> warnings) {
        FileStatus[] files;
        try {
            if (!publication.fs().exists(folder)) {
                return;
            }
            files = publication.fs().listStatus(folder);
        } catch (IOException e) {
            warnings.add("cannot list " + folder + ": " + e.getMessage());
            return;
        }
        Arrays.sort(files);
        if (access != null) {
            try {
                access.directory(new Store(publication.fs(), catalogRoot));
            } catch (IOException e) {
                warnings.add("cannot protect " + catalogRoot + ": " + e.getMessage());
                return;
            }
        }
        spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
        for (FileStatus f : files) {
            String name = f.getPath().getName();
            if (!f.isFile() || !name.endsWith(".parquet")) {
                continue;
            }
            String table = name.substring(0, name.length() - ".parquet".length());
            try {
                registerTable(spark, publication.fs(), database + "." + table, month, f.getPath(), new Path(catalogRoot, table));
                if (access != null) {
                    access.protect(new Store(publication.fs(), new Path(catalogRoot, table)));
                }
            } catch (RuntimeException | IOException e) {
                warnings.add("table " + database + "." + table + " not registered for " + month + ": "
                        + firstLine(e.getMessage()));
            }
        }
    }

    private static void registerTable(SparkSession spark, FileSystem fs, String table, YearMonth month, Path file,
                                      Path tableLocation) throws IOException {
        if (!table.matches("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain table name");
        }
        StructType schema = spark.read().parquet(file.toString()).schema();
        if (!spark.catalog().tableExists(table)) {
            spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + schema.toDDL() + ", " + PARTITION_COLUMN
                    + " STRING) USING parquet PARTITIONED BY (" + PARTITION_COLUMN + ") LOCATION " + quote(tableLocation));
        } else {
            StructType registered = withoutPartitionColumn(spark.table(table).schema());
            if (!registered.equals(schema.asNullable()) && !registered.equals(schema)) {
                // A code change altered the table's columns: the older months' partitions keep the old ones,
                // and Spark would misread one or the other. Left to an operator (DROP TABLE, re-register).
                throw new IllegalStateException("its columns differ from the registered table's ("
                        + registered.toDDL() + " registered, " + schema.toDDL() + " published)");
            }
        }
        Path partitionFolder = new Path(tableLocation, PARTITION_COLUMN + "=" + month);
        copy(fs, file, new Path(partitionFolder, file.getName()));
        String partition = "(" + PARTITION_COLUMN + " = '" + month + "')";
        spark.sql("ALTER TABLE " + table + " DROP IF EXISTS PARTITION " + partition);
        spark.sql("ALTER TABLE " + table + " ADD PARTITION " + partition + " LOCATION " + quote(partitionFolder));
        spark.sql("REFRESH TABLE " + table);
    }

    /** Copies to a hidden name (readers skip '.' files) then renames over the previous copy. */
    private static void copy(FileSystem fs, Path from, Path to) throws IOException {
        Path tmp = new Path(to.getParent(), "." + to.getName() + ".tmp");
        if (!FileUtil.copy(fs, from, fs, tmp, false, true, fs.getConf())) {
            throw new IOException("cannot copy " + from + " to " + tmp);
        }
        if (fs.exists(to) && !fs.delete(to, false)) {
            throw new IOException("cannot replace " + to);
        }
        if (!fs.rename(tmp, to)) {
            throw new IOException("cannot rename " + tmp + " to " + to);
        }
    }

    private static StructType withoutPartitionColumn(StructType s) {
        return new StructType(Arrays.stream(s.fields()).filter(f -> !f.name().equals(PARTITION_COLUMN))
                .toArray(StructField[]::new));
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
