package fr.atypie.campaigns;

import java.time.YearMonth;
import java.util.Optional;

/**
 * One line of the campaign history: a prescriber contacted (or put under a procedure) on a theme
 * from month {@code start}. See docs/analysts.md, "Campaign history", for the file format.
 *
 * @param action  DAM, EC, OBSERVATION, MSO or MSAP
 * @param end     last month of the action (procedures); empty for one-off contacts or still running
 * @param outcome free text such as "refus", "réalisé"
 */
public record CampaignContact(String campaign, String prescriber, Action action, String theme, YearMonth start,
                              Optional<YearMonth> end, String outcome) {

    public enum Action {
        DAM, EC, OBSERVATION, MSO, MSAP;

        public boolean procedure() {
            return this == OBSERVATION || this == MSO || this == MSAP;
        }
    }

    /** Whether the prescriber is under a procedure in {@code month} (started, not ended). */
    public boolean underProcedureIn(YearMonth month) {
        return action.procedure() && !start.isAfter(month) && end.map(e -> !e.isBefore(month)).orElse(true);
    }
}
