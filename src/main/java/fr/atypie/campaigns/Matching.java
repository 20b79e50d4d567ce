package fr.atypie.campaigns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Nearest-neighbour matching of treated prescribers to controls within exact strata, on several
 * pre-period covariates standardised by their standard deviation, with replacement (a control may
 * serve several treated prescribers) and a caliper.
 */
public final class Matching {
    private Matching() {}

    /** A prescriber as matching sees it: stratum and its pre-period covariates (in a fixed order). */
    public record Unit(String id, String stratum, double[] covariates) {
        public Unit {
            covariates = covariates.clone();
        }

        /** Two covariates (tests, older callers). */
        public Unit(String id, String stratum, double level, double trend) {
            this(id, stratum, new double[] {level, trend});
        }

        public double covariate(int k) {
            return covariates[k];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unit u && u.id.equals(id) && u.stratum.equals(stratum) && Arrays.equals(u.covariates, covariates);
        }

        @Override
        public int hashCode() {
            return id.hashCode() * 31 + Arrays.hashCode(covariates);
        }

        @Override
        public String toString() {
            return "Unit[" + id + ", " + stratum + ", " + Arrays.toString(covariates) + "]";
        }
    }

    /** One treated–control pair and their standardised distance. */
    public record Pair(String treated, String control, double distance) {}

    /**
     * Up to {@code neighbours} controls per treated unit, nearest first (ties: lowest control id),
     * none farther than {@code caliper}. Distance = root mean square of the standardised
     * differences, √(Σ_k (Δx_k / sd_k)² / K): in standard deviations per covariate, so that a
     * caliper keeps its meaning whatever the number of covariates. The first covariate (the
     * outcome's own pre-period level, the one that predicts the after period best) must be within
     * the caliper by itself too: averaged over five covariates, a control 2 SD away on the level
     * would still pass, and the matched groups would differ on what the estimate compares. Treated
     * units are taken in id order, so the pairs do not depend on input order.
     */
    public static List<Pair> nearest(List<Unit> treated, List<Unit> pool, double[] sd, int neighbours, double caliper) {
        List<Unit> sortedTreated = new ArrayList<>(treated);
        sortedTreated.sort(Comparator.comparing(Unit::id));
        List<Pair> pairs = new ArrayList<>();
        for (Unit t : sortedTreated) {
            pool.stream()
                    .filter(c -> c.stratum().equals(t.stratum()) && !c.id().equals(t.id()))
                    .filter(c -> Math.abs(t.covariate(0) - c.covariate(0)) / sd[0] <= caliper)
                    .map(c -> new Pair(t.id(), c.id(), distance(t, c, sd)))
                    .filter(p -> p.distance() <= caliper)
                    .sorted(Comparator.comparingDouble(Pair::distance).thenComparing(Pair::control))
                    .limit(neighbours)
                    .forEach(pairs::add);
        }
        return pairs;
    }

    static double distance(Unit a, Unit b, double[] sd) {
        double s = 0;
        for (int k = 0; k < sd.length; k++) {
            double d = (a.covariate(k) - b.covariate(k)) / sd[k];
            s += d * d;
        }
        return Math.sqrt(s / sd.length);
    }

    /** Standard deviation of each covariate over the units ({@link #scale}). */
    public static double[] scales(List<Unit> units, int covariates) {
        double[] sd = new double[covariates];
        for (int k = 0; k < covariates; k++) {
            int kk = k;
            sd[k] = scale(units.stream().mapToDouble(u -> u.covariate(kk)).toArray());
        }
        return sd;
    }

    /** Sample standard deviation (n − 1); 1 when it is 0 or undefined, so a constant covariate does not divide by 0. */
    public static double scale(double[] x) {
        if (x.length < 2) {
            return 1;
        }
        double m = 0;
        for (double v : x) {
            m += v;
        }
        m /= x.length;
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        double sd = Math.sqrt(s / (x.length - 1));
        return sd > 0 ? sd : 1;
    }

    /** Least-squares slope of y against 0, 1, 2, …; NaN values are skipped (NaN with fewer than 2 points). */
    public static double slope(double[] y) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                n++;
                sx += i;
                sy += y[i];
                sxx += (double) i * i;
                sxy += i * y[i];
            }
        }
        double d = n * sxx - sx * sx;
        return n >= 2 && d > 0 ? (n * sxy - sx * sy) / d : Double.NaN;
    }
}
