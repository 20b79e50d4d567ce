package fr.atypie.stats;

import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * Empirical-Bayes shrinkage of standardised ratios, Poisson-Gamma model: O_i ~ Poisson(θ_i·E_i),
 * θ_i ~ Gamma(shape α, rate β), fitted across the peers by moments.
 *
 * <p>Moments, with SR_i = O_i/E_i and every average weighted by E_i (big practices count more):
 * <ul>
 *   <li>m = Σ O / Σ E (the E-weighted mean of SR);</li>
 *   <li>observed variance s² = Σ E_i (SR_i − m)² / Σ E;</li>
 *   <li>mean Poisson noise = E-weighted mean of m/E_i = N·m / Σ E;</li>
 *   <li>between-unit variance v = s² − N·m/ΣE; α = m²/v, β = m/v.</li>
 * </ul>
 * Posterior: θ_i | O_i ~ Gamma(O_i + α, E_i + β), mean SR*_i = (O_i + α)/(E_i + β). When v ≤ 0
 * the peers differ no more than Poisson noise explains: the prior is a point mass at m and every
 * SR* = m, with a zero-width interval ({@link #degenerate()}).
 *
 * @param units number of peers N
 * @param mean  m
 * @param variance v (may be ≤ 0: degenerate)
 * @param alpha α (+∞ when degenerate)
 * @param beta  β (+∞ when degenerate)
 */
public record EmpiricalBayes(int units, double mean, double variance, double alpha, double beta) {

    private static final double ACCURACY = 1e-12;

    /** Fits the prior from the peers' observed and expected counts. */
    public static EmpiricalBayes fit(double[] observed, double[] expected) {
        if (observed.length != expected.length) {
            throw new IllegalArgumentException("observed and expected have different lengths: "
                    + observed.length + " vs " + expected.length);
        }
        int n = observed.length;
        if (n == 0) {
            throw new IllegalArgumentException("no units to fit the prior on");
        }
        double so = 0;
        double se = 0;
        for (int i = 0; i < n; i++) {
            if (!(observed[i] >= 0) || Double.isInfinite(observed[i])) {
                throw new IllegalArgumentException("observed count must be ≥ 0 and finite, got " + observed[i]);
            }
            if (!(expected[i] > 0) || Double.isInfinite(expected[i])) {
                throw new IllegalArgumentException("expected count must be > 0 and finite, got " + expected[i]);
            }
            so += observed[i];
            se += expected[i];
        }
        double m = so / se;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = observed[i] / expected[i] - m;
            ss += expected[i] * d * d;
        }
        double v = ss / se - n * m / se;
        if (v > 0 && m > 0) {
            return new EmpiricalBayes(n, m, v, m * m / v, m / v);
        }
        return new EmpiricalBayes(n, m, v, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** No between-unit variance (v ≤ 0, or no events at all): every SR* equals m. */
    public boolean degenerate() {
        return Double.isInfinite(alpha);
    }

    /** Posterior mean SR* = (O + α)/(E + β); m when degenerate. */
    public double shrunk(double observed, double expected) {
        return degenerate() ? mean : (observed + alpha) / (expected + beta);
    }

    /** Equal-tailed posterior interval of θ from Gamma(O + α, rate E + β); [m, m] when degenerate. */
    public double[] interval(double observed, double expected, double level) {
        if (degenerate()) {
            return new double[] {mean, mean};
        }
        GammaDistribution posterior = new GammaDistribution(null, observed + alpha, 1 / (expected + beta), ACCURACY);
        double tail = (1 - level) / 2;
        return new double[] {posterior.inverseCumulativeProbability(tail),
                posterior.inverseCumulativeProbability(1 - tail)};
    }

    /** Weight of the unit's own ratio in SR* (E/(E + β)): 0 = all prior, 1 = all data. */
    public double credibility(double expected) {
        return degenerate() ? 0.0 : expected / (expected + beta);
    }
}
