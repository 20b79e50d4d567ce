package fr.atypie.campaigns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Nearest-neighbour matching of treated prescribers to controls within exact strata, on the
 * standardised distance of the pre-period level and trend of the outcome, with replacement (a
 * control may serve several treated prescribers) and a caliper.
 */
public final class Matching {
    private Matching() {}

    /** A prescriber as matching sees it: stratum and the two pre-period covariates. */
    public record Unit(String id, String stratum, double level, double trend) {}

    /** One treated–control pair and their standardised distance. */
    public record Pair(String treated, String control, double distance) {}

    /**
     * Up to {@code neighbours} controls per treated unit, nearest first (ties: lowest control id),
     * none farther than {@code caliper}. Distance = √(((Δlevel)/sdLevel)² + ((Δtrend)/sdTrend)²).
     * Treated units are taken in id order, so the pairs do not depend on input order.
     */
    public static List<Pair> nearest(List<Unit> treated, List<Unit> pool, double sdLevel, double sdTrend,
                                     int neighbours, double caliper) {
        List<Unit> sortedTreated = new ArrayList<>(treated);
        sortedTreated.sort(Comparator.comparing(Unit::id));
        List<Pair> pairs = new ArrayList<>();
        for (Unit t : sortedTreated) {
            pool.stream()
                    .filter(c -> c.stratum().equals(t.stratum()) && !c.id().equals(t.id()))
                    .map(c -> new Pair(t.id(), c.id(), distance(t, c, sdLevel, sdTrend)))
                    .filter(p -> p.distance() <= caliper)
                    .sorted(Comparator.comparingDouble(Pair::distance).thenComparing(Pair::control))
                    .limit(neighbours)
                    .forEach(pairs::add);
        }
        return pairs;
    }

    static double distance(Unit a, Unit b, double sdLevel, double sdTrend) {
        double dl = (a.level() - b.level()) / sdLevel;
        double dt = (a.trend() - b.trend()) / sdTrend;
        return Math.sqrt(dl * dl + dt * dt);
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
