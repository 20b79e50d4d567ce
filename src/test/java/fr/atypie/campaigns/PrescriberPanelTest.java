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
import org.junit.jupiter.api.Test;

/** The prescriber × month panel from hand-written events, with real Spark. */
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

        Map<String, PrescriberPanel.Series> panel = PrescriberPanel.build(consultations, periods, YearMonth.of(2024, 3),
                YearMonth.of(2024, 1), YearMonth.of(2024, 4), s, 2, java.util.Set.of(1, 22, 23));

        // P1's base (3 trailing months): p1 Dec–Feb, p2 Jan–Mar, p4 Mar–May; cohort = base of Feb = {p1, p2}.
        PrescriberPanel.Series p1 = panel.get("P1");
        assertEquals("general-practice", p1.specialtyGroup());
        assertEquals("034", p1.dept());
        assertEquals(2, p1.cohort());
        assertEquals(Map.of(
                YearMonth.of(2024, 1), new PrescriberPanel.Month(2, 0, 0, 0, 0, 0),
                YearMonth.of(2024, 2), new PrescriberPanel.Month(2, 1, 10, 400, 0, 0),
                YearMonth.of(2024, 3), new PrescriberPanel.Month(2, 0, 0, 0, 0, 0),
                // p1 (cohort) got 5 days from P2; p4's work accident is not sick leave.
                YearMonth.of(2024, 4), new PrescriberPanel.Month(1, 0, 0, 0, 5, 1)), p1.months());
        PrescriberPanel.Series p2 = panel.get("P2");
        assertEquals(0, p2.cohort());
        assertEquals(Map.of(YearMonth.of(2024, 4), new PrescriberPanel.Month(1, 1, 5, 200, 0, 0)), p2.months());
        assertEquals(2, panel.size());
        // The share measure over P1's months: (0 + 50 + 0 + 0) / 4 %.
        assertEquals(12.5, CampaignMeasure.IJ_PATIENT_SHARE.value(p1, List.copyOf(p1.months().keySet())), 1e-12);
    }
}
