package fr.atypie.atypie;

import fr.atypie.settings.Section;
import fr.atypie.indicators.IndicatorSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed {@code atypie.atypie} section (conf/segmentation.conf).
 *
 * @param minExpectedPatients a metric is judged only when this many patients with a non-zero numerator
 *                            are expected (a patient count whatever the unit: not 5 days or 5 boxes)
 * @param minPeers            judged peers needed to estimate φ and the prior; a smaller peer group
 *                            borrows them from its specialty group, all activity bands pooled
 */
public record AtypieSettings(List<Integer> activityBands, int minPatients, double minExpectedPatients, int minPeers,
                             int persistenceMonths,
                             List<Metric> metrics, Thresholds thresholds, Typology.Settings typology) {

    /**
     * Levels of the action ladder: strong and atypical by funnel z (over-dispersion adjusted; its
     * one-sided tail is the level the prescriber's q must reach) and standardised ratio SR; gain
     * potential and conforming by the shrunk ratio SR*.
     */
    public record Thresholds(double strongZ, double strongRatio, double atypicalZ, double atypicalRatio,
                             double gainRatio, double gainMinExcessAmount, double conformingRatio) {
        static Thresholds from(Section s) {
            return new Thresholds(s.number("strong-z", 0, 10), s.number("strong-ratio", 1, 100),
                    s.number("atypical-z", 0, 10), s.number("atypical-ratio", 1, 100),
                    s.number("gain-ratio", 0, 100), s.number("gain-min-excess-amount", 0, 1e12),
                    s.number("conforming-ratio", 0, 100));
        }
    }

    public static AtypieSettings from(Section s, IndicatorSettings indicators) {
        List<Metric> metrics = new ArrayList<>();
        for (Section theme : s.children("themes")) {
            String themeLabel = theme.string("label");
            boolean procedures = theme.bool("procedures");
            for (Section m : theme.children("metrics")) {
                metrics.add(Metric.from(theme.name(), themeLabel, procedures, m, indicators.measures(), indicators.ageBands()));
            }
        }
        List<Integer> bands = s.integers("activity-bands");
        if (bands.isEmpty() || bands.get(0) != 0) {
            throw new fr.atypie.errors.ConfigError(s.key("activity-bands") + " must start at 0, got " + bands);
        }
        return new AtypieSettings(bands, s.integer("min-patients", 0, 1_000_000),
                s.number("min-expected-patients", 0, 1e9), s.integer("min-peers", 2, 1_000_000),
                s.integer("persistence-months", 1, 24),
                List.copyOf(metrics), Thresholds.from(s.child("thresholds")), typology(s.child("typology")));
    }

    private static Typology.Settings typology(Section s) {
        return new Typology.Settings(s.integer("k", 2, 8), s.longInt("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.integer("max-iterations", 1, 1000));
    }

    /** Lower bound of the activity band of a patient base of {@code patients}. */
    public int activityBand(long patients) {
        int band = 0;
        for (int b : activityBands) {
            if (patients >= b) {
                band = b;
            }
        }
        return band;
    }
}
