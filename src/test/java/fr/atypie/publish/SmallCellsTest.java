package fr.atypie.publish;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SmallCellsTest {
    private static final List<String> COUNTS = List.of("n_patients", "n_patients_den");
    private static final List<String> MEASURES = List.of("days", "rate");

    /** Department cube: patients in the numerator and the denominator, days, rate. */
    static Dataset<Row> cube() {
        StructType schema = new StructType()
                .add("dept", DataTypes.StringType)
                .add("n_patients", DataTypes.LongType)
                .add("n_patients_den", DataTypes.IntegerType)
                .add("days", DataTypes.LongType)
                .add("rate", DataTypes.DoubleType);
        return SharedSpark.get().createDataFrame(List.of(
                RowFactory.create("009", 9L, 40, 120L, 0.225),     // 9 patients: hidden
                RowFactory.create("011", 10L, 40, 300L, 0.25),     // exactly 10: shown
                RowFactory.create("012", 0L, 40, 0L, 0.0),         // zero: hidden
                RowFactory.create("030", null, 40, 55L, 0.1),      // unknown count: hidden
                RowFactory.create("031", 25L, 8, 500L, 3.125),     // small denominator: hidden
                RowFactory.create("034", 120L, 400, 2400L, 0.3)), schema);
    }

    @Test
    void hidesExactlyTheRowsBuiltOnFewerThanTenPatients() {
        Dataset<Row> hidden = new SmallCells(10).hide(cube(), COUNTS, MEASURES);
        assertEquals(List.of("dept", "n_patients", "n_patients_den", "days", "rate", "secret"), List.of(hidden.columns()));
        assertEquals(List.of(
                "[009,null,null,null,null,true]",
                "[011,10,40,300,0.25,false]",
                "[012,null,null,null,null,true]",
                "[030,null,null,null,null,true]",
                "[031,null,null,null,null,true]",
                "[034,120,400,2400,0.3,false]"), rows(hidden));
        assertEquals(cube().schema().fields()[1].dataType(), hidden.schema().apply("n_patients").dataType());
    }

    @Test
    void aRaisedThresholdHidesMoreAndAnExistingSecretFlagIsKept() {
        Dataset<Row> flagged = cube().withColumn(PublishColumns.SECRET, lit(false))
                .withColumn(PublishColumns.SECRET, org.apache.spark.sql.functions.col("dept").equalTo("034"));
        Dataset<Row> hidden = new SmallCells(15).hide(flagged, List.of("n_patients"), MEASURES);
        assertEquals(List.of(
                "[009,null,40,null,null,true]",
                "[011,null,40,null,null,true]",
                "[012,null,40,null,null,true]",
                "[030,null,40,null,null,true]",
                "[031,25,8,500,3.125,false]",
                "[034,null,400,null,null,true]"), rows(hidden));
        assertEquals("< 15", new SmallCells(15).hiddenLabel());
    }

    @Test
    void thresholdCannotGoBelowTen() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SmallCells(9));
        assertEquals("small-cell threshold 9 is below 10: statistical secrecy forbids it", e.getMessage());
    }

    @Test
    void checkPassesOnHiddenTablesAndNamesTheOffendingColumnsOtherwise() {
        SmallCells cells = new SmallCells(10);
        cells.assertNoSmallCells("cpg_dept", cells.hide(cube(), COUNTS, MEASURES), COUNTS, MEASURES);

        SmallCellError raw = assertThrows(SmallCellError.class,
                () -> cells.assertNoSmallCells("cpg_dept", cube(), COUNTS, MEASURES));
        assertEquals("table cpg_dept: 3 row(s) would publish cells built on fewer than 10 patients"
                + " (column n_patients below 10 patients: 2 row(s); column n_patients_den below 10 patients: 1 row(s))",
                raw.getMessage());

        Dataset<Row> leaky = cells.hide(cube(), COUNTS, MEASURES).withColumn("rate", lit(0.5));
        SmallCellError leak = assertThrows(SmallCellError.class,
                () -> cells.assertNoSmallCells("cpg_dept", leaky, COUNTS, MEASURES));
        assertEquals("table cpg_dept: 4 row(s) would publish cells built on fewer than 10 patients"
                + " (column rate shown on secret rows: 4 row(s))", leak.getMessage());
    }

    /** The check of rows already collected for export says what the Spark check says, on the same rows. */
    @Test
    void collectedRowsAreCheckedAsTheirDataset() {
        SmallCells cells = new SmallCells(10);
        List<String> keys = List.of("dept");
        cells.assertNoSmallCells("cpg_dept", ExportTable.collect("cpg_dept", cells.hide(cube(), COUNTS, MEASURES), keys),
                COUNTS, MEASURES);
        SmallCellError raw = assertThrows(SmallCellError.class,
                () -> cells.assertNoSmallCells("cpg_dept", ExportTable.collect("cpg_dept", cube(), keys), COUNTS, MEASURES));
        assertEquals("table cpg_dept: 3 row(s) would publish cells built on fewer than 10 patients"
                + " (column n_patients below 10 patients: 2 row(s); column n_patients_den below 10 patients: 1 row(s))",
                raw.getMessage());
        Dataset<Row> leaky = cells.hide(cube(), COUNTS, MEASURES).withColumn("rate", lit(0.5));
        SmallCellError leak = assertThrows(SmallCellError.class,
                () -> cells.assertNoSmallCells("cpg_dept", ExportTable.collect("cpg_dept", leaky, keys), COUNTS, MEASURES));
        assertEquals("table cpg_dept: 4 row(s) would publish cells built on fewer than 10 patients"
                + " (column rate shown on secret rows: 4 row(s))", leak.getMessage());

        // Counts that are not whole numbers compare as numbers: 9.5 and 9.99 are below 10, 10.0 is not.
        StructType schema = new StructType().add("dept", DataTypes.StringType).add("patients", DataTypes.DoubleType)
                .add("share", DataTypes.createDecimalType(10, 2));
        ExportTable fractional = ExportTable.collect("fractional", SharedSpark.get().createDataFrame(List.of(
                RowFactory.create("009", 9.5, new java.math.BigDecimal("10.00")),
                RowFactory.create("011", 10.0, new java.math.BigDecimal("9.99"))), schema), keys);
        SmallCellError fractions = assertThrows(SmallCellError.class,
                () -> cells.assertNoSmallCells("fractional", fractional, List.of("patients", "share"), List.of()));
        assertEquals("table fractional: 2 row(s) would publish cells built on fewer than 10 patients"
                + " (column patients below 10 patients: 1 row(s); column share below 10 patients: 1 row(s))",
                fractions.getMessage());
    }

    @Test
    void unknownOrNonNumericCountColumnsAreRefused() {
        SmallCells cells = new SmallCells(10);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> cells.hide(cube(), List.of("patients"), MEASURES));
        assertEquals("column patients is not in the table (columns: [dept, n_patients, n_patients_den, days, rate])",
                missing.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> cells.hide(cube(), List.of("dept"), MEASURES));
        assertEquals("patient-count column dept is string, not a number", text.getMessage());
    }

    private static List<String> rows(Dataset<Row> ds) {
        return ds.orderBy("dept").collectAsList().stream().map(Row::toString).toList();
    }
}
