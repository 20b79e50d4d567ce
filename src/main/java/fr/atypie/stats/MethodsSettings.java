package fr.atypie.stats;

import fr.atypie.settings.Section;
import java.util.List;

/**
 * Settings of the statistical methods ({@code conf/methods.conf}, section {@code atypie.methods}).
 *
 * @param winsorisation       share winsorised at each end before estimating φ (0.10)
 * @param estimator           how φ is estimated: variance inside the funnel, truncation-corrected (default), interquartile range or winsorised mean of z²
 * @param overDispersion      correction applied when φ &gt; 1
 * @param intervalLevel       coverage of exact Poisson and posterior intervals (0.95)
 * @param bootstrapReplicates bootstrap replicates
 * @param bootstrapSeed       bootstrap seed
 * @param reference           the norm a prescriber's expected is computed at: the peer group's typical (median) peer (default) or its mean
 */
public record MethodsSettings(double winsorisation,
                              OverDispersion.Estimator estimator, OverDispersion.Mode overDispersion, double intervalLevel,
                              int bootstrapReplicates, long bootstrapSeed, Reference reference) {

    /**
     * The norm of a peer group. MEAN: the peer stratum rates as they are (over a group, Σ expected =
     * Σ observed, so the atypical peers' own excess raises everyone's expected). MEDIAN: every expected
     * of the group multiplied by the median SR of its judged peers, so that the typical peer sits at 1.
     */
    public enum Reference {
        MEAN, MEDIAN;

        static Reference parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The defaults of conf/methods.conf, for callers and tests without a configuration. */
    public static final MethodsSettings DEFAULTS = new MethodsSettings(0.10,
            OverDispersion.Estimator.TRUNCATED, OverDispersion.Mode.MULTIPLICATIVE, 0.95, 1000, 20150901L, Reference.MEDIAN);

    public static MethodsSettings from(Section s) {
        Section boot = s.child("bootstrap");
        return new MethodsSettings(s.number("winsorisation", 0.0, 0.49),
                OverDispersion.Estimator.parse(s.string("over-dispersion-estimate", List.of("truncated", "interquartile", "winsorised"))),
                OverDispersion.Mode.parse(s.string("over-dispersion", List.of("multiplicative", "additive"))),
                s.number("interval-level", 0.5, 0.9999),
                boot.integer("replicates", 1, 1_000_000),
                boot.longInt("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                Reference.parse(s.string("reference", List.of("mean", "median"))));
    }
}
