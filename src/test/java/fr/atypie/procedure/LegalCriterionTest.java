package fr.atypie.procedure;

import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static fr.atypie.events.EventColumns.RISK_WORK_ACCIDENT;
import static fr.atypie.testing.EventRows.ij;
import static fr.atypie.testing.EventRows.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.events.EventTable;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.procedure.LegalCriterion.Measure;
import fr.atypie.procedure.LegalCriterion.PrescriberVolume;
import fr.atypie.procedure.LegalCriterion.Reading;
import fr.atypie.procedure.LegalCriterion.Scope;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LegalCriterionTest {
    static final ProcedureSettings.Criterion SETTINGS = new ProcedureSettings.Criterion("law", "fund", 3.09, 1.3, 4);
    static final String G = "general-practice|300";

    static PrescriberVolume v(String id, String dept, long spells, double days) {
        return new PrescriberVolume(id, dept, G, 400, spells, days, 50);
    }

    /** Twelve GPs of one peer group, seven in 034, five in 031; one GP alone in another activity band. */
    static final List<PrescriberVolume> VOLUMES = List.of(
            v("A", "034", 40, 2000), v("B", "034", 10, 300), v("C", "034", 12, 360), v("D", "034", 8, 240),
            v("E", "034", 10, 300), v("F", "034", 14, 420), v("G", "034", 6, 180),
            v("H", "031", 9, 270), v("I", "031", 11, 330), v("J", "031", 10, 300), v("K", "031", 12, 900),
            v("L", "031", 8, 240), new PrescriberVolume("M", "031", "general-practice|800", 900, 30, 900, 40));

    static Reading reading(List<Reading> all, String who, Measure m, Scope s) {
        return all.stream().filter(r -> r.prescriber().equals(who) && r.measure() == m && r.scope() == s)
                .findFirst().orElseThrow();
    }

    @Test
    void handComputedComparisonWithTheOtherDoctorsOfTheRegionAndOfTheFund() {
        List<Reading> all = LegalCriterion.compare(VOLUMES, SETTINGS);
        assertEquals(13 * 2 * 2, all.size());
        // A, spells, region: the 11 others are 10 12 8 10 14 6 9 11 10 12 8 → mean 10, squares of
        // deviations 50, SD √(50/10) = √5; z = 30/√5 = 6√5; ratio 4; excess 30.
        Reading a = reading(all, "A", Measure.SICK_LEAVE_SPELLS, Scope.REGION);
        assertEquals(11, a.peers());
        assertEquals(10.0, a.peerMean(), 1e-12);
        assertEquals(Math.sqrt(5), a.peerSd(), 1e-12);
        assertEquals(6 * Math.sqrt(5), a.z(), 1e-12);
        assertEquals(4.0, a.ratio(), 1e-12);
        assertEquals(30.0, a.excess(), 1e-12);
        assertTrue(a.meets());
        // K, IJ days, fund 031: the 4 others are 270 330 300 240 → mean 285, SD √(4500/3) = √1500;
        // 900 is 60/19 = 3.16 times the mean, z = 615/√1500 = 15.88: significantly above in its fund…
        Reading kFund = reading(all, "K", Measure.IJ_DAYS, Scope.DEPARTMENT);
        assertEquals(4, kFund.peers());
        assertEquals(285.0, kFund.peerMean(), 1e-12);
        assertEquals(Math.sqrt(1500), kFund.peerSd(), 1e-12);
        assertEquals(60.0 / 19, kFund.ratio(), 1e-12);
        assertEquals(615 / Math.sqrt(1500), kFund.z(), 1e-12);
        assertEquals(615.0, kFund.excess(), 1e-12);
        assertTrue(kFund.meets());
        // …but not in the region, where A's 2 000 days widen the spread: mean 4940/11, z 0.87.
        Reading kRegion = reading(all, "K", Measure.IJ_DAYS, Scope.REGION);
        assertEquals(4940.0 / 11, kRegion.peerMean(), 1e-9);
        assertEquals(0.8698892709451568, kRegion.z(), 1e-9);
        assertFalse(kRegion.meets());
        // K's spells (12 against 9.5 in its fund) are not: ratio 1.26 < 1.3.
        assertFalse(reading(all, "K", Measure.SICK_LEAVE_SPELLS, Scope.DEPARTMENT).meets());
        // M has no other doctor in its activity band: no ratio, no z, never met.
        Reading m = reading(all, "M", Measure.IJ_DAYS, Scope.REGION);
        assertEquals(0, m.peers());
        assertNull(m.ratio());
        assertNull(m.z());
        assertFalse(m.meets());
        // Met: A (first reading: spells, region) and K (IJ days, fund) only.
        Map<String, Reading> met = LegalCriterion.met(all);
        assertEquals(List.of("A", "K"), List.copyOf(met.keySet()));
        assertEquals(Measure.IJ_DAYS, met.get("K").measure());
        assertEquals("Jours d'IJ prescrits (12 mois) : 900 contre 285,0 en moyenne (caisse (département), 4 médecins "
                + "d'activité comparable), 3,16 fois la moyenne, z 15,88", met.get("K").describe());
    }

    @Test
    void theDoctorIsLeftOutOfItsOwnMeanAndSpread() {
        // Eight doctors at 10, one at 12, one at 1 000. Others of Z: mean 92/9, squares of deviations
        // 8·(2/9)² + (16/9)² = 32/9, SD √(32/9 / 8) = 2/3: Z is far above, z ≈ 1 484.
        List<PrescriberVolume> vs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            vs.add(v("P" + i, "034", 10, 300));
        }
        vs.add(v("Q", "034", 12, 360));
        vs.add(v("Z", "034", 1000, 30000));
        Reading z = reading(LegalCriterion.compare(vs, SETTINGS), "Z", Measure.SICK_LEAVE_SPELLS, Scope.REGION);
        assertEquals(92.0 / 9, z.peerMean(), 1e-12);
        assertEquals(2.0 / 3, z.peerSd(), 1e-12);
        assertEquals((1000 - 92.0 / 9) * 1.5, z.z(), 1e-9);
        assertTrue(z.meets());
        // With Z inside the mean and SD, its z would be bounded by (n − 1)/√n = 9/√10 = 2.85 < 3.09.
        double mean = 1092.0 / 10;
        double ss = vs.stream().mapToDouble(p -> (p.spells() - mean) * (p.spells() - mean)).sum();
        double inside = (1000 - mean) / Math.sqrt(ss / 9);
        assertTrue(inside < 9 / Math.sqrt(10) + 1e-12 && inside < 3.09, "z with the doctor inside: " + inside);
    }

    @Test
    void volumesCountSpellsInitiatedInTheWindowIjDaysPrescribedAndTheirPatients() {
        Dataset<Row> periods = table(EventTable.SICK_LEAVE_PERIODS,
                // DR1 initiates a spell in March (10 days), DR2 extends it in March (5 days).
                ij("p1", "2024-03-01", "2024-03-10", 10, 300, "DR1", RISK_SICKNESS, "034", 40, 1, false),
                ij("p1", "2024-03-11", "2024-03-15", 5, 150, "DR2", RISK_SICKNESS, "034", 40, 1, false),
                // A second spell of DR1 (another patient), then one before the window (2023-12).
                ij("p2", "2024-06-01", "2024-06-20", 20, 600, "DR1", RISK_SICKNESS, "034", 30, 2, false),
                ij("p3", "2023-12-01", "2023-12-05", 5, 150, "DR1", RISK_SICKNESS, "034", 50, 2, false),
                // A work accident does not count.
                ij("p4", "2024-04-01", "2024-04-30", 30, 900, "DR2", RISK_WORK_ACCIDENT, "034", 30, 1, false));
        Dataset<Row> spells = SickLeaveSpells.build(periods, LocalDate.of(2024, 12, 31), 2);
        List<Row> rows = SickLeaveVolumes.byPrescriber(periods, spells, YearMonth.of(2024, 12), 12).collectAsList();
        assertEquals(2, rows.size());
        assertEquals(List.of("DR1", 2L, 30.0, 2L), List.of(rows.get(0).get(0), rows.get(0).get(1), rows.get(0).get(2), rows.get(0).get(3)));
        assertEquals(List.of("DR2", 0L, 5.0, 1L), List.of(rows.get(1).get(0), rows.get(1).get(1), rows.get(1).get(2), rows.get(1).get(3)));
    }
}
