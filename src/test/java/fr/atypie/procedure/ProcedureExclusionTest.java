package fr.atypie.procedure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.atypie.Metric;
import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.PrescriberSegment;
import fr.atypie.atypie.Segment;
import fr.atypie.atypie.Targeting;
import fr.atypie.atypie.TargetingSettings.Action;
import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.procedure.Contact.Outcome;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcedureExclusionTest {
    static final YearMonth DEC = YearMonth.of(2024, 12);

    static PrescriberSegment onSickLeave(String id) {
        Metric m = new Metric("sick-leave", "Arrêts de travail", "ij-days", "ij-days", Metric.Kind.WEIGHT, "m",
                Optional.empty(), fr.atypie.indicators.IndicatorDefinition.StrataFilter.ALL, "a", true, true);
        MetricAssessment a = new MetricAssessment(id, DEC, "034", 1, "general-practice", "g", 1000, m, 0, 0, 0, 0, 50,
                2, 0, 0, 5, 5, 1, 2, 99, 100, 10000, MetricAssessment.Level.STRONG);
        return new PrescriberSegment(id, DEC, "034", 1, "general-practice", "g", 1000, Segment.STRONGLY_ATYPICAL, "r",
                10000, List.of(a));
    }

    static Contact c(String id, String theme, CampaignContact.Action a, String month, Outcome o) {
        return new Contact(id, theme, a, YearMonth.parse(month), o, "t");
    }

    @Test
    void aPrescriberWhoHadAnEcCanBeEscalatedButIsNotOfferedTheSameOrALowerAction() {
        ContactStore store = new ContactStore(List.of(
                c("EC1", "sick-leave", CampaignContact.Action.EC, "2024-06", Outcome.DONE),
                c("ABX", "antibiotics", CampaignContact.Action.EC, "2024-06", Outcome.DONE),
                c("OLD", "sick-leave", CampaignContact.Action.EC, "2023-11", Outcome.DONE),
                c("PRO", "sick-leave", CampaignContact.Action.EC, "2024-10", Outcome.PROPOSED)));
        Map<String, ProcedureState> states = Map.of("OBS|sick-leave", new ProcedureState("OBS", "sick-leave", YearMonth.of(2024, 11),
                ProcedureStep.OBSERVATION, Optional.of(YearMonth.of(2024, 9)), Optional.of(YearMonth.of(2024, 12)), true, true,
                1000.0, null, false, false, "r", ""));
        Targeting.Exclusion ex = ProcedureExclusion.of(store, CampaignHistory.empty(), states, 12);
        assertFalse(ex.excludes(onSickLeave("EC1"), Action.MSO_MSAP, DEC), "escalation after an EC");
        assertTrue(ex.excludes(onSickLeave("EC1"), Action.EC, DEC), "the same action within 12 months");
        assertTrue(ex.excludes(onSickLeave("EC1"), Action.DAM, DEC), "a lower action after an EC");
        assertFalse(ex.excludes(onSickLeave("ABX"), Action.EC, DEC), "an EC on antibiotics keeps no one off sick leave");
        assertFalse(ex.excludes(onSickLeave("OLD"), Action.EC, DEC), "13 months ago");
        assertFalse(ex.excludes(onSickLeave("PRO"), Action.EC, DEC), "a proposal is not a contact");
        assertTrue(ex.excludes(onSickLeave("OBS"), Action.MSO_MSAP, DEC), "under observation: the procedure runs");
        // The history's procedures still count (an MSAP running in December).
        CampaignHistory h = new CampaignHistory(List.of(new CampaignContact("c", "H", CampaignContact.Action.MSAP, "sick-leave",
                YearMonth.of(2024, 9), Optional.empty(), "")));
        assertTrue(ProcedureExclusion.of(ContactStore.empty(), h, Map.of(), 12).excludes(onSickLeave("H"), Action.EC, DEC));
    }
}
