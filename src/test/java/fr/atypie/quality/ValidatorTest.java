package fr.atypie.quality;

import static fr.atypie.quality.QuarantineRule.*;
import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ald;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.drug;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.pra;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.ConfigLoader;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One hand-written extract with one or two rows per rule; every count below is counted by hand. */
class ValidatorTest {
    private static ValidatedExtract v;

    @BeforeAll
    static void validate() {
        SndsFixture consult = prs();
        SndsFixture ij = prs().with(PRS_NAT_REF, 6111).with(PFS_EXE_NUM, null);
        SndsFixture pharmacy = prs().with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").with(BSE_REM_MNT, 10.0);
        Map<SndsTable, Dataset<Row>> extract = SndsFixture.extract(
                // ER_PRS_F: 19 rows, 6 kept (1, 12 first copy, 14, 15, 16, 18).
                consult.keys(1),
                consult.keys(2).with(FLX_EMT_NUM, null),                                          // missing_key
                consult.keys(3).with(BEN_NIR_PSA, null).with(EXE_SOI_DTD, d("2024-05-01"))
                        .with(EXE_SOI_DTF, d("2024-05-01")),                                      // missing_patient first
                consult.keys(4).with(PRS_NAT_REF, 9998),                                          // unknown_code (not in IR_NAT_V)
                ij.keys(5).with(RGO_ASU_NAT, 20),                                                 // unknown_code
                consult.keys(6).with(EXE_SOI_DTF, d("2024-02-01")),                               // impossible_date
                consult.keys(7).with(EXE_SOI_DTD, d("1913-06-23")).with(EXE_SOI_DTF, d("1913-06-23")), // impossible_date
                consult.keys(8).with(EXE_SOI_DTD, d("2024-04-02")).with(EXE_SOI_DTF, d("2024-04-02")), // care_after_flux
                consult.keys(9).with(BSE_REM_MNT, null),                                          // missing_measure
                ij.keys(10).with(PFS_PRE_NUM, " "),                                               // missing_prescriber
                consult.keys(11).with(BEN_NIR_PSA, "PX-UNKNOWN"),                                 // unknown_beneficiary
                consult.keys(12),
                consult.keys(12).with(BSE_REM_MNT, 30.0),                                         // duplicate_key
                consult.keys(13).with(EXE_SOI_DTD, d("2024-02-20")).with(EXE_SOI_DTF, d("2024-02-20"))
                        .with(PRS_ACT_QTE, -1.0).with(BSE_REM_MNT, -25.0),                        // unmatched_regularisation
                consult.keys(14).with(EXE_SOI_DTD, d("2024-02-21")).with(EXE_SOI_DTF, d("2024-02-21")),
                consult.keys(15).with(EXE_SOI_DTD, d("2024-02-21")).with(EXE_SOI_DTF, d("2024-02-21"))
                        .with(PRS_ACT_QTE, -1.0).with(BSE_REM_MNT, -25.0),                        // matched: kept
                pharmacy.keys(16).with(PFS_PRE_NUM, null).with(ETB_PRE_FIN, "340780477"),         // hospital: kept
                pharmacy.keys(17).with(PFS_PRE_NUM, null),                                        // missing_prescriber
                consult.keys(18).with(EXE_SOI_DTF, d("1600-01-01")),                              // no end date: kept
                // ER_PHA_F: 9 rows, 1 kept.
                pha(16),
                pha(99),                                                                          // orphan: no line
                pha(17),                                                                          // orphan: line quarantined
                pha(1),                                                                           // orphan: not pharmacy
                pha(16).with(PHA_PRS_C13, 3400930009999L),                                        // unknown_code
                pha(16).with(PHA_PRS_C13, 123L),                                                  // unknown_code
                pha(16).with(PHA_PRS_C13, SndsFixture.CIP2).with(PHA_ACT_QSN, null),              // missing_measure
                pha(16).with(PHA_PRS_C13, SndsFixture.CIP2).with(PHA_ACT_QSN, -1),                // unmatched_regularisation
                pha(16).with(FLX_EMT_TYP, null),                                                  // missing_key
                // IR_BEN_R: 11 rows, 2 kept (P1, P10).
                ben("P1"), ben("P10").with(BEN_DCD_DTE, d("1600-01-01")),                        // alive, as the SNDS writes it
                ben("P2").with(BEN_NAI_ANN, "19X0"),                                              // impossible_date
                ben("P3").with(BEN_NAI_ANN, "2030"),                                              // impossible_date
                ben("P4").with(BEN_NAI_ANN, "1850"),                                              // impossible_date
                ben("P9").with(BEN_DCD_DTE, d("1975-01-01")),                                     // impossible_date
                ben("P5").with(BEN_SEX_COD, 9),                                                   // unknown_code
                ben("P6").with(BEN_RES_DPT, "075"),                                               // unknown_code
                ben("P7").with(BEN_RES_DPT, "ABC"),                                               // unknown_code
                ben(null),                                                                        // missing_patient
                ben("P1").with(BEN_RES_DPT, "34"),                                                // duplicate_key
                // IR_IMB_R: 7 rows, 3 kept.
                ald("P1", "2020-01-01", "2030-12-31"), ald("P10", "2023-01-01", null),
                ald("P1", "2010-01-01", "1600-01-01"),
                ald("PX-UNKNOWN", "2020-01-01", null),                                            // unknown_beneficiary
                ald("P2", "2020-01-01", null),                                                    // unknown_beneficiary
                ald("P1", "2020-01-01", "2019-01-01"),                                            // impossible_date
                ald("P1", null, "2019-01-01"),                                                    // impossible_date
                // DA_PRA_R: 5 rows, 2 kept.
                pra("D1", "1"), pra("D2", "22"),
                pra("D1", "3"),                                                                   // duplicate_key
                pra("D3", "XX"),                                                                  // unknown_code
                pra(null, "1"),                                                                   // missing_key
                // IR_PHA_R: 5 rows, 2 kept.
                drug(SndsFixture.CIP, "J01CA04"), drug(SndsFixture.CIP2, "N02BE01"),
                drug(123L, "N02BE01"),                                                            // unknown_code
                drug(SndsFixture.CIP, "J01CA04").with(PHA_CIP_C13, null),                         // missing_key
                drug(SndsFixture.CIP, "J01CA99"));                                                // duplicate_key
        v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(extract);
    }

    private static void assertCounts(SndsTable t, long in, long kept, Map<QuarantineRule, Long> rules) {
        TableQuality q = v.report().table(t);
        assertEquals(in, q.rowsIn(), t + " rows in");
        assertEquals(kept, q.kept(), t + " kept");
        for (QuarantineRule r : QuarantineRule.values()) {
            assertEquals(rules.getOrDefault(r, 0L), q.count(r), t + " " + r);
        }
        // Independent recount of the two outputs: nothing lost, nothing twice.
        assertEquals(kept, v.kept(t).count(), t + " kept rows");
        assertEquals(in - kept, v.quarantine(t).count(), t + " quarantined rows");
    }

    @Test
    void serviceLines() {
        assertCounts(SndsTable.ER_PRS_F, 19, 6, Map.of(MISSING_KEY, 1L, MISSING_PATIENT, 1L, UNKNOWN_CODE, 2L,
                IMPOSSIBLE_DATE, 2L, CARE_AFTER_FLUX, 1L, MISSING_MEASURE, 1L, MISSING_PRESCRIBER, 2L,
                UNKNOWN_BENEFICIARY, 1L, DUPLICATE_KEY, 1L, UNMATCHED_REGULARISATION, 1L));
    }

    @Test
    void drugLines() {
        assertCounts(SndsTable.ER_PHA_F, 9, 1, Map.of(ORPHAN_DRUG_LINE, 3L, UNKNOWN_CODE, 2L, MISSING_MEASURE, 1L,
                UNMATCHED_REGULARISATION, 1L, MISSING_KEY, 1L));
        List<String> orphanReasons = v.quarantine(SndsTable.ER_PHA_F).filter(col(QuarantineColumns.RULE).equalTo("orphan_drug_line"))
                .orderBy(DCT_ORD_NUM).select(QuarantineColumns.REASON).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("its ER_PRS_F line is not a pharmacy claim (PRS_NAT_REF 1111)",
                "its ER_PRS_F line is quarantined (missing_prescriber)",
                "no ER_PRS_F line with these 9 keys"), orphanReasons);
    }

    @Test
    void referentials() {
        assertCounts(SndsTable.IR_BEN_R, 11, 2, Map.of(IMPOSSIBLE_DATE, 4L, UNKNOWN_CODE, 3L, MISSING_PATIENT, 1L,
                DUPLICATE_KEY, 1L));
        assertCounts(SndsTable.IR_IMB_R, 7, 3, Map.of(UNKNOWN_BENEFICIARY, 2L, IMPOSSIBLE_DATE, 2L));
        assertCounts(SndsTable.DA_PRA_R, 5, 2, Map.of(DUPLICATE_KEY, 1L, UNKNOWN_CODE, 1L, MISSING_KEY, 1L));
        assertCounts(SndsTable.IR_PHA_R, 5, 2, Map.of(UNKNOWN_CODE, 1L, MISSING_KEY, 1L, DUPLICATE_KEY, 1L));
    }

    @Test
    void firstRuleWinsAndReasonsNameTheValues() {
        Row r3 = v.quarantine(SndsTable.ER_PRS_F).filter(col(DCT_ORD_NUM).equalTo(3)).first();
        assertEquals("missing_patient", r3.getAs(QuarantineColumns.RULE));   // its care is also after flux
        assertEquals("care date 2024-04-02 is after its flux month 2024-03-01",
                reason(SndsTable.ER_PRS_F, DCT_ORD_NUM, 8));
        assertEquals("care start 2024-02-10 is after care end 2024-02-01", reason(SndsTable.ER_PRS_F, DCT_ORD_NUM, 6));
        assertEquals("RGO_ASU_NAT 20 is not an insurance nature of IJ [10, 30, 40, 41]",
                reason(SndsTable.ER_PRS_F, DCT_ORD_NUM, 5));
        assertEquals("PRS_ACT_QTE -1.0 cancels no identical original line", reason(SndsTable.ER_PRS_F, DCT_ORD_NUM, 13));
        assertEquals("PRS_NAT_REF 9998 is not a nature of service of IR_NAT_V", reason(SndsTable.ER_PRS_F, DCT_ORD_NUM, 4));
        // The duplicate kept is the first in column order (amount 25 before 30).
        Row dup = v.quarantine(SndsTable.ER_PRS_F).filter(col(QuarantineColumns.RULE).equalTo("duplicate_key")).first();
        assertEquals(30.0, (double) dup.getAs(BSE_REM_MNT));
        assertEquals("9 join keys held by 2 rows; the first is kept", dup.getAs(QuarantineColumns.REASON));
        assertEquals("BEN_RES_DPT '075' is not a department of the region 009 011 012 030 031 032 034 046 048 065 066 081 082",
                v.quarantine(SndsTable.IR_BEN_R).filter(col(BEN_NIR_PSA).equalTo("P6")).first().getAs(QuarantineColumns.REASON));
        assertEquals("birth year 2030 is after the latest flux month 2024-03",
                v.quarantine(SndsTable.IR_BEN_R).filter(col(BEN_NIR_PSA).equalTo("P3")).first().getAs(QuarantineColumns.REASON));
    }

    @Test
    void outputsHaveTheTablesColumnsAndTheReportIsCountsOnly() {
        for (SndsTable t : SndsTable.values()) {
            assertEquals(t.schema(), v.kept(t).schema(), t + " kept schema");
            List<String> q = new ArrayList<>(t.columnNames());
            q.add(QuarantineColumns.RULE);
            q.add(QuarantineColumns.REASON);
            assertEquals(q, List.of(v.quarantine(t).columns()), t + " quarantine columns");
        }
        assertEquals(Optional.of(YearMonth.of(2024, 3)), v.report().latestFlux());
        assertFalse(v.report().acceptable());
        String json = QualityReportFormat.json(v.report(), "fixture");
        String text = QualityReportFormat.text(v.report(), "fixture");
        assertFalse(json.contains("PX-UNKNOWN") || text.contains("PX-UNKNOWN"), "no patient identifier in the report");
        assertTrue(json.contains("{\"table\": \"ER_PRS_F\", \"rows_in\": 19, \"kept\": 6, \"quarantined\": 13"), json);
        assertTrue(text.contains("Result: REJECTED"), text);
    }

    @Test
    void anEmptyDepartmentListAcceptsAnyWellFormedDepartment() {
        QualityConfig any = ConfigLoader.defaults().quality().withDepartments(java.util.Set.of());
        ValidatedExtract w = new Validator(any, SndsFixture.codes()).validate(SndsFixture.extract(prs().keys(1),
                ben("P1").with(BEN_RES_DPT, "75"), ben("P2").with(BEN_RES_DPT, "2A"), ben("P3").with(BEN_RES_DPT, "7")));
        assertEquals(2, w.report().table(SndsTable.IR_BEN_R).kept());
        assertEquals(1, w.report().table(SndsTable.IR_BEN_R).count(UNKNOWN_CODE));
        assertTrue(w.report().table(SndsTable.ER_PRS_F).rules().isEmpty());
    }

    private static String reason(SndsTable t, String keyCol, int key) {
        return v.quarantine(t).filter(col(keyCol).equalTo(key)).first().getAs(QuarantineColumns.REASON);
    }

    /**
     * A department of the region where no beneficiary was kept (all of Ariège's quarantined, as when
     * its code 009 arrived as 9) is named, whatever the form of the kept codes ("31" is "031").
     */
    @Test
    void departmentsOfTheRegionWithoutAKeptBeneficiaryAreNamed() {
        Dataset<Row> kept = fr.atypie.testing.SharedSpark.get()
                .createDataset(List.of("034", "31", " 034 ", "2a"), org.apache.spark.sql.Encoders.STRING()).toDF(BEN_RES_DPT);
        assertEquals(List.of("009", "048"), Validator.departmentsWithoutBeneficiary(kept,
                java.util.Set.of("009", "031", "034", "048", "02A")));
        assertEquals(List.of(), Validator.departmentsWithoutBeneficiary(kept, java.util.Set.of()));
    }
}
