package fr.atypie.stats;

import java.util.ArrayList;
import org.apache.commons.math3.special.Gamma;
import java.util.List;

/**
 * Control limits of a funnel plot (Spiegelhalter, 2005) at one unit size, for one z level
 * (1.96 for 95 %, 3.09 for 99.8 %). Normal approximation, as in the methods note:
 * <ul>
 *   <li>Poisson ratio O/E at expected count E: target 1, limits 1 ± z·√(1/E);</li>
 *   <li>proportion at denominator n with peer proportion p0: p0 ± z·√(p0(1 − p0)/n).</li>
 * </ul>
 * Over-dispersion widens them: multiplicative by √φ, additive by adding τ² to the variance.
 * Lower limits are floored at 0 (and proportion limits capped at 1): a ratio cannot be negative.
 *
 * @param size   x-axis of the funnel: E for a ratio, n for a proportion
 * @param target the in-control value (1 for a ratio, p0 for a proportion)
 * @param z      the z level of these limits
 * @param lower  lower control limit
 * @param upper  upper control limit
 */
public record FunnelLimits(double size, double target, double z, double lower, double upper) {

    /** Limits of an O/E ratio at expected count E, no over-dispersion. */
    public static FunnelLimits poissonRatio(double expected, double z) {
        return poissonRatio(expected, z, 1.0, 0.0);
    }

    /**
     * Limits of an O/E ratio at expected count E, widened for over-dispersion: standard error
     * √(φ/E + τ²). Pass φ = 1, τ² = 0 for none; φ > 1 for the multiplicative model, τ² > 0 for
     * the additive one.
     */
    public static FunnelLimits poissonRatio(double expected, double z, double phi, double tau2) {
        requirePositive(expected, "expected count E");
        double se = Math.sqrt(phi / expected + tau2);
        return new FunnelLimits(expected, 1.0, z, Math.max(0.0, 1.0 - z * se), 1.0 + z * se);
    }

    /**
     * Exact limits of a Poisson ratio O/E at expected count E, for a count with no over-dispersion,
     * each with the one-sided tail α = 1 − Φ(z) of the normal level z (2.5 % for 1.96):
     * <ul>
     *   <li>upper: O_u / E, O_u solving P(X ≥ O_u) = α, i.e. the regularised gamma P(O_u, E) = α
     *       ({@link PoissonInterval#upperTail}): a count is beyond it exactly when its exact p is below α;</li>
     *   <li>lower: O_l / E, O_l solving P(X ≤ O_l) = α, i.e. Q(O_l + 1, E) = α; 0 when even O = 0 is not
     *       that unlikely (e^−E ≥ α).</li>
     * </ul>
     * The counts are those of the Gamma continuation of the Poisson distribution (Garwood's), solved by
     * bisection to 1e-10. At small E they are wider above and narrower below than 1 ± z/√E.
     */
    public static FunnelLimits exactPoissonRatio(double expected, double z) {
        requirePositive(expected, "expected count E");
        double tail = 1 - STANDARD_NORMAL.cumulativeProbability(z);
        // Upper: P(s, E) decreases in s from 1 (s → 0) to 0.
        double hi = expected + 1;
        while (Gamma.regularizedGammaP(hi, expected) > tail) {
            hi *= 2;
        }
        double upper = bisect(s -> Gamma.regularizedGammaP(s, expected) - tail, 0, hi);
        // Lower: Q(s + 1, E) increases in s from e^−E (s = 0).
        double lower = Math.exp(-expected) >= tail ? 0.0
                : bisect(s -> tail - Gamma.regularizedGammaQ(s + 1, expected), 0, expected);
        return new FunnelLimits(expected, 1.0, z, lower / expected, upper / expected);
    }

    private static final org.apache.commons.math3.distribution.NormalDistribution STANDARD_NORMAL =
            new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);

    /** Root of a function decreasing from positive at {@code lo} to negative at {@code hi}, to 1e-10 (relative above 1). */
    private static double bisect(java.util.function.DoubleUnaryOperator f, double lo, double hi) {
        for (int i = 0; i < 200 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
            double mid = (lo + hi) / 2;
            if (f.applyAsDouble(mid) > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Limits of a proportion at denominator n around the peer proportion p0, no over-dispersion. */
    public static FunnelLimits proportion(double p0, double n, double z) {
        return proportion(p0, n, z, 1.0, 0.0);
    }

    /** Limits of a proportion, standard error √(φ·p0(1 − p0)/n + τ²). */
    public static FunnelLimits proportion(double p0, double n, double z, double phi, double tau2) {
        requirePositive(n, "denominator n");
        if (!(p0 >= 0 && p0 <= 1)) {
            throw new IllegalArgumentException("peer proportion p0 must be in [0, 1], got " + p0);
        }
        double se = Math.sqrt(phi * p0 * (1 - p0) / n + tau2);
        return new FunnelLimits(n, p0, z, Math.max(0.0, p0 - z * se), Math.min(1.0, p0 + z * se));
    }

    /** Whether a value lies above the upper limit. */
    public boolean above(double value) {
        return value > upper;
    }

    /** Whether a value lies below the lower limit. */
    public boolean below(double value) {
        return value < lower;
    }

    /**
     * Points of a Poisson funnel curve from E = {@code from} to {@code to}, spaced evenly on a log
     * scale (the usual x-axis), for drawing.
     */
    public static List<FunnelLimits> poissonCurve(double from, double to, int points, double z,
                                                  double phi, double tau2) {
        List<FunnelLimits> out = new ArrayList<>(points);
        for (double e : logSpaced(from, to, points)) {
            out.add(poissonRatio(e, z, phi, tau2));
        }
        return out;
    }

    /** Points of a proportion funnel curve from n = {@code from} to {@code to}, log-spaced. */
    public static List<FunnelLimits> proportionCurve(double p0, double from, double to, int points, double z,
                                                     double phi, double tau2) {
        List<FunnelLimits> out = new ArrayList<>(points);
        for (double n : logSpaced(from, to, points)) {
            out.add(proportion(p0, n, z, phi, tau2));
        }
        return out;
    }

    private static double[] logSpaced(double from, double to, int points) {
        requirePositive(from, "curve start");
        if (!(to > from) || points < 2) {
            throw new IllegalArgumentException("a curve needs from < to and at least 2 points");
        }
        double[] x = new double[points];
        double step = Math.log(to / from) / (points - 1);
        for (int i = 0; i < points; i++) {
            x[i] = i == points - 1 ? to : from * Math.exp(step * i);
        }
        return x;
    }

    private static void requirePositive(double v, String what) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be > 0 and finite, got " + v);
        }
    }
}
