package fr.atypie.atypie;

import java.time.YearMonth;

/**
 * One prescriber on one metric in one 12-month window, against peers.
 *
 * @param ratio         standardised ratio SR = O/E (1 = as peers on the same patients)
 * @param ratioLower    exact Poisson 95 % interval of SR
 * @param z             funnel z = (O − E)/√E
 * @param zAdjusted     z after the peer group's over-dispersion correction
 * @param phi           over-dispersion φ of the peer group on this metric
 * @param shrunkRatio   empirical-Bayes SR* = (O + α)/(E + β): small practices pulled to the peer mean
 * @param percentile    rank of SR* among judged peers, 0 (lowest) to 100 (highest)
 * @param excessVolume  max(0, O − E): what would not have been prescribed at the peer norm
 * @param excessAmount  excess volume × the prescriber's own mean amount per unit
 * @param level         where the metric puts the prescriber on the action ladder
 */
public record MetricAssessment(String prescriber, YearMonth window, String dept, int specialty, String specialtyGroup,
                               String peerGroup, long basePatients, Metric metric, double observed,
                               double denominator, double expected, double amount, long numeratorPatients,
                               double ratio, double ratioLower, double ratioUpper, double z, double zAdjusted,
                               double phi, double shrunkRatio, double percentile, double excessVolume,
                               double excessAmount, Level level) {

    /** Level of one metric, from most to least concerning. */
    public enum Level {
        STRONG, ATYPICAL, GAIN_POTENTIAL, NEUTRAL, CONFORMING, NOT_JUDGED;

        public boolean judged() {
            return this != NOT_JUDGED;
        }
    }
}
