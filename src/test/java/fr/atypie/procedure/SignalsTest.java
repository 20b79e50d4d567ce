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
import fr.atypie.procedure.TrendAtypie.Signal;
import fr.atypie.procedure.TrendAtypie.Volumes;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Trend atypie and the long sick-leave lists, on hand-computed cases. */
class SignalsTest {
    static final ProcedureSettings.Trend TREND = new ProcedureSettings.Trend(20, 1.5, 3.09);

    @Test
    void trendIsOwnGrowthAgainstTheRegionsAsTwoPoissonCounts() {
        List<Signal> s = TrendAtypie.assess(List.of(
                new Volumes("A", "034", 60, 20, 1800, 600, 50),
                new Volumes("B", "034", 100, 100, 3000, 3000, 90),
                new Volumes("C", "031", 40, 80, 1200, 2400, 40),
                new Volumes("D", "031", 25, 0, 750, 0, 20)), TREND);
        // Region: 225 spells against 200, g = 9/8; p0 = g/(1 + g) = 9/17.
        Signal a = s.get(0);
        assertEquals(1.125, a.regionGrowth(), 1e-12);
        assertEquals(3.0, a.growth(), 1e-12);
        assertEquals(3.0 / 1.125, a.relativeGrowth(), 1e-12);
        // n = 80: z = (60 − 80·9/17) / √(80·9/17·8/17) = 300/√5760 = 3.95.
        assertEquals(300 / Math.sqrt(5760), a.z(), 1e-12);
        assertTrue(a.flagged());
        assertEquals("Arrêts prescrits : 60 sur les 12 derniers mois contre 20 sur les 12 précédents (x3,00) quand la "
                + "région fait x1,13 : 2,67 fois la croissance régionale (z 3,95) ; jours d'IJ 1\u202f800 contre 600.", a.reason());
        assertFalse(s.get(1).flagged());
        assertTrue(s.get(2).z() < 0);
        // D had no spell before: a new practice, not a trend.
        assertNull(s.get(3).growth());
        assertFalse(s.get(3).flagged());
        // Too few spells: A's growth on 8 spells is not judged.
        assertFalse(TrendAtypie.assess(List.of(new Volumes("A", "034", 6, 2, 0, 0, 5),
                new Volumes("B", "034", 100, 100, 0, 0, 5)), TREND).get(0).flagged());
    }

    @Test
    void insuredReachingDay60Or90InTheMonth() {
        Dataset<Row> periods = table(EventTable.SICK_LEAVE_PERIODS,
                // p1: from 5 October, day 60 = 3 December (reached), day 90 = 2 January (not yet).
                ij("p1", "2024-10-05", "2024-11-30", 57, 1700, "DR1", RISK_SICKNESS, "034", 40, 1, false),
                ij("p1", "2024-12-01", "2024-12-20", 20, 600, "DR2", RISK_SICKNESS, "034", 40, 1, false),
                // p2: from 10 September to 31 December: day 60 = 8 November (last month), day 90 = 8 December.
                ij("p2", "2024-09-10", "2024-12-31", 113, 3000, "DR1", RISK_SICKNESS, "031", 50, 2, false),
                // p3: ends 10 December, before its day 60 (18 December).
                ij("p3", "2024-10-20", "2024-12-10", 52, 1500, "DR1", RISK_SICKNESS, "034", 30, 2, false),
                // p4: a work accident reaching day 60 in December: not on the list.
                ij("p4", "2024-10-05", "2024-12-31", 88, 2600, "DR1", RISK_WORK_ACCIDENT, "034", 30, 1, false));
        Dataset<Row> spells = SickLeaveSpells.build(periods, LocalDate.of(2024, 12, 31), 2);
        Dataset<Row> list = LongSickLeave.list(spells, YearMonth.of(2024, 12), List.of(60, 90));
        List<String> rows = list.collectAsList().stream().map(r -> r.getAs("dept") + " " + r.getAs("patient_id") + " day "
                + r.getAs(LongSickLeave.DAY) + " on " + r.getAs(LongSickLeave.DAY_DATE) + " (" + r.getAs("duration_days")
                + " days, running " + r.getAs("censored") + ", by " + r.getAs("initial_prescriber_id") + ")").toList();
        assertEquals(List.of("031 p2 day 90 on 2024-12-08 (113 days, running true, by DR1)",
                "034 p1 day 60 on 2024-12-03 (77 days, running false, by DR1)"), rows);
        List<Row> counts = LongSickLeave.counts(list).collectAsList();
        assertEquals(List.of("031 90 1", "034 60 1"), counts.stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList());
    }
}
