package fr.atypie.campaigns;

import static fr.atypie.testing.EventRows.consultation;
import static fr.atypie.testing.EventRows.ij;
import static fr.atypie.testing.EventRows.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The prescriber × month panel from hand-written events, with real Spark: detection's line attribution, blocks, case mix, cohorts. */
class PrescriberPanelTest {
    @Test
    void basesOwnSpellsAndOthersDaysForTheCohort() {
        CampaignSettings s = new CampaignSettings(16, 64, 3, 2, List.of(new CampaignSettings.Window("1-1", 1, 1)), 1, 1,
                false, 1, 0.5, 1, 1, CampaignEvaluationTest.settings(1).daysPerContact(), 12, 1);
        var consultations = table(EventTable.CONSULTATIONS,
                consultation("p1", "2023-12-10", "P1", 1, "034", 40, 1, false),
                consultation("p2", "2024-01-15", "P1", 1, "034", 40, 2, false),
                consultation("p3", "2024-01-20", "P1", 1, "034", 70, 2, false),   // retired: not in the base
                consultation("p4", "2024-03-05", "P1", 1, "011", 30, 1, false),
                consultation("p1", "2024-04-01", "P2", 23, "034", 40, 1, false));
        var periods = table(EventTable.SICK_LEAVE_PERIODS,
                ij("p2", "2024-02-03", "2024-02-12", 10, 400, "P1", EventColumns.RISK_SICKNESS, "034", 40, 2, false),
                ij("p1", "2024-04-01", "2024-04-05", 5, 200, "P2", EventColumns.RISK_SICKNESS, "034", 40, 1, false),
                ij("p4", "2024-04-10", "2024-04-20", 11, 500, "P1", EventColumns.RISK_WORK_ACCIDENT, "011", 30, 1, false),
                ij("p3", "2024-01-05", "2024-01-09", 5, 100, "P1", EventColumns.RISK_SICKNESS, "034", 70, 2, false));

        Map<String, PrescriberPanel.Series> panel = PrescriberPanel.build(consultations, periods, Set.of(YearMonth.of(2024, 3)),
                YearMonth.of(2024, 1), YearMonth.of(2024, 4), s, 2, Set.of(1, 22, 23));

        // P1's base (3 trailing months): p1 Dec–Feb, p2 Jan–Mar, p4 Mar–May; cohort of anchor 2024-03 = base of Feb = {p1, p2}.
        // Case mix: regional monthly rate of patients paid IJ per stratum (decade × sex × ALD) over the base patient-months:
        // 40s men (p1: P1 Jan, Feb; P2 Apr) 1 paid in 3 (Apr); 40s women (p2: Jan–Mar) 1 in 3 (Feb); 30s men (p4) 0 in 2.
        // p3's IJ from P1 in January does not count for P1: p3 (70) is not in its working-age base.
        PrescriberPanel.Series p1 = panel.get("P1");
        assertEquals("general-practice", p1.specialtyGroup());
        assertEquals("034", p1.dept());
        assertEquals(withRoundedExpected(Map.of(
                YearMonth.of(2024, 1), new PrescriberPanel.Month(2, 0, 0, 0, 0, 2.0 / 3, Map.of(1, 0L, 2, 0L)),
                YearMonth.of(2024, 2), new PrescriberPanel.Month(2, 1, 10, 400, 1, 2.0 / 3, Map.of(1, 1L, 2, 1L)),
                // Over Feb–Mar, p2 (still in the base in March) was paid on P1's prescription.
                YearMonth.of(2024, 3), new PrescriberPanel.Month(2, 0, 0, 0, 0, 1.0 / 3, Map.of(1, 0L, 2, 1L)),
                // p4's work accident is not sick leave.
                YearMonth.of(2024, 4), new PrescriberPanel.Month(1, 0, 0, 0, 0, 0.0, Map.of(1, 0L, 2, 0L)))),
                withRoundedExpected(p1.months()));
        // p1 (cohort) got 5 days from P2 in April.
        assertEquals(2, p1.cohort(YearMonth.of(2024, 3)).size());
        assertEquals(Map.of(YearMonth.of(2024, 4), new PrescriberPanel.Other(5, 1)), p1.cohort(YearMonth.of(2024, 3)).months());
        PrescriberPanel.Series p2 = panel.get("P2");
        assertEquals(0, p2.cohort(YearMonth.of(2024, 3)).size());
        assertEquals(withRoundedExpected(Map.of(YearMonth.of(2024, 4),
                        new PrescriberPanel.Month(1, 1, 5, 200, 1, 1.0 / 3, Map.of(1, 1L, 2, 1L)))),
                withRoundedExpected(p2.months()));
        assertEquals(2, panel.size());
        // CNAM share over blocks of 2 months in Jan–Apr: blocks ending Apr (0 / 1) and Feb (1 / 2): (0 + 50) / 2 %.
        List<YearMonth> all = List.copyOf(p1.months().keySet());
        assertEquals(25.0, CampaignMeasure.IJ_PATIENT_SHARE.value(p1, all, 2, YearMonth.of(2024, 3)), 1e-12);
        // New spells, monthly: (0 + 50 + 0 + 0) / 4 %.
        assertEquals(12.5, CampaignMeasure.NEW_SPELL_SHARE.value(p1, all, 2, YearMonth.of(2024, 3)), 1e-12);
        // Others' days to the 2-patient cohort over 4 months: 5 / 8.
        assertEquals(0.625, CampaignMeasure.OTHER_IJ_DAYS_PER_PATIENT.value(p1, all, 2, YearMonth.of(2024, 3)), 1e-12);
    }

    /** Expected counts to 12 decimals (sums of thirds). */
    static Map<YearMonth, PrescriberPanel.Month> withRoundedExpected(Map<YearMonth, PrescriberPanel.Month> months) {
        Map<YearMonth, PrescriberPanel.Month> out = new java.util.TreeMap<>();
        months.forEach((m, x) -> out.put(m, new PrescriberPanel.Month(x.base(), x.ijPatients(), x.ijDays(), x.ijAmount(),
                x.newSpells(), Math.round(x.expected() * 1e12) / 1e12, x.paidOver())));
        return out;
    }
}
