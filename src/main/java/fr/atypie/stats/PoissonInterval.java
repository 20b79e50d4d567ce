package fr.atypie.stats;

import org.apache.commons.math3.distribution.GammaDistribution;

/**
 * Exact (Garwood) interval for the mean of a Poisson count O: lower χ²(α/2; 2O)/2,
 * upper χ²(1 − α/2; 2O + 2)/2, lower = 0 when O = 0. Divided by the expected count E it is the
 * interval of the standardised ratio O/E (indirect standardisation).
 *
 * <p>χ²(p; 2k)/2 is the p-quantile of a Gamma(shape k, scale 1), which is what is computed (it
 * also gives a sensible answer for a non-integer O, e.g. a netted count). commons-math3 comes
 * with Spark (provided scope).
 *
 * @param observed the count O (≥ 0)
 * @param lower    lower bound for the Poisson mean
 * @param upper    upper bound for the Poisson mean
 * @param level    coverage, e.g. 0.95
 */
public record PoissonInterval(double observed, double lower, double upper, double level) {

    /** Absolute accuracy of the quantile solver; far below any figure we publish. */
    private static final double ACCURACY = 1e-12;

    /** The exact interval of a Poisson mean given the observed count, at coverage {@code level}. */
    public static PoissonInterval exact(double observed, double level) {
        if (!(observed >= 0) || Double.isInfinite(observed)) {
            throw new IllegalArgumentException("observed count must be a finite number ≥ 0, got " + observed);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("coverage level must be in (0, 1), got " + level);
        }
        double tail = (1 - level) / 2;
        double lower = observed == 0 ? 0.0 : gammaQuantile(observed, tail);
        double upper = gammaQuantile(observed + 1, 1 - tail);
        return new PoissonInterval(observed, lower, upper, level);
    }

    /** Interval of the ratio O/E, with E the expected count under the reference rates. */
    public Ratio ratio(double expected) {
        if (!(expected > 0) || Double.isInfinite(expected)) {
            throw new IllegalArgumentException("expected count must be > 0 and finite, got " + expected);
        }
        return new Ratio(observed / expected, lower / expected, upper / expected, level);
    }

    /** A standardised ratio O/E with its exact interval. */
    public record Ratio(double ratio, double lower, double upper, double level) {}

    /** Shortcut: O/E with its exact interval. */
    public static Ratio ratio(double observed, double expected, double level) {
        return exact(observed, level).ratio(expected);
    }

    /** Lower bound alone (for a Spark UDF: one quantile per call). */
    public static double lowerLimit(double observed, double level) {
        return observed == 0 ? 0.0 : gammaQuantile(observed, (1 - level) / 2);
    }

    /** Upper bound alone. */
    public static double upperLimit(double observed, double level) {
        return gammaQuantile(observed + 1, 1 - (1 - level) / 2);
    }

    /**
     * Exact one-sided upper tail of a Poisson count, P(X ≥ O) for X ~ Poisson(E): the regularised
     * lower incomplete gamma P(O, E) (the same Gamma duality as the interval, so the continuation to a
     * non-integer O is the one the interval uses); 1 when O ≤ 0. P(X ≥ O) ≤ α exactly when the
     * one-sided lower Garwood bound of O at α is at least E.
     */
    public static double upperTail(double observed, double expected) {
        if (!(expected > 0) || Double.isInfinite(expected)) {
            throw new IllegalArgumentException("expected count must be > 0 and finite, got " + expected);
        }
        if (!(observed >= 0) || Double.isInfinite(observed)) {
            throw new IllegalArgumentException("observed count must be a finite number ≥ 0, got " + observed);
        }
        return observed == 0 ? 1.0 : org.apache.commons.math3.special.Gamma.regularizedGammaP(observed, expected);
    }

    static double gammaQuantile(double shape, double p) {
        // No random generator: we only need the quantile function.
        return new GammaDistribution(null, shape, 1.0, ACCURACY).inverseCumulativeProbability(p);
    }
}
