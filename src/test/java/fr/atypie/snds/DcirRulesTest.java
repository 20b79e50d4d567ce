package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.df;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.events.EventColumns;
import fr.atypie.testing.SharedSpark;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DcirRulesTest {

    private static Dataset<Row> prsDf(SndsFixture... rows) {
        return df(SndsTable.ER_PRS_F, rows);
    }

    @Test
    void originalAndFullCancellationLeaveNothing() {
        Dataset<Row> net = DcirRules.netPrestations(prsDf(
                prs().keys(1),
                prs().keys(2).flux("2024-04-01").with(PRS_ACT_QTE, -1.0).with(PRS_ACT_NBR, -1.0)
                        .with(BSE_REM_MNT, -25.0).with(PRS_PAI_MNT, -26.5)));
        assertEquals(0, net.count());
    }

    @Test
    void partialCancellationKeepsTheNetAndTheLatestFlux() {
        Dataset<Row> net = DcirRules.netPrestations(prsDf(
                prs().keys(1).with(PRS_NAT_REF, 4213).with(PRS_ACT_QTE, 3.0).with(PRS_ACT_NBR, 3.0).with(BSE_REM_MNT, 90.0),
                prs().keys(2).flux("2024-05-01").with(PRS_NAT_REF, 4213).with(PRS_ACT_QTE, -1.0)
                        .with(PRS_ACT_NBR, -1.0).with(BSE_REM_MNT, -30.0)));
        List<Row> rows = net.collectAsList();
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals(2.0, r.getDouble(r.fieldIndex(PRS_ACT_QTE)));
        assertEquals(60.0, r.getDouble(r.fieldIndex(BSE_REM_MNT)));
        assertEquals(d("2024-05-01"), r.getDate(r.fieldIndex(FLX_DIS_DTD)));
    }

    @Test
    void identicalLinesAreSummedAndDifferentOnesKeptApart() {
        Dataset<Row> net = DcirRules.netPrestations(prsDf(
                prs().keys(1), prs().keys(2), prs().keys(3).with(EXE_SOI_DTD, d("2024-02-11"))
                        .with(EXE_SOI_DTF, d("2024-02-11"))));
        assertEquals(2, net.count());
        Row summed = net.filter(col(EXE_SOI_DTD).equalTo(d("2024-02-10"))).first();
        assertEquals(2.0, summed.getDouble(summed.fieldIndex(PRS_ACT_QTE)));
        assertEquals(50.0, summed.getDouble(summed.fieldIndex(BSE_REM_MNT)));
    }

    @Test
    void overCancelledGroupIsDropped() {
        Dataset<Row> net = DcirRules.netPrestations(prsDf(prs().keys(1),
                prs().keys(2).with(PRS_ACT_QTE, -2.0).with(BSE_REM_MNT, -50.0)));
        assertEquals(0, net.count());
    }

    @Test
    void multiEmployerIjCountsPaidDaysOnceFromTheCount() {
        // Same 10 days paid by two employers: quantity 10 on both lines, count 10 on one, 0 on the other.
        SndsFixture ij = prs().with(PRS_NAT_REF, 6111).with(EXE_SOI_DTD, d("2024-02-01"))
                .with(EXE_SOI_DTF, d("2024-02-10")).with(PRS_ACT_QTE, 10.0).with(BSE_REM_MNT, 300.0);
        Dataset<Row> net = DcirRules.netPrestations(prsDf(
                ij.keys(1).with(PRS_ACT_NBR, 10.0),
                prs().with(PRS_NAT_REF, 6111).with(EXE_SOI_DTD, d("2024-02-01")).with(EXE_SOI_DTF, d("2024-02-10"))
                        .with(PRS_ACT_QTE, 10.0).with(BSE_REM_MNT, 120.0).keys(2).with(PRS_ACT_NBR, 0.0)));
        Row r = net.select(DcirRules.ijPaidDays().as("days"), col(PRS_ACT_QTE), col(BSE_REM_MNT)).first();
        assertEquals(10.0, r.getDouble(0));      // days counted once
        assertEquals(20.0, r.getDouble(1));      // the quantity would double them
        assertEquals(420.0, r.getDouble(2));     // both employers' amounts are paid
    }

    @Test
    void lateFluxLineNetsWithItsCancellationAcrossFluxMonths() {
        // Care of January arriving in flux March, cancelled in flux June, re-billed in flux June.
        SndsFixture base = prs().with(EXE_SOI_DTD, d("2024-01-15")).with(EXE_SOI_DTF, d("2024-01-15"));
        Dataset<Row> net = DcirRules.netPrestations(prsDf(
                base.keys(1),
                prs().with(EXE_SOI_DTD, d("2024-01-15")).with(EXE_SOI_DTF, d("2024-01-15")).keys(2)
                        .flux("2024-06-01").with(PRS_ACT_QTE, -1.0).with(BSE_REM_MNT, -25.0),
                prs().with(EXE_SOI_DTD, d("2024-01-15")).with(EXE_SOI_DTF, d("2024-01-15")).keys(3)
                        .flux("2024-06-01").with(BSE_REM_MNT, 25.0)));
        Row r = net.first();
        assertEquals(1, net.count());
        assertEquals(1.0, r.getDouble(r.fieldIndex(PRS_ACT_QTE)));
        assertEquals(d("2024-06-01"), r.getDate(r.fieldIndex(FLX_DIS_DTD)));
    }

    @Test
    void informationOnlyLinesAreExcludedOnEitherColumn() {
        Dataset<Row> kept = DcirRules.excludeInformationOnly(prsDf(
                prs().keys(1), prs().keys(2).with(DPN_QLF, 71), prs().keys(3).with(PRS_DPN_QLP, 71),
                prs().keys(4).with(DPN_QLF, null).with(PRS_DPN_QLP, null)), SndsFixture.codes());
        assertEquals(List.of(1, 4), kept.select(DCT_ORD_NUM).orderBy(DCT_ORD_NUM).as(org.apache.spark.sql.Encoders.INT())
                .collectAsList());
    }

    @Test
    void majorationLinesAreExcluded() {
        Dataset<Row> kept = DcirRules.excludeMajorations(prsDf(
                prs().keys(1).with(CPL_MAJ_TOP, 0), prs().keys(2).with(CPL_MAJ_TOP, 1),
                prs().keys(3).with(CPL_MAJ_TOP, 2), prs().keys(4).with(CPL_MAJ_TOP, 3),
                prs().keys(5).with(CPL_MAJ_TOP, null)), SndsFixture.codes());
        assertEquals(List.of(1, 2, 5), kept.select(DCT_ORD_NUM).orderBy(DCT_ORD_NUM)
                .as(org.apache.spark.sql.Encoders.INT()).collectAsList());
    }

    @Test
    void drugLinesNetAfterJoiningTheirClaimAndShareTheAmountByBoxes() {
        SndsFixture claim = prs().with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").with(BSE_REM_MNT, 30.0);
        Dataset<Row> prs = prsDf(
                claim.keys(1),
                prs().with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").keys(2).flux("2024-04-01")
                        .with(PRS_ACT_QTE, -1.0).with(BSE_REM_MNT, -10.0));
        Dataset<Row> pha = df(SndsTable.ER_PHA_F,
                pha(1).with(PHA_ACT_QSN, 2),                                 // 2 boxes of CIP → 20 €
                pha(1).with(PHA_PRS_C13, SndsFixture.CIP2).with(PHA_ACT_QSN, 1),   // 1 box of CIP2 → 10 €
                pha(2).flux("2024-04-01").with(PHA_PRS_C13, SndsFixture.CIP2).with(PHA_ACT_QSN, -1)); // CIP2 returned
        List<Row> net = DcirRules.netDrugLines(prs, pha).orderBy(PHA_PRS_C13).collectAsList();
        assertEquals(1, net.size());
        Row r = net.get(0);
        assertEquals(SndsFixture.CIP, r.getLong(r.fieldIndex(PHA_PRS_C13)));
        assertEquals(2, r.getInt(r.fieldIndex(PHA_ACT_QSN)));
        assertEquals(20.0, r.getDouble(r.fieldIndex(BSE_REM_MNT)), 1e-9);
    }

    @Test
    void ageFromTheFundsCodeWinsOverTheBirthYear() {
        StructType schema = new StructType().add("ama", DataTypes.IntegerType).add("birth", DataTypes.StringType)
                .add("care", DataTypes.DateType);
        Dataset<Row> ds = SharedSpark.get().createDataFrame(List.of(
                RowFactory.create(null, "1980", d("2024-02-10")),     // 44 from the year
                RowFactory.create(43, "1980", d("2024-02-10")),       // 43: before the birthday, the code knows
                RowFactory.create(1018, "2022", d("2024-02-10")),     // 18 months → 1
                RowFactory.create(9999, "1950", d("2024-02-10"))),    // invalid code → 74 from the year
                schema);
        List<Integer> ages = ds.select(DcirRules.ageAtCare(col("ama"), col("birth"), col("care")))
                .as(org.apache.spark.sql.Encoders.INT()).collectAsList();
        assertEquals(List.of(44, 43, 1, 74), ages);
    }

    @Test
    void aldStatusAtTheCareDateFromPeriods() {
        StructType schema = new StructType().add(BEN_NIR_PSA, DataTypes.StringType).add(BEN_RNG_GEM, DataTypes.IntegerType)
                .add("care", DataTypes.DateType).add("n", DataTypes.IntegerType);
        Dataset<Row> lines = SharedSpark.get().createDataFrame(List.of(
                RowFactory.create("P1", 1, d("2023-12-31"), 1),  // before the period
                RowFactory.create("P1", 1, d("2024-01-01"), 2),  // first day
                RowFactory.create("P1", 1, d("2024-06-30"), 3),  // last day
                RowFactory.create("P1", 1, d("2024-07-01"), 4),  // after
                RowFactory.create("P2", 1, d("2030-01-01"), 5),  // open period (1600-01-01 = no end)
                RowFactory.create("P3", 1, d("2024-03-01"), 6)), // no ALD
                schema);
        Dataset<Row> imb = df(SndsTable.IR_IMB_R,
                SndsFixture.ald("P1", "2024-01-01", "2024-06-30"),
                SndsFixture.ald("P1", "2024-03-01", "2024-04-30"),  // overlapping second ALD: no duplicate row
                SndsFixture.ald("P2", "2020-01-01", "1600-01-01"));
        List<Row> out = DcirRules.withAldAtCare(lines, "care", imb).orderBy("n").select(EventColumns.ALD).collectAsList();
        assertEquals(6, out.size());
        assertEquals(List.of(false, true, true, false, true, false), out.stream().map(r -> r.getBoolean(0)).toList());
    }

    @Test
    void careMonthIsConsolidatedOnceTheWindowHasPassed() {
        FluxWindow w = new FluxWindow(YearMonth.of(2024, 12), 6);
        assertTrue(w.isConsolidated(YearMonth.of(2024, 6)));
        assertFalse(w.isConsolidated(YearMonth.of(2024, 7)));
        assertEquals(YearMonth.of(2024, 6), w.lastConsolidatedMonth());
        StructType schema = new StructType().add("m", DataTypes.DateType);
        Dataset<Row> months = SharedSpark.get().createDataFrame(List.of(
                RowFactory.create(d("2024-06-01")), RowFactory.create(d("2024-07-01"))), schema);
        List<Boolean> flags = DcirRules.markConsolidated(months, "m", w).orderBy("m")
                .select(EventColumns.CONSOLIDATED).as(org.apache.spark.sql.Encoders.BOOLEAN()).collectAsList();
        assertEquals(List.of(true, false), flags);
    }
}
