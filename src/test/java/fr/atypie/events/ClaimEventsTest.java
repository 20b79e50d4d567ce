package fr.atypie.events;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ald;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.pra;
import static fr.atypie.snds.SndsFixture.prs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.ConfigLoader;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import fr.atypie.snds.CodeLists;
import fr.atypie.snds.SndsFixture;
import fr.atypie.testing.AdaptivePlans;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

class ClaimEventsTest {
    private static Map<EventTable, Dataset<Row>> events;
    private static ValidatedExtract validated;

    @BeforeAll
    static void build() {
        SndsFixture ij = prs().with(PRS_NAT_REF, 6111).with(PFS_EXE_NUM, null).with(PFS_PRE_NUM, "D1")
                .with(EXE_SOI_DTD, d("2024-02-01")).with(EXE_SOI_DTF, d("2024-02-10")).with(PRS_ACT_QTE, 10.0);
        SndsFixture pharmacy = prs().with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").with(PFS_PRE_NUM, "D2")
                .with(PSP_SPE_COD, 22).with(BSE_REM_MNT, 12.0);
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(SndsFixture.extract(
                ben("P1"), ben("P2").with(BEN_SEX_COD, 2).with(BEN_RES_DPT, "31").with(BEN_NAI_ANN, "2022"),
                ald("P1", "2023-06-01", null),
                pra("D1", "1"), pra("D2", "22"),
                SndsFixture.drug(SndsFixture.CIP, "J01CA04"), SndsFixture.drug(SndsFixture.CIP2, "N02BE01"),
                // Consultations: 1 of P1 by D1, 1 of P2 by D2 (18 months old); a majoration and an
                // information-only line give no event.
                prs().keys(1),
                prs().keys(2).with(PFS_EXE_NUM, "D2").with(BEN_NIR_PSA, "P2").with(BEN_AMA_COD, 1018)
                        .with(BSE_REM_MNT, 30.0),
                prs().keys(3).with(CPL_MAJ_TOP, 2).with(BSE_REM_MNT, 5.0),
                prs().keys(4).with(PRS_NAT_REF, 1112).with(DPN_QLF, 71),
                // Sick leave: sickness paid by two employers (count 10 and 0), a work accident, a maternity IJ.
                ij.keys(5).with(PRS_ACT_NBR, 10.0).with(BSE_REM_MNT, 300.0),
                ij.keys(6).with(PRS_ACT_NBR, 0.0).with(BSE_REM_MNT, 100.0),
                ij.keys(7).with(RGO_ASU_NAT, 40).with(EXE_SOI_DTD, d("2024-02-15")).with(EXE_SOI_DTF, d("2024-02-16"))
                        .with(PRS_ACT_QTE, 2.0).with(PRS_ACT_NBR, 2.0).with(BSE_REM_MNT, 80.0),
                ij.keys(8).with(PRS_NAT_REF, 6121).with(RGO_ASU_NAT, 30),
                // A work accident's day with no end date, written 1600-01-01 as the SNDS does: one day.
                ij.keys(13).with(RGO_ASU_NAT, 40).with(EXE_SOI_DTD, d("2024-02-20")).with(EXE_SOI_DTF, d("1600-01-01"))
                        .with(PRS_ACT_QTE, 1.0).with(PRS_ACT_NBR, 1.0).with(BSE_REM_MNT, 40.0),
                // Pharmacy: 2 boxes kept; a hospital claim fully cancelled in flux April.
                pharmacy.keys(9), pha(9).with(PHA_ACT_QSN, 2),
                pharmacy.keys(10).with(PFS_PRE_NUM, null).with(ETB_PRE_FIN, "340780477"),
                pha(10).with(PHA_PRS_C13, SndsFixture.CIP2),
                pharmacy.keys(11).flux("2024-04-01").with(PFS_PRE_NUM, null).with(ETB_PRE_FIN, "340780477")
                        .with(PRS_ACT_QTE, -1.0).with(BSE_REM_MNT, -12.0),
                pha(11).flux("2024-04-01").with(PHA_PRS_C13, SndsFixture.CIP2).with(PHA_ACT_QSN, -1),
                // Transport: a taxi, prescribed by D1 at hospital (the FINESS padded, as extracts sometimes hold it).
                prs().keys(12).with(PRS_NAT_REF, 4214).with(PFS_EXE_NUM, "TX1").with(BSE_REM_MNT, 60.0)
                        .with(ETB_PRE_FIN, " 340780001 ")));
        assertEquals(0, v.report().totalQuarantined(), v.report().tables().toString());
        validated = v;
        events = ClaimEvents.build(v, SndsFixture.codes());
    }

    /** The code lists of the configuration, not constants, decide which lines make which events. */
    @Test
    void theConfiguredCodeListsDecideWhichLinesMakeEvents() {
        CodeLists d = SndsFixture.codes();
        // No taxi among transports; majorations from CPL_MAJ_TOP 3; information only under qualifier 72.
        CodeLists other = new CodeLists(d.consultations(), d.sickLeaveIj(), d.maternityIj(), d.pharmacy(),
                java.util.Set.of(4212, 4213), d.generalPractice(), d.insurance(), 72, 3);
        Map<EventTable, Dataset<Row>> e = ClaimEvents.build(validated, other);
        assertEquals(0, e.get(EventTable.TRANSPORTS).count());
        // The majoration (keys 3) and the DPN_QLF 71 line (keys 4) are consultations now: 4, not 2.
        assertEquals(List.of(5.0, 25.0, 25.0, 30.0), e.get(EventTable.CONSULTATIONS).orderBy(AMOUNT)
                .select(AMOUNT).as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
        assertEquals(2, events.get(EventTable.CONSULTATIONS).count());
        assertEquals(1, events.get(EventTable.TRANSPORTS).count());
    }

    private static List<Row> rows(EventTable t, String orderBy) {
        Dataset<Row> ds = events.get(t);
        assertEquals(t.schema(), ds.schema(), t + " schema");
        return ds.orderBy(orderBy).collectAsList();
    }

    @Test
    void consultationsWithTheDoctorSeenAndPatientAttributesAtTheCareDate() {
        List<Row> c = rows(EventTable.CONSULTATIONS, PATIENT);
        assertEquals(2, c.size());
        Row p1 = c.get(0);
        assertEquals("P1:1", p1.getAs(PATIENT));
        assertEquals(d("2024-02-10"), p1.getAs(CARE_DATE));
        assertEquals(d("2024-02-01"), p1.getAs(CARE_MONTH));
        assertEquals(d("2024-03-01"), p1.getAs(FLUX_MONTH));
        assertEquals("034", p1.getAs(DEPT));
        assertEquals(44, (int) p1.getAs(AGE));
        assertEquals(1, (int) p1.getAs(SEX));
        assertEquals(true, p1.getAs(ALD));
        assertEquals("D1", p1.getAs(PRESCRIBER));
        assertEquals(1, (int) p1.getAs(PRESCRIBER_SPECIALTY));
        assertEquals(25.0, (double) p1.getAs(AMOUNT));
        Row p2 = c.get(1);
        assertEquals("P2:1", p2.getAs(PATIENT));
        assertEquals("031", p2.getAs(DEPT));
        assertEquals(1, (int) p2.getAs(AGE));
        assertEquals(2, (int) p2.getAs(SEX));
        assertEquals(false, p2.getAs(ALD));
        assertEquals(22, (int) p2.getAs(PRESCRIBER_SPECIALTY));
    }

    @Test
    void sickLeavePeriodsCountPaidDaysOnceAndExcludeMaternity() {
        List<Row> s = rows(EventTable.SICK_LEAVE_PERIODS, START_DATE);
        assertEquals(3, s.size());
        assertEquals(d("2024-02-01"), s.get(0).getAs(START_DATE));
        assertEquals(d("2024-02-10"), s.get(0).getAs(END_DATE));
        assertEquals(10.0, (double) s.get(0).getAs(PAID_DAYS));
        assertEquals(RISK_SICKNESS, s.get(0).getAs(RISK));
        assertEquals(400.0, (double) s.get(0).getAs(AMOUNT));
        assertEquals("D1", s.get(0).getAs(PRESCRIBER));
        assertEquals(2.0, (double) s.get(1).getAs(PAID_DAYS));
        assertEquals(RISK_WORK_ACCIDENT, s.get(1).getAs(RISK));
        assertEquals(d("2024-02-20"), s.get(2).getAs(START_DATE));
        assertEquals(d("2024-02-20"), s.get(2).getAs(END_DATE));
        assertEquals(1.0, (double) s.get(2).getAs(PAID_DAYS));
    }

    @Test
    void dispensationsAreNettedDrugLinesWithTheirReferential() {
        List<Row> d = rows(EventTable.DISPENSATIONS, CIP13);
        assertEquals(1, d.size());
        Row r = d.get(0);
        assertEquals(SndsFixture.CIP, (long) r.getAs(CIP13));
        assertEquals("J01CA04", r.getAs(ATC));
        assertEquals("G1", r.getAs(GENERIC_GROUP));
        assertEquals(2, (int) r.getAs(GENERIC_TYPE));
        assertEquals(2, (int) r.getAs(BOXES));
        assertEquals(12.0, (double) r.getAs(AMOUNT));
        assertEquals(false, r.getAs(HOSPITAL_PRESCRIPTION));
        assertEquals("D2", r.getAs(PRESCRIBER));
        assertEquals(22, (int) r.getAs(PRESCRIBER_SPECIALTY));
    }

    @Test
    void transports() {
        List<Row> t = rows(EventTable.TRANSPORTS, PATIENT);
        assertEquals(1, t.size());
        assertEquals(60.0, (double) t.get(0).getAs(AMOUNT));
        assertEquals("D1", t.get(0).getAs(PRESCRIBER));
        // The prescribing establishment, trimmed; none on lines a liberal doctor prescribed.
        assertEquals("340780001", t.get(0).getAs(ESTABLISHMENT));
        assertNull(rows(EventTable.DISPENSATIONS, CIP13).get(0).getAs(ESTABLISHMENT));
        assertNull(rows(EventTable.SICK_LEAVE_PERIODS, START_DATE).get(0).getAs(ESTABLISHMENT));
    }

    /**
     * The event store writes the four tables in one query: the patient dimension (IR_BEN_R with its ALD
     * periods) must be broadcast once there and reused, not once per table (at Occitanie size each copy
     * holds 5.3 M patients: the 7 GB heap that failed there in event building held four, each with its own ALD
     * periods broadcast as well).
     */
    @Test
    @ResourceLock(AdaptivePlans.LOCK)
    void theFourTablesShareOneBroadcastOfThePatientDimension() {
        Dataset<Row> all = null;
        for (EventTable t : EventTable.values()) {
            Dataset<Row> e = events.get(t).withColumn("table", org.apache.spark.sql.functions.lit(t.name()));
            all = all == null ? e : all.unionByName(e, true);
        }
        long rows = 0;
        for (Dataset<Row> e : events.values()) {
            rows += e.count();
        }
        SparkPlan ran = AdaptivePlans.ran(all, rows);
        // Broadcasts keyed by patient (BEN_NIR_PSA, BEN_RNG_GEM): the patient dimension and, inside its
        // build, the ALD periods; the three other tables read the first as a reused exchange.
        String byPatient = "HashedRelationBroadcastMode(List(input[0, string, true], input[1, int, true])";
        assertEquals(2, AdaptivePlans.builtBroadcasts(ran).stream().filter(m -> m.startsWith(byPatient)).count(),
                ran.toString());
        List<String> lines = java.util.Arrays.stream(ran.toString().split("\\n"))
                .filter(l -> l.contains("BroadcastExchange " + byPatient)).toList();
        assertEquals(3, lines.stream().filter(l -> l.contains("ReusedExchange") && l.contains("ald_periods")).count(),
                String.join("\n", lines));
    }
}
