package fr.atypie.campaigns;

import fr.atypie.stats.Bootstrap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Difference in differences of a campaign: Δ = (Ȳ_T,after − Ȳ_T,before) − (Ȳ_C,after − Ȳ_C,before),
 * T the treated (contacted) prescribers, C their matched controls. From published group means, or
 * from one outcome pair per prescriber with a bootstrap interval and the pre-period balance as a
 * standardised mean difference. The bootstrap resamples matched sets (a treated prescriber with
 * its controls), fixed seed: controls are matched with replacement, so a control reused by two
 * treated is not an independent unit, and resampling treated and controls apart would understate
 * the interval.
 */
public final class DifferenceInDifferences {
    private DifferenceInDifferences() {}

    /** A group's mean outcome before and after the campaign. */
    public record GroupMeans(double before, double after) {
        public double change() {
            return after - before;
        }
    }

    /** Changes of both groups and the effect Δ (treated change minus control change). */
    public record Estimate(double treatedChange, double controlChange, double effect) {}

    /** Δ from the four group means. */
    public static Estimate of(GroupMeans treated, GroupMeans control) {
        return new Estimate(treated.change(), control.change(), treated.change() - control.change());
    }

    /**
     * One prescriber's outcome before and after; {@code treated} false for a control; {@code set}
     * the matched set it belongs to (the treated prescriber's id).
     */
    public record UnitOutcome(String unit, boolean treated, double before, double after, String set) {
        /** A unit alone in its set, or a control named {@code control#treated} in its treated prescriber's set. */
        public UnitOutcome(String unit, boolean treated, double before, double after) {
            this(unit, treated, before, after, !treated && unit.contains("#") ? unit.substring(unit.indexOf('#') + 1) : unit);
        }
    }

    /**
     * Δ with its percentile bootstrap interval and the balance of the pre-period level.
     *
     * @param smdBefore standardised mean difference of the before outcome, treated vs control
     *                  (|SMD| &lt; 0.1 is the usual bar for a good match)
     */
    public record Result(Estimate estimate, Bootstrap.Interval interval, int treatedUnits, int controlUnits,
                         double smdBefore) {}

    /** Δ from unit outcomes; units are put in id order first, so the result does not depend on input order. */
    public static Result fromUnits(List<UnitOutcome> units, int replicates, long seed, double level) {
        List<UnitOutcome> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparing(UnitOutcome::unit).thenComparing(UnitOutcome::treated));
        List<UnitOutcome> treated = sorted.stream().filter(UnitOutcome::treated).toList();
        List<UnitOutcome> control = sorted.stream().filter(u -> !u.treated()).toList();
        if (treated.isEmpty() || control.isEmpty()) {
            throw new IllegalArgumentException("difference in differences needs treated and control units (got "
                    + treated.size() + " treated, " + control.size() + " control)");
        }
        Estimate estimate = of(means(treated), means(control));
        java.util.Map<String, List<UnitOutcome>> sets = new java.util.TreeMap<>();
        sorted.forEach(u -> sets.computeIfAbsent(u.set(), k -> new ArrayList<>()).add(u));
        Bootstrap.Interval interval = Bootstrap.percentile(List.copyOf(sets.values()), sample -> {
            List<UnitOutcome> t = new ArrayList<>();
            List<UnitOutcome> c = new ArrayList<>();
            sample.forEach(set -> set.forEach(u -> (u.treated() ? t : c).add(u)));
            return t.isEmpty() || c.isEmpty() ? Double.NaN : of(means(t), means(c)).effect();
        }, replicates, seed, level);
        double smd = standardisedMeanDifference(
                treated.stream().mapToDouble(UnitOutcome::before).toArray(),
                control.stream().mapToDouble(UnitOutcome::before).toArray());
        return new Result(estimate, interval, treated.size(), control.size(), smd);
    }

    /** (mean_T − mean_C) / √((s²_T + s²_C)/2), sample variances (n − 1); NaN when both variances are 0. */
    public static double standardisedMeanDifference(double[] treated, double[] control) {
        return standardisedMeanDifference(treated, control, pooledSd(treated, control));
    }

    /**
     * (mean_T − mean_C) / sd with a given sd: after matching, balance is measured on the SD of the
     * groups before matching (Stuart 2010, Statistical Science 25(1) §6.1), so that a smaller
     * difference shows better balance, not a narrower matched sample.
     */
    public static double standardisedMeanDifference(double[] treated, double[] control, double sd) {
        return sd > 0 ? (mean(treated) - mean(control)) / sd : Double.NaN;
    }

    /** √((s²_T + s²_C)/2), sample variances (n − 1). */
    public static double pooledSd(double[] treated, double[] control) {
        return Math.sqrt((variance(treated, mean(treated)) + variance(control, mean(control))) / 2);
    }

    private static GroupMeans means(List<UnitOutcome> units) {
        double b = 0;
        double a = 0;
        for (UnitOutcome u : units) {
            b += u.before();
            a += u.after();
        }
        return new GroupMeans(b / units.size(), a / units.size());
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(double[] x, double mean) {
        if (x.length < 2) {
            return 0.0;
        }
        double s = 0;
        for (double v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / (x.length - 1);
    }
}
