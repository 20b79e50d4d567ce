package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.pra;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.ConfigLoader;
import fr.atypie.quality.QuarantineColumns;
import fr.atypie.quality.QuarantineRule;
import fr.atypie.quality.QualityReportFormat;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Real extracts arrive with the types of the tool that exported them: Oracle NUMBER as decimals,
 * SAS numbers as doubles and dates as timestamps, lower-case names. Read back, each gives the very
 * rows of the contract-typed extract; a value that fits no contract type quarantines its row only.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
class ExportedTypesTest {

    private static Map<SndsTable, Dataset<Row>> extract() {
        return SndsFixture.extract(
                prs().keys(1).with(BEN_NAI_ANN, "1958"),
                prs().keys(2).with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").with(BEN_AMA_COD, 1013),
                pha(2),
                ben("P1"), ben("P2"), pra("D1", "1"), pra("D2", "22"));
    }

    /** Every column in the physical type {@code typeOf} gives its contract type, name lower-cased. */
    private static Map<SndsTable, Dataset<Row>> retyped(Map<SndsTable, Dataset<Row>> t,
                                                        java.util.function.Function<DataType, DataType> typeOf) {
        Map<SndsTable, Dataset<Row>> out = new EnumMap<>(SndsTable.class);
        t.forEach((table, df) -> {
            Column[] cols = java.util.Arrays.stream(df.schema().fields())
                    .map(f -> col(f.name()).cast(typeOf.apply(f.dataType())).as(f.name().toLowerCase(Locale.ROOT)))
                    .toArray(Column[]::new);
            out.put(table, df.select(cols));
        });
        return out;
    }

    private static DataType oracle(DataType t) {
        if (t.equals(DataTypes.IntegerType)) {
            return new DecimalType(10, 0);
        }
        if (t.equals(DataTypes.LongType) || t.equals(DataTypes.DoubleType)) {
            return new DecimalType(38, 10);
        }
        return t;
    }

    private static DataType sas(DataType t) {
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)) {
            return DataTypes.DoubleType;
        }
        return t.equals(DataTypes.DateType) ? DataTypes.TimestampType : t;
    }

    private static List<String> rows(Map<SndsTable, Dataset<Row>> read, SndsTable t) {
        // With the reader's rule column: null on every row that fitted.
        return read.get(t).select(java.util.stream.Stream.concat(t.columnNames().stream(), java.util.stream.Stream.of(
                        ExtractReader.INPUT_RULE)).map(c -> col(c)).toArray(Column[]::new))
                .collectAsList().stream().map(Row::toString).sorted().toList();
    }

    @Test
    void oracleAndSasTypedCopiesReadAsTheContractTypedExtract(@TempDir Path dir) {
        Map<SndsTable, Dataset<Row>> base = extract();
        SndsFixture.write(retyped(base, ExportedTypesTest::oracle), dir.resolve("oracle"));
        // SAS: numbers as doubles, dates as timestamps, and the birth year and specialty codes as numbers.
        Map<SndsTable, Dataset<Row>> sas = retyped(base, ExportedTypesTest::sas);
        sas.put(SndsTable.IR_BEN_R, sas.get(SndsTable.IR_BEN_R).withColumn("ben_nai_ann", col("ben_nai_ann").cast(DataTypes.IntegerType)));
        sas.put(SndsTable.DA_PRA_R, sas.get(SndsTable.DA_PRA_R).withColumn("pfs_pra_spe", col("pfs_pra_spe").cast(DataTypes.DoubleType)));
        SndsFixture.write(sas, dir.resolve("sas"));

        Map<SndsTable, Dataset<Row>> expected = new EnumMap<>(SndsTable.class);
        base.forEach((t, df) -> expected.put(t, df.withColumn(ExtractReader.INPUT_RULE, lit(null).cast(DataTypes.StringType))));
        for (String copy : List.of("oracle", "sas")) {
            Map<SndsTable, Dataset<Row>> read = new ExtractReader(SharedSparkHolder.spark(), new ExtractLayout(dir.resolve(copy)))
                    .readAll(FluxSelection.ALL);
            for (SndsTable t : SndsTable.values()) {
                assertEquals(rows(expected, t), rows(read, t), copy + " " + t);
                for (StructField f : t.schema().fields()) {
                    assertEquals(f.dataType(), read.get(t).schema().apply(f.name()).dataType(), copy + " " + t + "." + f.name());
                }
            }
        }
        // The quality report names what was coerced.
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(
                new ExtractReader(SharedSparkHolder.spark(), new ExtractLayout(dir.resolve("sas"))).readAll(FluxSelection.ALL));
        List<String> coerced = v.report().table(SndsTable.IR_BEN_R).coercions();
        assertTrue(coerced.contains("BEN_NAI_ANN: int -> string"), coerced.toString());
        assertTrue(coerced.contains("BEN_DCD_DTE: timestamp -> date"), coerced.toString());
        assertTrue(QualityReportFormat.text(v.report(), "sas").contains("    coerced PFS_PRA_SPE: double -> string"));
        assertTrue(QualityReportFormat.inputNotes(v.report()).contains(
                "IR_BEN_R: " + coerced.size() + " columns coerced to the contract's types"), QualityReportFormat.inputNotes(v.report()).toString());
        assertEquals(2, v.report().table(SndsTable.ER_PRS_F).kept());
    }

    @Test
    void aValueThatFitsNoContractTypeQuarantinesItsRowOnly(@TempDir Path dir) {
        Map<SndsTable, Dataset<Row>> t = retyped(extract(), ExportedTypesTest::sas);
        // A fractional nature of service and a day that does not exist, in a SAS-typed / text export.
        t.put(SndsTable.ER_PRS_F, t.get(SndsTable.ER_PRS_F)
                .withColumn("prs_nat_ref", when(col("dct_ord_num").equalTo(2.0), lit(3313.5)).otherwise(col("prs_nat_ref"))));
        t.put(SndsTable.IR_BEN_R, t.get(SndsTable.IR_BEN_R).withColumn("ben_dcd_dte",
                when(col("ben_nir_psa").equalTo("P2"), lit("31/02/2023")).otherwise(lit(null).cast(DataTypes.StringType))));
        SndsFixture.write(t, dir);
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(
                new ExtractReader(SharedSparkHolder.spark(), new ExtractLayout(dir)).readAll(FluxSelection.ALL));
        assertEquals(1, v.report().table(SndsTable.ER_PRS_F).count(QuarantineRule.UNCOERCIBLE_VALUE));
        assertEquals(1, v.report().table(SndsTable.ER_PRS_F).kept());
        assertEquals("PRS_NAT_REF 3313.5 (double) does not fit int",
                v.quarantine(SndsTable.ER_PRS_F).first().getAs(QuarantineColumns.REASON));
        assertEquals(1, v.report().table(SndsTable.IR_BEN_R).count(QuarantineRule.UNCOERCIBLE_VALUE));
        assertEquals("BEN_DCD_DTE 31/02/2023 (string) does not fit date",
                v.quarantine(SndsTable.IR_BEN_R).first().getAs(QuarantineColumns.REASON));
        // Rule codes the reader writes are the validator's.
        assertEquals(QuarantineRule.UNCOERCIBLE_VALUE.code(), ExtractReader.RULE_UNCOERCIBLE);
        assertEquals(QuarantineRule.FLUX_DATE_MISMATCH.code(), ExtractReader.RULE_FLUX_FOLDER);
        assertEquals(d("2024-02-10"), v.kept(SndsTable.ER_PRS_F).first().getAs(EXE_SOI_DTD));
    }

    /** The shared test session. */
    private static final class SharedSparkHolder {
        static org.apache.spark.sql.SparkSession spark() {
            return fr.atypie.testing.SharedSpark.get();
        }
    }
}
