package fr.atypie.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Percentile bootstrap interval of a statistic, resampling units with replacement (within each
 * group when there are several, e.g. treated and control prescribers, so each keeps its size).
 * A fixed seed makes it deterministic: same units in the same order, same seed → same interval.
 * Interval bounds are type-7 quantiles ({@link Quantiles}) of the replicate statistics.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** Point estimate and percentile interval. */
    public record Interval(double estimate, double lower, double upper, double level, int replicates, long seed) {}

    /** Interval of a statistic of one sample of units. */
    public static <T> Interval percentile(List<T> units, Function<List<T>, Double> statistic,
                                          int replicates, long seed, double level) {
        return stratified(List.of(units), groups -> statistic.apply(groups.get(0)), replicates, seed, level);
    }

    /**
     * Interval of a statistic of several groups of units, each resampled within itself. Replicates
     * whose statistic is not finite (e.g. a group resampled to a zero denominator) are dropped;
     * the count kept is reported.
     */
    public static <T> Interval stratified(List<List<T>> groups, Function<List<List<T>>, Double> statistic,
                                          int replicates, long seed, double level) {
        if (replicates < 1) {
            throw new IllegalArgumentException("replicates must be ≥ 1, got " + replicates);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("coverage level must be in (0, 1), got " + level);
        }
        for (List<T> g : groups) {
            if (g.isEmpty()) {
                throw new IllegalArgumentException("cannot bootstrap an empty group");
            }
        }
        double estimate = statistic.apply(groups);
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[replicates];
        int kept = 0;
        for (int r = 0; r < replicates; r++) {
            List<List<T>> resampled = new ArrayList<>(groups.size());
            for (List<T> g : groups) {
                List<T> sample = new ArrayList<>(g.size());
                for (int i = 0; i < g.size(); i++) {
                    sample.add(g.get(random.nextInt(g.size())));
                }
                resampled.add(sample);
            }
            double s = statistic.apply(resampled);
            if (Double.isFinite(s)) {
                stats[kept++] = s;
            }
        }
        if (kept == 0) {
            throw new IllegalArgumentException("no bootstrap replicate gave a finite statistic");
        }
        double[] sorted = Arrays.copyOf(stats, kept);
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new Interval(estimate, Quantiles.ofSorted(sorted, tail), Quantiles.ofSorted(sorted, 1 - tail),
                level, kept, seed);
    }
}
