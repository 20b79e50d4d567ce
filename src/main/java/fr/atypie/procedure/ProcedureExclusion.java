package fr.atypie.procedure;

import fr.atypie.atypie.Targeting;
import fr.atypie.atypie.TargetingSettings;
import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignHistory;
import java.time.YearMonth;
import java.util.Map;

/**
 * Who is left out of an action list, by theme and action, so that the ladder can be climbed: a
 * prescriber is left out of action A on theme T (the theme of the main driver) when contacted on T
 * with A or a higher action (DAM < EC < observation/MSO/MSAP) in the last {@code exclusion-months},
 * or when under a procedure on T (the procedure's own steps then apply). A DAM visit does not keep
 * a prescriber off an EC, an EC does not keep one off the procedure, and a contact on another
 * theme keeps no one off.
 */
public final class ProcedureExclusion {
    private ProcedureExclusion() {}

    /**
     * @param contacts the contact store with the campaign history's lines
     * @param history  the campaign history (its procedures' start and end months)
     * @param states   the procedure states carried from last month, by "prescriber|theme"
     */
    public static Targeting.Exclusion of(ContactStore contacts, CampaignHistory history, Map<String, ProcedureState> states,
                                         int months) {
        return (s, action, month) -> {
            if (s.drivers().isEmpty()) {
                return history.excludes(s.prescriber(), month, months);
            }
            String theme = s.drivers().get(0).metric().theme();
            ProcedureState st = states.get(s.prescriber() + "|" + theme);
            if (st != null && st.underProcedure()) {
                return true;
            }
            if (history.contacts().stream().anyMatch(c -> c.prescriber().equals(s.prescriber()) && c.theme().equals(theme)
                    && c.underProcedureIn(month))) {
                return true;
            }
            int rank = rank(action);
            return contacts.contacts().stream().anyMatch(c -> c.prescriber().equals(s.prescriber()) && c.theme().equals(theme)
                    && c.outcome().happened() && rank(c.action()) >= rank && !c.month().isAfter(month)
                    && c.month().isAfter(month.minusMonths(months)));
        };
    }

    static int rank(TargetingSettings.Action a) {
        return switch (a) {
            case DAM -> 0;
            case EC -> 1;
            case MSO_MSAP -> 2;
        };
    }

    static int rank(CampaignContact.Action a) {
        return switch (a) {
            case DAM -> 0;
            case EC -> 1;
            case OBSERVATION, MSO, MSAP -> 2;
        };
    }
}
