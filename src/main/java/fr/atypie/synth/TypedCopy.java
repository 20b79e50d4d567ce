package fr.atypie.synth;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_utc_timestamp;

import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * The same extract in the physical types real exports arrive in, for testing the reader's
 * coercions end to end: {@link Flavour#ORACLE} ({@code NUMBER} columns as {@code decimal(10,0)},
 * longs and amounts as {@code decimal(38,10)}), {@link Flavour#SAS} (every number a double, the
 * claims' dates as timestamps, the referentials' as SAS day counts, doubles counting days since
 * 1960-01-01, the birth year, specialty, department, practitioner, FINESS, postal and fund codes as
 * numbers, so that Ariège's {@code 009} is 9.0, lower-case names), {@link Flavour#HIVE}
 * (a table copied out of a Hive or Impala warehouse: folders and names in lower case, files named
 * {@code 000000_0}, text as Parquet binary without its string annotation, dates as timestamps of
 * Paris's midnight converted to UTC, so the 15th reads as the 14th at 23:00, or 22:00 in summer).
 */
public final class TypedCopy {
    private TypedCopy() {}

    public enum Flavour { ORACLE, SAS, HIVE }

    /** The exporting machine's time zone in {@link Flavour#HIVE}: its midnights are written in UTC. */
    private static final String HIVE_TIME_ZONE = "Europe/Paris";

    /** Copies every table folder of {@code from} (claims, referentials, nomenclatures) to {@code to}, retyped. */
    public static void write(SparkSession spark, Path from, Path to, Flavour flavour) {
        List<String> tables = new ArrayList<>(Arrays.stream(SndsTable.values()).map(Enum::name).toList());
        tables.add(Nomenclatures.NATURES_TABLE);
        tables.add(Nomenclatures.SPECIALTIES_TABLE);
        for (String table : tables) {
            boolean flux = Arrays.stream(SndsTable.values()).anyMatch(t -> t.name().equals(table) && t.partitionedByFlux());
            Path dir = from.resolve(table);
            if (!dir.toFile().isDirectory()) {
                continue;
            }
            Dataset<Row> df = spark.read().option("pathGlobFilter", "*.parquet").parquet(dir.toString());
            if (flux) {
                df = df.drop(ExtractLayout.FLUX_PARTITION)
                        .withColumn(ExtractLayout.FLUX_PARTITION, date_format(col(SndsColumns.FLX_DIS_DTD), "yyyy-MM"));
            }
            List<Column> cols = new ArrayList<>();
            for (StructField f : df.schema().fields()) {
                if (f.name().equals(ExtractLayout.FLUX_PARTITION)) {
                    cols.add(col(f.name()));
                    continue;
                }
                DataType t = retype(f, flavour);
                String name = flavour == Flavour.ORACLE ? f.name() : f.name().toLowerCase(Locale.ROOT);
                Column c = col("`" + f.name() + "`");
                if (flavour == Flavour.HIVE && f.dataType().equals(DataTypes.DateType)) {
                    c = to_utc_timestamp(c.cast(DataTypes.TimestampType), HIVE_TIME_ZONE);
                } else if (flavour == Flavour.SAS && !flux && f.dataType().equals(DataTypes.DateType)) {
                    // The referentials' dates as a SAS table converted without its DATE format keeps them.
                    c = datediff(c, lit(java.sql.Date.valueOf(ExtractReader.SAS_EPOCH)));
                    t = DataTypes.DoubleType;
                }
                cols.add(c.cast(t).as(name));
            }
            var w = df.select(cols.toArray(Column[]::new)).coalesce(1).write().mode(SaveMode.Overwrite);
            if (flux) {
                w = w.partitionBy(ExtractLayout.FLUX_PARTITION);
            }
            Path folder = to.resolve(flavour == Flavour.HIVE ? table.toLowerCase(Locale.ROOT) : table);
            w.parquet(folder.toString());
            if (flavour == Flavour.HIVE) {
                renameAsHiveDoes(folder);
            }
        }
    }

    /** Each file renamed as Hive names them ({@code 000000_0}: one per folder here); Spark's checksums and marker dropped. */
    private static void renameAsHiveDoes(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".parquet")) {
                    Files.move(f, f.resolveSibling("000000_0"));
                } else if (name.endsWith(".crc") || name.equals("_SUCCESS")) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename the files of " + folder, e);
        }
    }

    private static DataType retype(StructField f, Flavour flavour) {
        DataType t = f.dataType();
        // Codes of digits a SAS table holds as numbers: the birth year, the specialty, and those whose
        // leading zeros the number loses (Ariège's department 009, doctors 09100001, FINESS 090780001).
        boolean numberCode = f.name().equals(SndsColumns.BEN_NAI_ANN) || f.name().equals(SndsColumns.PFS_PRA_SPE)
                || SndsColumns.codeDigits(f.name()).isPresent();
        if (flavour == Flavour.ORACLE) {
            if (t.equals(DataTypes.IntegerType)) {
                return new DecimalType(10, 0);
            }
            return t.equals(DataTypes.LongType) || t.equals(DataTypes.DoubleType) ? new DecimalType(38, 10) : t;
        }
        if (flavour == Flavour.HIVE) {
            if (t.equals(DataTypes.StringType)) {
                return DataTypes.BinaryType;
            }
            return t.equals(DataTypes.DateType) ? DataTypes.TimestampType : t;
        }
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || numberCode) {
            return DataTypes.DoubleType;
        }
        return t.equals(DataTypes.DateType) ? DataTypes.TimestampType : t;
    }
}
