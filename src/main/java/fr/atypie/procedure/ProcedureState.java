package fr.atypie.procedure;

import java.time.YearMonth;
import java.util.Optional;

/**
 * A prescriber's step on one theme's procedure, as of {@code month}, carried to the next month.
 *
 * @param since      first month of the step (empty for NONE)
 * @param until      last month of a timed step (observation, MSO, MSAP); a timed step always has one
 * @param persisted  the legal criterion has been met {@code persistence-after-months} or more after the step began
 * @param objective  MSO: the 12-month IJ days the prescriber must not exceed at the end
 * @param changed    whether the step changed this month
 * @param improved   closed this month because the prescriber improved after a contact (positive feedback)
 * @param reason     why the prescriber is at this step (or why a recorded contact did not count as one)
 */
public record ProcedureState(String prescriber, String theme, YearMonth month, ProcedureStep step,
                             Optional<YearMonth> since, Optional<YearMonth> until, boolean criterion, boolean persisted,
                             Double ijDays, Double objective, boolean changed, boolean improved, String reason,
                             String nextStep) {

    public static ProcedureState none(String prescriber, String theme, YearMonth month) {
        return new ProcedureState(prescriber, theme, month, ProcedureStep.NONE, Optional.empty(), Optional.empty(),
                false, false, null, null, false, false, "Aucune procédure en cours.", "");
    }

    /** Whether the prescriber is inside a procedure proper (observation, MSO, MSAP, penalty). */
    public boolean underProcedure() {
        return step.compareTo(ProcedureStep.OBSERVATION) >= 0;
    }
}
