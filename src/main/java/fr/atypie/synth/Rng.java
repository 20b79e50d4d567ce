package fr.atypie.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random draws. Every entity (department plan, GP, patient) gets its own generator
 * seeded from the run seed and the entity's identity, so the output never depends on which
 * thread handled it or in which order.
 */
final class Rng {
    private final SplittableRandom r;

    private Rng(long seed) {
        this.r = new SplittableRandom(seed);
    }

    /** A generator for one entity: (run seed, kind of entity, identifiers). */
    static Rng of(long seed, long kind, long a, long b) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h + kind * 0xBF58476D1CE4E5B9L);
        h = mix(h + a * 0x94D049BB133111EBL);
        h = mix(h + b);
        return new Rng(h);
    }

    /** SplitMix64 finaliser: a cheap, well-mixed 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    double uniform() {
        return r.nextDouble();
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Integer in [lo, hi], both inclusive. */
    int between(int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    int below(int n) {
        return r.nextInt(n);
    }

    long nextLong() {
        return r.nextLong();
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    double gaussian() {
        // Box-Muller; one value per call keeps the stream simple to reason about.
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    double logNormal(double median, double sigma) {
        return median * Math.exp(sigma * gaussian());
    }

    /** Poisson count (inversion; the means here are small). */
    int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double l = Math.exp(-mean);
        int k = 0;
        double p = r.nextDouble();
        while (p > l) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }

    /** Gamma(shape, scale 1/shape): mean 1, variance 1/shape (Marsaglia-Tsang). */
    double frailty(double shape) {
        double k = shape < 1 ? shape + 1 : shape;
        double d = k - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        double v;
        while (true) {
            double x = gaussian();
            v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = r.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                break;
            }
        }
        double g = d * v;
        if (shape < 1) {
            g *= Math.pow(r.nextDouble(), 1 / shape);
        }
        return g / shape;
    }

    /** Index drawn with probability proportional to the weights. */
    int weighted(List<Double> weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < weights.size(); i++) {
            u -= weights.get(i);
            if (u < 0) {
                return i;
            }
        }
        return weights.size() - 1;
    }

    int weighted(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Fisher-Yates shuffle in place. */
    <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
