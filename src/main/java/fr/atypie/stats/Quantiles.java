package fr.atypie.stats;

import java.util.Arrays;

/**
 * Sample quantiles with one fixed definition used everywhere in the job (winsorisation,
 * bootstrap intervals), so that a figure can be recomputed by hand or in a spreadsheet:
 * Hyndman-Fan type 7, the default of R and of Excel's PERCENTILE.INC. For sorted values
 * x[0] ≤ … ≤ x[N−1] and a probability p, h = (N − 1)·p and
 * Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). Spark SQL's exact {@code percentile} uses the same rule.
 */
public final class Quantiles {
    private Quantiles() {}

    /** Type-7 quantile of values already sorted ascending. */
    public static double ofSorted(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of an empty sample");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability " + p + " is outside [0, 1]");
        }
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /** Type-7 quantile of values in any order (the array is not modified). */
    public static double of(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        return ofSorted(s, p);
    }
}
