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
 */
public record MethodsSettings(double winsorisation,
                              OverDispersion.Estimator estimator, OverDispersion.Mode overDispersion, double intervalLevel,
                              int bootstrapReplicates, long bootstrapSeed) {

    /** The defaults of conf/methods.conf, for callers and tests without a configuration. */
    public static final MethodsSettings DEFAULTS = new MethodsSettings(0.10,
            OverDispersion.Estimator.TRUNCATED, OverDispersion.Mode.MULTIPLICATIVE, 0.95, 1000, 20150901L);

    public static MethodsSettings from(Section s) {
        Section boot = s.child("bootstrap");
        return new MethodsSettings(s.number("winsorisation", 0.0, 0.49),
                OverDispersion.Estimator.parse(s.string("over-dispersion-estimate", List.of("truncated", "interquartile", "winsorised"))),
                OverDispersion.Mode.parse(s.string("over-dispersion", List.of("multiplicative", "additive"))),
                s.number("interval-level", 0.5, 0.9999),
                boot.integer("replicates", 1, 1_000_000),
                boot.longInt("seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
