package fr.atypie.atypie;

import java.time.YearMonth;

/**
 * One prescriber on one metric in one 12-month window, against peers.
 *
 * @param ratio         standardised ratio SR = O/E (1 = as peers on the same patients)
 * @param ratioLower    95 % interval of SR under the quasi-Poisson model of the measure: the exact
 *                      Poisson interval of O/φ_w over E/φ_w (φ_w the within-practice dispersion)
 * @param z             quasi-Poisson funnel z = (O − E)/√(φ_w·E)
 * @param zAdjusted     z after the peer group's between-prescriber over-dispersion correction
 * @param phi           between-prescriber over-dispersion φ (Spiegelhalter) of the quasi-Poisson z's
 * @param shrunkRatio   empirical-Bayes SR* on O/φ_w and E/φ_w: small practices pulled to the peer mean
 * @param percentile    rank of SR* among judged peers, 0 (lowest) to 100 (highest)
 * @param excessVolume  E·max(0, SR* − 1): what would not have been prescribed at the peer norm (shrunk)
 * @param excessAmount  excess volume × the prescriber's own mean amount per unit
 * @param level         where the metric puts the prescriber on the action ladder
 * @param funnel        the model behind the figures (dispersion, peers, p and q values, limits)
 */
public record MetricAssessment(String prescriber, YearMonth window, String dept, int specialty, String specialtyGroup,
                               String peerGroup, long basePatients, Metric metric, double observed,
                               double denominator, double expected, double amount, long numeratorPatients,
                               double ratio, double ratioLower, double ratioUpper, double z, double zAdjusted,
                               double phi, double shrunkRatio, double percentile, double excessVolume,
                               double excessAmount, Level level, Funnel funnel) {

    /** Level of one metric, from most to least concerning. */
    public enum Level {
        STRONG, ATYPICAL, GAIN_POTENTIAL, NEUTRAL, CONFORMING, NOT_JUDGED;

        public boolean judged() {
            return this != NOT_JUDGED;
        }
    }

    /**
     * What decided, for the funnels shown to teams.
     *
     * @param expectedPatients patients with a non-zero numerator expected at the peer rates (size guard)
     * @param dispersion       within-practice dispersion φ_w of the measure in the peer group (≥ 1; 1 = Poisson)
     * @param dispersionGroup  peers φ_w, φ and the prior were estimated on: the peer group, or the
     *                         specialty group (all activity bands pooled) when the group had too few
     * @param dispersionPeers  number of judged peers in that estimate
     * @param pValue           one-sided p-value of z adjusted (Student t with peers − 1 degrees of freedom when φ or τ² is used)
     * @param qValue           that p-value adjusted over the prescriber's metrics of the theme and window (Benjamini-Hochberg)
     * @param lower95          funnel limits of SR at this E, at the atypical level (lower95, upper95: 2.5 % each side) and
     *                         the strong one (lower998, upper998: 0.1 %): 1 ± t·√(φ_w·φ/E + τ²), φ and τ² as the mode
     *                         uses them, t the reference distribution's quantile at those tails
     */
    public record Funnel(double expectedPatients, double dispersion, String dispersionGroup, int dispersionPeers,
                         double pValue, double qValue, double lower95, double upper95, double lower998, double upper998) {
        public static final Funnel NONE = new Funnel(Double.NaN, Double.NaN, null, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Without the funnel detail (tests of the later stages). */
    public MetricAssessment(String prescriber, YearMonth window, String dept, int specialty, String specialtyGroup,
                            String peerGroup, long basePatients, Metric metric, double observed,
                            double denominator, double expected, double amount, long numeratorPatients,
                            double ratio, double ratioLower, double ratioUpper, double z, double zAdjusted,
                            double phi, double shrunkRatio, double percentile, double excessVolume,
                            double excessAmount, Level level) {
        this(prescriber, window, dept, specialty, specialtyGroup, peerGroup, basePatients, metric, observed, denominator,
                expected, amount, numeratorPatients, ratio, ratioLower, ratioUpper, z, zAdjusted, phi, shrunkRatio,
                percentile, excessVolume, excessAmount, level, Funnel.NONE);
    }

    /** The same assessment at its level, with its q (multiplicity control). */
    MetricAssessment withLevel(Level l, double q) {
        Funnel f = new Funnel(funnel.expectedPatients(), funnel.dispersion(), funnel.dispersionGroup(),
                funnel.dispersionPeers(), funnel.pValue(), q, funnel.lower95(), funnel.upper95(), funnel.lower998(),
                funnel.upper998());
        return new MetricAssessment(prescriber, window, dept, specialty, specialtyGroup, peerGroup, basePatients, metric,
                observed, denominator, expected, amount, numeratorPatients, ratio, ratioLower, ratioUpper, z, zAdjusted,
                phi, shrunkRatio, percentile, excessVolume, excessAmount, l, f);
    }
}
