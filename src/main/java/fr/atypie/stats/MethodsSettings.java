package fr.atypie.stats;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.List;

/**
 * Settings of the statistical methods ({@code conf/methods.conf}, section {@code atypie.methods}).
 *
 * @param zWarning            z of the 95 % funnel limits (1.96)
 * @param zAlarm              z of the 99.8 % limits (3.09)
 * @param flagBothSides       flag units below the lower limits too (default: above only)
 * @param winsorisation       share winsorised at each end before estimating φ (0.10)
 * @param estimator           how φ is estimated: winsorised mean of z² or interquartile range
 * @param overDispersion      correction applied when φ &gt; 1
 * @param intervalLevel       coverage of exact Poisson and posterior intervals (0.95)
 * @param bootstrapReplicates bootstrap replicates
 * @param bootstrapSeed       bootstrap seed
 */
public record MethodsSettings(double zWarning, double zAlarm, boolean flagBothSides, double winsorisation,
                              OverDispersion.Estimator estimator, OverDispersion.Mode overDispersion, double intervalLevel,
                              int bootstrapReplicates, long bootstrapSeed) {

    /** The defaults of conf/methods.conf, for callers and tests without a configuration. */
    public static final MethodsSettings DEFAULTS = new MethodsSettings(1.96, 3.09, false, 0.10,
            OverDispersion.Estimator.INTERQUARTILE, OverDispersion.Mode.MULTIPLICATIVE, 0.95, 1000, 20150901L);

    public static MethodsSettings from(Section s) {
        double warning = s.number("z-warning", 0.1, 10);
        double alarm = s.number("z-alarm", 0.1, 10);
        if (!(alarm > warning)) {
            throw new ConfigError(s.key("z-alarm") + " = " + alarm + " must be above "
                    + s.key("z-warning") + " = " + warning);
        }
        Section boot = s.child("bootstrap");
        return new MethodsSettings(warning, alarm,
                s.string("flag-sides", List.of("above", "both")).equals("both"),
                s.number("winsorisation", 0.0, 0.49),
                OverDispersion.Estimator.parse(s.string("over-dispersion-estimate", List.of("winsorised", "interquartile"))),
                OverDispersion.Mode.parse(s.string("over-dispersion", List.of("multiplicative", "additive"))),
                s.number("interval-level", 0.5, 0.9999),
                boot.integer("replicates", 1, 1_000_000),
                boot.longInt("seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
