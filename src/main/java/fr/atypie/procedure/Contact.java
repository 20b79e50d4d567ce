package fr.atypie.procedure;

import fr.atypie.campaigns.CampaignContact.Action;
import java.time.YearMonth;

/**
 * One line of the contact store: an action on a prescriber and theme in a month, with its
 * outcome. {@link Outcome#PROPOSED} lines come from the published action lists and are not
 * contacts yet; the teams replace the outcome once the contact is made (or refused).
 *
 * @param source where the line comes from ("ciblage 2024-06", "historique", or the team's note)
 */
public record Contact(String prescriber, String theme, Action action, YearMonth month, Outcome outcome, String source) {

    public enum Outcome {
        /** On a published list, not yet made. */
        PROPOSED,
        DONE,
        REFUSED,
        /** MSO: the objective was met at the end of the MSO. */
        OBJECTIVE_MET,
        OBJECTIVE_NOT_MET;

        /** Whether the line records something that happened (not a mere proposal). */
        public boolean happened() {
            return this != PROPOSED;
        }
    }
}
