package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.InputError;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractReaderTest {

    private static Map<SndsTable, Dataset<Row>> threeFluxMonths() {
        return SndsFixture.extract(prs().keys(1).flux("2024-01-01").with(EXE_SOI_DTD, SndsFixture.d("2024-01-05")),
                prs().keys(2).flux("2024-02-01"), prs().keys(3).flux("2024-03-01"), pha(3));
    }

    /** The contract columns and the reader's two helper columns. */
    static org.apache.spark.sql.types.StructType contract(SndsTable t) {
        return t.schema().add(ExtractReader.INPUT_RULE, DataTypes.StringType).add(ExtractReader.INPUT_REASON, DataTypes.StringType);
    }

    static org.apache.spark.sql.types.StructType withoutMetadata(org.apache.spark.sql.types.StructType s) {
        return new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(s.fields())
                .map(f -> new org.apache.spark.sql.types.StructField(f.name(), f.dataType(), f.nullable(),
                        org.apache.spark.sql.types.Metadata.empty()))
                .toArray(org.apache.spark.sql.types.StructField[]::new));
    }

    /** "COLUMN: found type(s)" for each column the reader coerced, from its metadata. */
    private static List<String> coercedFrom(Dataset<Row> read) {
        List<String> found = new ArrayList<>();
        for (StructField f : read.schema().fields()) {
            if (f.metadata().contains(ExtractReader.COERCED_FROM)) {
                found.add(f.name() + ": " + f.metadata().getString(ExtractReader.COERCED_FROM));
            }
        }
        return found;
    }

    private static ExtractReader reader(Path root) {
        return new ExtractReader(SharedSpark.get(), new ExtractLayout(root));
    }

    @Test
    void partitionedFluxTablesAreReadWholeOrForSomeFluxMonths(@TempDir Path root) {
        SndsFixture.write(threeFluxMonths(), root);
        Map<SndsTable, Dataset<Row>> all = reader(root).readAll(FluxSelection.ALL);
        assertEquals(3, all.get(SndsTable.ER_PRS_F).count());
        assertEquals(contract(SndsTable.ER_PRS_F), all.get(SndsTable.ER_PRS_F).schema());
        assertEquals(2, reader(root).read(SndsTable.ER_PRS_F,
                FluxSelection.between(YearMonth.of(2024, 2), YearMonth.of(2024, 3))).count());
        assertEquals(0, reader(root).read(SndsTable.ER_PHA_F,
                FluxSelection.between(YearMonth.of(2025, 1), YearMonth.of(2025, 2))).count());
    }

    @Test
    void aPlainFolderOfAFluxTableIsFilteredOnTheFluxDate(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.get(SndsTable.ER_PRS_F).coalesce(1).write().parquet(root.resolve("ER_PRS_F").toString());
        t.remove(SndsTable.ER_PRS_F);
        SndsFixture.write(t, root);
        ExtractReader r = reader(root);
        assertEquals(3, r.read(SndsTable.ER_PRS_F, FluxSelection.ALL).count());
        assertEquals(1, r.read(SndsTable.ER_PRS_F, new FluxSelection(java.util.Optional.of(YearMonth.of(2024, 3)),
                java.util.Optional.empty())).count());
    }

    @Test
    void missingAndMistypedColumnsAreNamedWithTheirTypes(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.put(SndsTable.ER_PRS_F, t.get(SndsTable.ER_PRS_F).drop(PRS_NAT_REF)
                .withColumn(BEN_RNG_GEM, col(BEN_RNG_GEM).cast(DataTypes.BooleanType)));
        SndsFixture.write(t, root);
        InputError e = assertThrows(InputError.class, () -> reader(root).readAll(FluxSelection.ALL));
        assertTrue(e.getMessage().contains("table ER_PRS_F, column PRS_NAT_REF: missing (expected int)"), e.getMessage());
        assertTrue(e.getMessage().contains("table ER_PRS_F, column BEN_RNG_GEM: expected int, found boolean"), e.getMessage());
    }

    @Test
    void aMissingTableIsNamed(@TempDir Path root) throws IOException {
        SndsFixture.write(threeFluxMonths(), root);
        try (Stream<Path> s = Files.walk(root.resolve("IR_PHA_R"))) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        InputError e = assertThrows(InputError.class, () -> reader(root).readAll(FluxSelection.ALL));
        assertTrue(e.getMessage().contains("table IR_PHA_R: folder " + root.resolve("IR_PHA_R") + " not found"),
                e.getMessage());
    }

    /**
     * Flux months exported by different tools: 2024-01 with dates as timestamps and quantities as
     * Oracle decimals, the others to the contract. Files of other column types are typed on their own,
     * the report names both types; a file below a month's folder is not in that month (its rows are tagged).
     */
    @Test
    void fluxMonthsExportedWithDifferentTypesAreEachCoercedAndNamed(@TempDir Path root) throws IOException {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        SndsFixture.write(t, root);
        Path january = root.resolve("ER_PRS_F").resolve(ExtractLayout.FLUX_PARTITION + "=2024-01");
        try (Stream<Path> s = Files.walk(january)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        t.get(SndsTable.ER_PRS_F).where(col(FLX_DIS_DTD).equalTo(SndsFixture.d("2024-01-01")))
                .withColumn(FLX_DIS_DTD, col(FLX_DIS_DTD).cast(DataTypes.TimestampType))
                .withColumn(EXE_SOI_DTD, col(EXE_SOI_DTD).cast(DataTypes.TimestampType))
                .withColumn(PRS_ACT_QTE, col(PRS_ACT_QTE).cast(new DecimalType(38, 10)))
                .coalesce(1).write().parquet(january.toString());
        Path nested = root.resolve("ER_PRS_F").resolve(ExtractLayout.FLUX_PARTITION + "=2024-03").resolve("late");
        t.get(SndsTable.ER_PRS_F).where(col(FLX_DIS_DTD).equalTo(SndsFixture.d("2024-03-01")))
                .coalesce(1).write().parquet(nested.toString());

        // The clean months need no check per row (their footers hold the month's dates); the timestamps
        // of 2024-01 have no date statistics; the file below 2024-03 has no month folder of its own.
        Map<String, String> checks = new java.util.TreeMap<>();
        reader(root).folderChecks(SndsTable.ER_PRS_F).forEach((file, how) -> checks.put(
                file.substring(0, file.lastIndexOf('/')), how));
        assertEquals(Map.of("flux_month=2024-01", "DISCOVERED", "flux_month=2024-02", "NONE",
                "flux_month=2024-03", "NONE", "flux_month=2024-03/late", "FROM_PATH"), checks);
        Dataset<Row> prs = reader(root).read(SndsTable.ER_PRS_F, FluxSelection.ALL);
        assertEquals(contract(SndsTable.ER_PRS_F), withoutMetadata(prs.schema()));
        List<String> found = coercedFrom(prs);
        assertEquals(List.of("FLX_DIS_DTD: date, timestamp", "EXE_SOI_DTD: date, timestamp",
                "PRS_ACT_QTE: decimal(38,10), double"), found);
        assertEquals(List.of("2024-01-01/2024-01-05/null", "2024-02-01/2024-02-10/null", "2024-03-01/2024-02-10/null",
                        "2024-03-01/2024-02-10/FLX_DIS_DTD 2024-03-01 is not in its folder flux_month="),
                prs.orderBy(FLX_DIS_DTD, ExtractReader.INPUT_REASON)
                        .select(concat_ws("/", col(FLX_DIS_DTD), col(EXE_SOI_DTD), coalesce(col(ExtractReader.INPUT_REASON), lit("null"))))
                        .as(Encoders.STRING()).collectAsList());
    }

    @Test
    void safeWideningsAndLowerCaseNamesAreAcceptedAndCastBack(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.put(SndsTable.ER_PHA_F, t.get(SndsTable.ER_PHA_F).withColumn(PHA_ACT_QSN, col(PHA_ACT_QSN).cast(DataTypes.ShortType)));
        t.put(SndsTable.IR_PHA_R, t.get(SndsTable.IR_PHA_R)
                .withColumn(PHA_PRI_UNI, col(PHA_PRI_UNI).cast(new DecimalType(10, 2)))
                .withColumnRenamed(PHA_ATC_C07, "pha_atc_c07")
                .withColumn("EXTRA_COLUMN", col(PHA_MED_NOM)));
        SndsFixture.write(t, root);
        Map<SndsTable, Dataset<Row>> read = reader(root).readAll(FluxSelection.ALL);
        assertEquals(contract(SndsTable.ER_PHA_F), withoutMetadata(read.get(SndsTable.ER_PHA_F).schema()));
        assertEquals(contract(SndsTable.IR_PHA_R), withoutMetadata(read.get(SndsTable.IR_PHA_R).schema()));
        Row drug = read.get(SndsTable.IR_PHA_R).first();
        assertEquals("J01CA04", drug.getAs(PHA_ATC_C07));
        assertEquals(5.0, (double) drug.getAs(PHA_PRI_UNI));
        assertEquals(1, (int) read.get(SndsTable.ER_PHA_F).first().getAs(PHA_ACT_QSN));
    }

    @Test
    void typesWithoutALosslessCoercionAreRefused() {
        assertTrue(ExtractReader.coerce(field(DataTypes.BooleanType), field(DataTypes.IntegerType)).isEmpty());
        assertTrue(ExtractReader.coerce(field(DataTypes.DateType), field(DataTypes.IntegerType)).isEmpty());
        assertTrue(ExtractReader.coerce(field(DataTypes.BinaryType), field(DataTypes.DateType)).isPresent());
        // Coercible, with a per-row check (a value may not fit) or without one (every value fits).
        assertTrue(ExtractReader.coerce(field(DataTypes.DoubleType), field(DataTypes.IntegerType)).get().problem() != null);
        assertTrue(ExtractReader.coerce(field(DataTypes.IntegerType), field(DataTypes.LongType)).get().problem() == null);
    }

    /** The coerced value and its problem ("-" for null), one line per row of {@code values} (column X). */
    private static List<String> coerced(Dataset<Row> values, org.apache.spark.sql.types.DataType to) {
        return coerced(values, field(to));
    }

    /** As above, to the contract column {@code to} (named as the column of {@code values}). */
    private static List<String> coerced(Dataset<Row> values, org.apache.spark.sql.types.StructField to) {
        ExtractReader.Coerced c = ExtractReader.coerce(values.schema().fields()[0], to).orElseThrow();
        org.apache.spark.sql.Column problem = c.problem() == null ? lit(null) : c.problem();
        List<String> inline = values.select(concat_ws(" | ", coalesce(c.value().cast(DataTypes.StringType), lit("-")),
                coalesce(problem, lit("-")))).as(Encoders.STRING()).collectAsList();
        // As the reader computes it: the value once, in a projection of its own, its problem read off it.
        org.apache.spark.sql.Column computed = col("_value");
        org.apache.spark.sql.Column problemOfComputed = c.problem(computed) == null ? lit(null) : c.problem(computed);
        List<String> staged = values.select(col("*"), c.value().as("_value"))
                .select(concat_ws(" | ", coalesce(computed.cast(DataTypes.StringType), lit("-")),
                        coalesce(problemOfComputed, lit("-")))).as(Encoders.STRING()).collectAsList();
        assertEquals(inline, staged, "a value computed apart has the same problem");
        return inline;
    }

    /** Oracle's NUMBER(n): whole by type, kept when it fits the contract's integer, else its reason. */
    @Test
    void wholeDecimalsFitTheirIntegersOrSayWhyNot() {
        Dataset<Row> values = SharedSpark.get().createDataset(List.of("75", "-3", "2147483648", "100000000000000000000", "x"),
                Encoders.STRING()).toDF("S").select(col("S").cast(new DecimalType(38, 0)).as("X"));
        assertEquals(List.of("75 | -", "-3 | -", "- | X 2147483648 (decimal(38,0)) does not fit int",
                "- | X 100000000000000000000 (decimal(38,0)) does not fit int", "- | -"), coerced(values, DataTypes.IntegerType));
        assertEquals(List.of("75 | -", "-3 | -", "2147483648 | -",
                "- | X 100000000000000000000 (decimal(38,0)) does not fit bigint", "- | -"), coerced(values, DataTypes.LongType));
        assertEquals(List.of("75 | -", "-3 | -"), coerced(values.limit(2).select(col("X").cast(new DecimalType(10, 0)).as("X")),
                DataTypes.IntegerType));
    }

    /**
     * SAS writes every number as a double: a whole one within the contract's integer is kept (-0.0 is 0),
     * anything else (a fraction, too large, NaN, an infinity) is refused with its value and why.
     */
    @Test
    void doublesFitTheirIntegersOnlyWhenWhole() {
        Dataset<Row> values = SharedSpark.get().createDataset(List.of(75.0, -3.0, -0.0, 2.5, 2147483648.0,
                        -0x1p63, 0x1p63, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-11 + 5),
                Encoders.DOUBLE()).toDF("X");
        assertEquals(List.of("75 | -", "-3 | -", "0 | -", "- | X 2.5 (double) does not fit int",
                "- | X 2.147483648E9 (double) does not fit int", "- | X -9.223372036854776E18 (double) does not fit int",
                "- | X 9.223372036854776E18 (double) does not fit int", "- | X NaN (double) does not fit int",
                "- | X Infinity (double) does not fit int", "- | X -Infinity (double) does not fit int",
                "- | X 5.00000000001 (double) does not fit int"), coerced(values, DataTypes.IntegerType));
        // NaN sorts above every double in Spark: the filter keeps it, with both infinities.
        assertEquals(List.of("2147483648 | -", "-9223372036854775808 | -",
                "- | X 9.223372036854776E18 (double) does not fit bigint", "- | X NaN (double) does not fit bigint",
                "- | X Infinity (double) does not fit bigint", "- | X -Infinity (double) does not fit bigint"),
                coerced(values.filter(col("X").geq(2147483648.0).or(col("X").lt(-1e18))), DataTypes.LongType));
        Dataset<Row> floats = values.limit(4).select(col("X").cast(DataTypes.FloatType).as("X"));
        assertEquals(List.of("75 | -", "-3 | -", "0 | -", "- | X 2.5 (float) does not fit int"),
                coerced(floats, DataTypes.IntegerType));
    }

    /** Impala and Hive write text as binary without the string annotation: read as UTF-8, as text would be. */
    @Test
    void textWrittenAsBinaryIsReadAsUtf8Text() {
        org.apache.spark.sql.types.StructType binary = new org.apache.spark.sql.types.StructType().add("X", DataTypes.BinaryType);
        Dataset<Row> values = SharedSpark.get().createDataFrame(List.of(
                org.apache.spark.sql.RowFactory.create((Object) "75".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                org.apache.spark.sql.RowFactory.create((Object) "Lozère".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                org.apache.spark.sql.RowFactory.create((Object) "Lozère".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                org.apache.spark.sql.RowFactory.create((Object) null)), binary);
        assertEquals(List.of("75 | -", "Lozère | -", "- | X (binary) is not UTF-8 text", "- | -"),
                coerced(values, DataTypes.StringType));
        assertEquals(List.of("75 | -", "- | X Lozère (binary) does not fit int", "- | X (binary) is not UTF-8 text", "- | -"),
                coerced(values, DataTypes.IntegerType));
    }

    /**
     * An IR_BEN_R as Impala writes it (text as binary, the death date as text), its text padded to
     * the column's width as Oracle's CHAR(n) and SAS do: read to the contract, each coercion named.
     */
    @Test
    void aTableOfPaddedBinaryTextAndTextDatesIsReadToTheContract(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.put(SndsTable.IR_BEN_R, t.get(SndsTable.IR_BEN_R)
                .withColumn(BEN_NIR_PSA, functions.rpad(col(BEN_NIR_PSA), 17, " ").cast(DataTypes.BinaryType))
                .withColumn(BEN_RES_DPT, col(BEN_RES_DPT).cast(DataTypes.BinaryType))
                .withColumn(BEN_NAI_ANN, functions.rpad(col(BEN_NAI_ANN), 8, " "))
                .withColumn(BEN_DCD_DTE, lit("03/02/2024")));
        SndsFixture.write(t, root);
        Dataset<Row> ben = reader(root).read(SndsTable.IR_BEN_R, FluxSelection.ALL);
        assertEquals(contract(SndsTable.IR_BEN_R), withoutMetadata(ben.schema()));
        List<String> found = coercedFrom(ben);
        assertEquals(List.of("BEN_NIR_PSA: binary", "BEN_RES_DPT: binary", "BEN_DCD_DTE: string"), found);
        assertEquals(List.of("P1/034/1980/2024-02-03/null"), ben.select(concat_ws("/", col(BEN_NIR_PSA), col(BEN_RES_DPT),
                col(BEN_NAI_ANN), col(BEN_DCD_DTE), coalesce(col(ExtractReader.INPUT_REASON), lit("null"))))
                .as(Encoders.STRING()).collectAsList());
    }

    /**
     * A placeholder date before the Gregorian reform (0001-01-01) in a file Spark did not write (here
     * by parquet-avro, as SAS, DuckDB or Arrow would): read as written, where Spark's default stops the
     * run (INCONSISTENT_BEHAVIOR_CROSS_VERSION.READ_ANCIENT_DATETIME); validation then quarantines it.
     */
    @Test
    void anAncientDateInAFileSparkDidNotWriteIsReadAsWritten(@TempDir Path root) throws IOException {
        SndsFixture.write(threeFluxMonths(), root);
        Path ben = root.resolve("IR_BEN_R");
        try (Stream<Path> s = Files.walk(ben)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        org.apache.avro.Schema date = org.apache.avro.LogicalTypes.date().addToSchema(
                org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        org.apache.avro.Schema schema = org.apache.avro.SchemaBuilder.record("IR_BEN_R").fields()
                .requiredString(BEN_NIR_PSA).requiredInt(BEN_RNG_GEM).requiredString(BEN_NAI_ANN)
                .requiredInt(BEN_SEX_COD).requiredString(BEN_RES_DPT).name(BEN_DCD_DTE).type(date).noDefault()
                .endRecord();
        org.apache.avro.generic.GenericData.Record p1 = new org.apache.avro.generic.GenericData.Record(schema);
        p1.put(BEN_NIR_PSA, "P1");
        p1.put(BEN_RNG_GEM, 1);
        p1.put(BEN_NAI_ANN, "1980");
        p1.put(BEN_SEX_COD, 1);
        p1.put(BEN_RES_DPT, "034");
        p1.put(BEN_DCD_DTE, (int) java.time.LocalDate.of(1, 1, 1).toEpochDay());
        try (org.apache.parquet.hadoop.ParquetWriter<org.apache.avro.generic.GenericRecord> w =
                     org.apache.parquet.avro.AvroParquetWriter.<org.apache.avro.generic.GenericRecord>builder(
                             org.apache.parquet.hadoop.util.HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(
                                     ben.resolve("part-0.parquet").toUri()), new org.apache.hadoop.conf.Configuration()))
                     .withSchema(schema).build()) {
            w.write(p1);
        }
        assertEquals(List.of("P1/0001-01-01"), reader(root).read(SndsTable.IR_BEN_R, FluxSelection.ALL)
                .select(concat_ws("/", col(BEN_NIR_PSA), col(BEN_DCD_DTE))).as(Encoders.STRING()).collectAsList());
        // validate writes it to the quarantine (Spark's default fails that write too), its lines after it.
        Path out = root.resolve("_out");   // no table of the extract
        assertEquals(fr.atypie.cli.ExitCodes.TOO_MUCH_QUARANTINE, fr.atypie.cli.AtypieCli.execute("validate", root.toString(),
                "--out", out.toString()));
        assertEquals(List.of("P1/0001-01-01/death date 0001-01-01 is before birth year 1980"), SharedSpark.get().read()
                .parquet(out.resolve("quarantine").resolve("IR_BEN_R").toString())
                .select(concat_ws("/", col(BEN_NIR_PSA), col(BEN_DCD_DTE), col("reason"))).as(Encoders.STRING()).collectAsList());
    }

    /** Dates as exports write them in text; a day that does not exist does not fit, nor does a time of day. */
    @Test
    void datesWrittenAsTextInTheExportsFormatsAreRead() {
        Dataset<Row> values = SharedSpark.get().createDataset(List.of("2024-01-15", " 2024-01-15 00:00:00", "2024-01-15T00:00",
                "15/01/2024", "20240115", "15JAN2024", "15jan2024", "29/02/2024", "31/02/2024", "2024-13-01",
                "2024-01-15 10:30:00", "15/1/2024", "15XYZ2024", ""), Encoders.STRING()).toDF("X");
        assertEquals(List.of("2024-01-15 | -", "2024-01-15 | -", "2024-01-15 | -", "2024-01-15 | -", "2024-01-15 | -",
                        "2024-01-15 | -", "2024-01-15 | -", "2024-02-29 | -",
                        "- | X 31/02/2024 (string) does not fit date", "- | X 2024-13-01 (string) does not fit date",
                        "- | X 2024-01-15 10:30:00 (string) does not fit date", "- | X 15/1/2024 (string) does not fit date",
                        "- | X 15XYZ2024 (string) does not fit date", "- | -"),
                coerced(values, DataTypes.DateType));
    }

    /**
     * Dates as timestamps: midnight in UTC (SAS, Oracle exports), or a local midnight converted to UTC
     * (Hive's INT96, JDBC exports): Paris in winter and summer, the Antilles, Réunion. Each is its
     * day, where a plain conversion gave Paris's dates the day before; a time of day is not a date.
     */
    @Test
    void datesWrittenAsTimestampsAreTheDayOfTheirMidnight() {
        Dataset<Row> values = SharedSpark.get().createDataset(List.of("2024-01-15 00:00:00", "2024-01-14 23:00:00",
                "2024-07-14 22:00:00", "2024-01-15 04:00:00", "2024-01-14 20:00:00", "2024-01-15 10:30:00",
                "2024-01-14 19:59:59", "0001-01-01 00:00:00"), Encoders.STRING()).toDF("S");
        List<String> expected = List.of("2024-01-15 | -", "2024-01-15 | -", "2024-07-15 | -", "2024-01-15 | -",
                "2024-01-15 | -", "- | X 2024-01-15 10:30:00 (timestamp) does not fit date",
                "- | X 2024-01-14 19:59:59 (timestamp) does not fit date", "0001-01-01 | -", "- | -");
        Dataset<Row> withNull = values.union(SharedSpark.get().createDataset(java.util.Collections.singletonList((String) null),
                Encoders.STRING()).toDF("S"));
        assertEquals(expected, coerced(withNull.select(col("S").cast(DataTypes.TimestampType).as("X")), DataTypes.DateType));
        assertEquals(expected.stream().map(v -> v.replace("(timestamp)", "(timestamp_ntz)")).toList(),
                coerced(withNull.select(col("S").cast(DataTypes.TimestampNTZType).as("X")), DataTypes.DateType));
    }

    /**
     * A date as a number: the yyyyMMdd of a CSV export typed as a number on its way to Parquet is its
     * day; a smaller whole number is a SAS date, days since 1960-01-01, from 1600-01-01 to 2100-12-31.
     * A day that does not exist, a fraction, a count outside those years does not fit.
     */
    @Test
    void datesWrittenAsNumbersAreYearMonthDayOrSasDayCounts() {
        // 23390 days after 1960-01-01 is 2024-01-15; -131487 is 1600-01-01, the SNDS's "no date";
        // 51501 is 2101-01-01, past the day counts read; 20240231 is no day.
        Dataset<Row> values = SharedSpark.get().createDataset(List.of(20240115L, 20240229L, 20240231L, 23390L, 19600101L,
                        0L, -131487L, -131488L, 51501L), Encoders.LONG()).toDF("X");
        assertEquals(List.of("2024-01-15 | -", "2024-02-29 | -", "- | X 20240231 (bigint) does not fit date",
                "2024-01-15 | -", "1960-01-01 | -", "1960-01-01 | -", "1600-01-01 | -",
                "- | X -131488 (bigint) does not fit date", "- | X 51501 (bigint) does not fit date"),
                coerced(values, DataTypes.DateType));
        Dataset<Row> doubles = SharedSpark.get().createDataset(List.of(20240115.0, 20240115.5, 23390.0, 23390.5),
                Encoders.DOUBLE()).toDF("X");
        assertEquals(List.of("2024-01-15 | -", "- | X 2.02401155E7 (double) does not fit date", "2024-01-15 | -",
                "- | X 23390.5 (double) does not fit date"), coerced(doubles, DataTypes.DateType));
        Dataset<Row> decimals = doubles.select(col("X").cast(new org.apache.spark.sql.types.DecimalType(10, 1)).as("X"));
        assertEquals(List.of("2024-01-15 | -", "- | X 20240115.5 (decimal(10,1)) does not fit date", "2024-01-15 | -",
                "- | X 23390.5 (decimal(10,1)) does not fit date"), coerced(decimals, DataTypes.DateType));
    }

    /**
     * Codes of digits exported as numbers (a SAS table, a CSV typed on its way to Parquet) get back the
     * leading zeros the number lost: Ariège's department 009 was 9, its doctors' numbers 09100001 were
     * 9100001, so its beneficiaries matched no department and its doctors no DA_PRA_R row written as
     * text. Longer and negative values, fractions, and text columns that are not such codes are as before.
     */
    @Test
    void codesExportedAsNumbersGetBackTheirLeadingZeros() {
        Dataset<Row> departments = SharedSpark.get().createDataset(List.of(9.0, 31.0, 971.0, 12345.0, -9.0, 9.5),
                Encoders.DOUBLE()).toDF(BEN_RES_DPT);
        assertEquals(List.of("009 | -", "031 | -", "971 | -", "12345 | -", "-9 | -", "- | BEN_RES_DPT 9.5 (double) does not fit string"),
                coerced(departments, text(BEN_RES_DPT)));
        Dataset<Row> doctors = SharedSpark.get().createDataset(List.of(9100001L, 31100001L), Encoders.LONG()).toDF(PFS_EXE_NUM);
        assertEquals(List.of("09100001 | -", "31100001 | -"), coerced(doctors, text(PFS_EXE_NUM)));
        Dataset<Row> finess = SharedSpark.get().createDataset(List.of(90780001L), Encoders.LONG()).toDF(ETB_PRE_FIN)
                .select(col(ETB_PRE_FIN).cast(new DecimalType(38, 10)).as(ETB_PRE_FIN));
        assertEquals(List.of("090780001 | -"), coerced(finess, text(ETB_PRE_FIN)));
        Dataset<Row> postal = SharedSpark.get().createDataset(List.of(9000, 91), Encoders.INT()).toDF(PFS_COD_POS);
        assertEquals(List.of("09000 | -", "00091 | -"), coerced(postal, text(PFS_COD_POS)));
        // Not codes of a fixed number of digits: as the number reads.
        Dataset<Row> years = SharedSpark.get().createDataset(List.of(1980.0), Encoders.DOUBLE()).toDF(BEN_NAI_ANN);
        assertEquals(List.of("1980 | -"), coerced(years, text(BEN_NAI_ANN)));
        Dataset<Row> groups = SharedSpark.get().createDataset(List.of(7L), Encoders.LONG()).toDF(PHA_GRS_NUM);
        assertEquals(List.of("7 | -"), coerced(groups, text(PHA_GRS_NUM)));
    }

    private static org.apache.spark.sql.types.StructField text(String column) {
        return DataTypes.createStructField(column, DataTypes.StringType, true);
    }

    private static org.apache.spark.sql.types.StructField field(org.apache.spark.sql.types.DataType t) {
        return DataTypes.createStructField("X", t, true);
    }

    @Test
    void aTruncatedParquetFileIsNamed(@TempDir Path root) throws IOException {
        SndsFixture.write(threeFluxMonths(), root);
        Path dra = root.resolve("DA_PRA_R");
        Path part;
        try (Stream<Path> s = Files.list(dra)) {
            part = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InputError e = assertThrows(InputError.class, () -> reader(root).read(SndsTable.DA_PRA_R, FluxSelection.ALL));
        assertTrue(e.getMessage().startsWith("table DA_PRA_R: 1 Parquet file(s) truncated or corrupt: " + part),
                e.getMessage());
    }
}
