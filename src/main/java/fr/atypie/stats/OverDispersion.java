package fr.atypie.stats;

import java.util.Arrays;
import java.util.Locale;

/**
 * Over-dispersion of a set of funnel z-scores (Spiegelhalter, 2005), estimated once per peer group.
 *
 * <p><b>φ</b>, by one of three estimators ({@link Estimator}):
 * <ul>
 *   <li>truncated (the default): the variance of the units inside the 95 % funnel of the units
 *       themselves, corrected for the truncation and iterated ({@link #phiTruncated}). Units far
 *       above (or below) the others leave the set after the first step, up to about a fifth of the
 *       group on one side, so a group's atypical units do not widen the funnel that is to find them;</li>
 *   <li>winsorised (Spiegelhalter): mean of the winsorised z², each z below the 10th percentile of
 *       the z's replaced by that percentile, each above the 90th by that one (share configurable),
 *       the percentiles being type-7 sample quantiles ({@link Quantiles}). Winsorising keeps a few
 *       truly atypical units from inflating φ and hiding themselves, as long as they are fewer than
 *       the share winsorised at each end;</li>
 *   <li>interquartile: (IQR of the z's / 1.349)², the squared scale of the middle half of the units
 *       (1.349 = the IQR of a standard normal): up to a quarter of the units at either end, however
 *       far out, do not move it. Its price is precision: about 37 % of the efficiency of the mean of z².</li>
 * </ul>
 *
 * <p>Two corrections, both computed and reported; {@link #mode()} says which one adjusts z. Neither
 * applies unless φ &gt; 1 (no over-dispersion detected: z is left as it is).
 * <ul>
 *   <li>multiplicative: z / √φ;</li>
 *   <li>additive (random effects): τ² = max(0, (Nφ − (N − 1)) / (Σw − Σw²/Σw)) with w = 1/s², and
 *       z = (y − y0) / √(s² + τ²). For an O/E ratio y = O/E, y0 = 1, s² = 1/E.</li>
 * </ul>
 *
 * @param units         N, the number of z-scores
 * @param winsorisation share winsorised at each end (0.10)
 * @param phi           φ
 * @param tau2          τ² from the formula above (NaN when no variances were given)
 * @param mode          which correction {@link #adjust} applies
 */
public record OverDispersion(int units, double winsorisation, double phi, double tau2, Mode mode) {

    /** How φ is estimated from the z's. */
    public enum Estimator {
        WINSORISED, INTERQUARTILE, TRUNCATED;

        /** Config spelling: "winsorised", "interquartile" or "truncated". */
        public static Estimator parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** IQR of the standard normal, 2·Φ⁻¹(0.75). */
    static final double NORMAL_IQR = 1.3489795003921634;

    /** Half-width, in estimated standard deviations, of the set the truncated estimate keeps: the 95 % funnel. */
    public static final double TRUNCATION_Z = 1.96;

    /**
     * Variance of a standard normal truncated to [−c, c], c = {@link #TRUNCATION_Z}:
     * κ = 1 − 2c·ϕ(c)/(2Φ(c) − 1) = 0.758760… The variance of the units kept is κ·σ²: divided by κ it is σ².
     */
    public static final double TRUNCATED_VARIANCE = truncatedVariance(TRUNCATION_Z);

    /** Iterations of the truncated estimate before it stops on its last value (it converges in a few). */
    static final int MAX_ITERATIONS = 100;

    /** How z is corrected when φ &gt; 1. */
    public enum Mode {
        MULTIPLICATIVE, ADDITIVE;

        /** Config spelling: "multiplicative" or "additive". */
        public static Mode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Estimates φ and τ² from the z-scores and the within-unit variances s² of the same units
     * (s² may be null for the multiplicative mode only).
     */
    public static OverDispersion estimate(double[] z, double[] s2, double winsorisation, Mode mode) {
        return estimate(z, s2, Estimator.WINSORISED, winsorisation, mode);
    }

    /** As {@link #estimate(double[], double[], double, Mode)}, φ by the given estimator. */
    public static OverDispersion estimate(double[] z, double[] s2, Estimator estimator, double winsorisation, Mode mode) {
        double phi = switch (estimator) {
            case INTERQUARTILE -> phiInterquartile(z);
            case TRUNCATED -> phiTruncated(z);
            case WINSORISED -> phi(z, winsorisation);
        };
        double tau2 = Double.NaN;
        if (s2 != null) {
            if (s2.length != z.length) {
                throw new IllegalArgumentException("z and s² have different lengths: " + z.length + " vs " + s2.length);
            }
            tau2 = tau2(phi, s2);
        } else if (mode == Mode.ADDITIVE) {
            throw new IllegalArgumentException("the additive correction needs the within-unit variances s²");
        }
        return new OverDispersion(z.length, winsorisation, phi, tau2, mode);
    }

    /** φ = mean of z² after winsorising a share {@code winsorisation} at each end. */
    public static double phi(double[] z, double winsorisation) {
        if (z.length == 0) {
            throw new IllegalArgumentException("no z-scores to estimate over-dispersion from");
        }
        if (!(winsorisation >= 0 && winsorisation < 0.5)) {
            throw new IllegalArgumentException("winsorisation share must be in [0, 0.5), got " + winsorisation);
        }
        double[] sorted = z.clone();
        Arrays.sort(sorted);
        if (!Double.isFinite(sorted[0]) || !Double.isFinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("z-scores must be finite");
        }
        double lo = Quantiles.ofSorted(sorted, winsorisation);
        double hi = Quantiles.ofSorted(sorted, 1 - winsorisation);
        double sum = 0;
        for (double v : z) {
            double w = Math.min(hi, Math.max(lo, v));
            sum += w * w;
        }
        return sum / z.length;
    }

    /** The z's sorted; none, or one not finite, is an error. */
    private static double[] sortedFinite(double[] z) {
        if (z.length == 0) {
            throw new IllegalArgumentException("no z-scores to estimate over-dispersion from");
        }
        double[] sorted = z.clone();
        Arrays.sort(sorted);
        if (!Double.isFinite(sorted[0]) || !Double.isFinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("z-scores must be finite");
        }
        return sorted;
    }

    /** φ = (IQR(z) / 1.349)², type-7 quartiles. */
    public static double phiInterquartile(double[] z) {
        double[] sorted = sortedFinite(z);
        double iqr = (Quantiles.ofSorted(sorted, 0.75) - Quantiles.ofSorted(sorted, 0.25)) / NORMAL_IQR;
        return iqr * iqr;
    }

    /**
     * φ from the units inside their own 95 % funnel, corrected for the truncation (sigma clipping
     * with a consistency factor). Start: centre m = the median, scale s = IQR/1.349. Then, until the
     * set kept no longer changes (at most {@link #MAX_ITERATIONS} steps): keep the z with
     * |z − m| ≤ 1.96·s; m = their mean, s² = their variance (divisor k − 1, k kept) / κ, κ =
     * {@link #TRUNCATED_VARIANCE} the variance of a standard normal truncated at ±1.96. φ = s².
     *
     * <p>Why: the interquartile range ignores the values of the top quarter but not their number:
     * 13.5 % of the units far above the others move both quartiles up the normal part and inflate φ
     * by about 1.5. Here a unit far out (beyond 1.96 times the starting scale) leaves the set after
     * the first step, and the estimate is that of the others alone, up to about a fifth of the group
     * on one side (beyond, the starting scale itself is too wide); without atypical units it estimates
     * σ² (κ makes the truncated variance consistent for the normal). Units inside the funnel, atypical
     * or not, stay: a moderate excess within chance for the practice's size cannot be told apart.
     * κ is the normal's: z with lighter tails than the normal are over-corrected, by up to 1/κ = 1.32.
     * With fewer than 2 units kept, the start value (the interquartile estimate) is returned.
     */
    public static double phiTruncated(double[] z) {
        double[] sorted = sortedFinite(z);
        double centre = Quantiles.ofSorted(sorted, 0.5);
        double scale = (Quantiles.ofSorted(sorted, 0.75) - Quantiles.ofSorted(sorted, 0.25)) / NORMAL_IQR;
        int from = -1;
        int to = -1;
        for (int step = 0; step < MAX_ITERATIONS; step++) {
            // The kept units are a run of the sorted z's: [lo, hi).
            int lo = 0;
            while (lo < sorted.length && sorted[lo] < centre - TRUNCATION_Z * scale) {
                lo++;
            }
            int hi = lo;
            while (hi < sorted.length && sorted[hi] <= centre + TRUNCATION_Z * scale) {
                hi++;
            }
            if (lo == from && hi == to) {
                break;
            }
            from = lo;
            to = hi;
            int k = hi - lo;
            if (k < 2) {
                break;
            }
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                sum += sorted[i];
            }
            double mean = sum / k;
            double ss = 0;
            for (int i = lo; i < hi; i++) {
                ss += (sorted[i] - mean) * (sorted[i] - mean);
            }
            centre = mean;
            scale = Math.sqrt(ss / (k - 1) / TRUNCATED_VARIANCE);
        }
        return scale * scale;
    }

    /** Variance of a standard normal truncated to [−c, c]: 1 − 2c·ϕ(c)/(2Φ(c) − 1). */
    static double truncatedVariance(double c) {
        org.apache.commons.math3.distribution.NormalDistribution n = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
        return 1 - 2 * c * n.density(c) / (2 * n.cumulativeProbability(c) - 1);
    }

    /** τ² = max(0, (Nφ − (N − 1)) / (Σw − Σw²/Σw)), w = 1/s². */
    public static double tau2(double phi, double[] s2) {
        double sw = 0;
        double sw2 = 0;
        for (double v : s2) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("within-unit variances s² must be > 0 and finite, got " + v);
            }
            double w = 1 / v;
            sw += w;
            sw2 += w * w;
        }
        int n = s2.length;
        double denominator = sw - sw2 / sw;
        if (!(denominator > 0)) {
            return 0.0; // a single unit (or identical weights with N = 1): no between-unit spread to estimate
        }
        return Math.max(0.0, (n * phi - (n - 1)) / denominator);
    }

    /** Whether over-dispersion was detected (φ &gt; 1); only then is z corrected. */
    public boolean overDispersed() {
        return phi > 1;
    }

    /** The multiplicative correction: z / √φ when φ &gt; 1, else z. */
    public double multiplicative(double z) {
        return overDispersed() ? z / Math.sqrt(phi) : z;
    }

    /** The additive correction: (y − y0) / √(s² + τ²) when φ &gt; 1, else (y − y0) / s. */
    public double additive(double y, double y0, double s2) {
        return (y - y0) / Math.sqrt(s2 + tau2Used());
    }

    /** τ² actually added to the variances: τ² under the additive mode with φ &gt; 1, else 0. */
    public double tau2Used() {
        return mode == Mode.ADDITIVE && overDispersed() ? tau2 : 0.0;
    }

    /** φ actually dividing the variances: φ under the multiplicative mode with φ &gt; 1, else 1. */
    public double phiUsed() {
        return mode == Mode.MULTIPLICATIVE && overDispersed() ? phi : 1.0;
    }

    /** The z of the configured mode, from the unit's raw z, value y, target y0 and variance s². */
    public double adjust(double z, double y, double y0, double s2) {
        return mode == Mode.MULTIPLICATIVE ? multiplicative(z) : additive(y, y0, s2);
    }
}
