package fr.atypie.synth;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * longs and amounts as {@code decimal(38,10)}), {@link Flavour#SAS} (every number a double, dates
 * as timestamps, the birth year and specialty codes as numbers, lower-case names).
 */
public final class TypedCopy {
    private TypedCopy() {}

    public enum Flavour { ORACLE, SAS }

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
                String name = flavour == Flavour.SAS ? f.name().toLowerCase(Locale.ROOT) : f.name();
                cols.add(col("`" + f.name() + "`").cast(t).as(name));
            }
            var w = df.select(cols.toArray(Column[]::new)).coalesce(1).write().mode(SaveMode.Overwrite);
            if (flux) {
                w = w.partitionBy(ExtractLayout.FLUX_PARTITION);
            }
            w.parquet(to.resolve(table).toString());
        }
    }

    private static DataType retype(StructField f, Flavour flavour) {
        DataType t = f.dataType();
        boolean numberCode = f.name().equals(SndsColumns.BEN_NAI_ANN) || f.name().equals(SndsColumns.PFS_PRA_SPE);
        if (flavour == Flavour.ORACLE) {
            if (t.equals(DataTypes.IntegerType)) {
                return new DecimalType(10, 0);
            }
            return t.equals(DataTypes.LongType) || t.equals(DataTypes.DoubleType) ? new DecimalType(38, 10) : t;
        }
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || numberCode) {
            return DataTypes.DoubleType;
        }
        return t.equals(DataTypes.DateType) ? DataTypes.TimestampType : t;
    }
}
