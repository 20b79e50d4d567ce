package fr.atypie.atypie;

/**
 * One prescriber on a department's action list, ranked by expected avoidable amount (excess
 * amount × the action's expected effect). Entries beyond the team's capacity stay listed as a
 * waiting list ({@code withinCapacity} false) so the teams see who is next.
 *
 * @param effect       the action's expected effect (share of the excess avoided)
 * @param effectSource where that effect comes from (configured source, or the campaign it was measured on)
 */
public record TargetEntry(String dept, TargetingSettings.Action action, int rank, boolean withinCapacity,
                          PrescriberSegment prescriber, double avoidableAmount, double effect, String effectSource) {
}
