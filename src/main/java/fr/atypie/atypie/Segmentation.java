package fr.atypie.atypie;

import fr.atypie.atypie.MetricAssessment.Level;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Places every prescriber on one rung of the action ladder for the refresh month, from its
 * metric levels: strongly atypical now and {@code persistence-months} earlier, on a theme where
 * procedures exist → observation then MSO/MSAP candidate; atypical (or strongly but not yet persistently) → EC;
 * gain potential → DAM visit; conforming on every judged metric → positive feedback.
 */
public final class Segmentation {
    private Segmentation() {}

    public static List<PrescriberSegment> segment(List<MetricAssessment> assessments, YearMonth month,
                                                  AtypieSettings settings) {
        YearMonth earlier = month.minusMonths(settings.persistenceMonths());
        Set<String> strongEarlier = assessments.stream()
                .filter(a -> a.window().equals(earlier) && a.level() == Level.STRONG)
                .map(a -> a.prescriber() + "|" + a.metric().id()).collect(Collectors.toSet());
        Map<String, List<MetricAssessment>> byPrescriber = new TreeMap<>();
        for (MetricAssessment a : assessments) {
            if (a.window().equals(month)) {
                byPrescriber.computeIfAbsent(a.prescriber(), k -> new ArrayList<>()).add(a);
            }
        }
        List<PrescriberSegment> out = new ArrayList<>();
        for (List<MetricAssessment> metrics : byPrescriber.values()) {
            out.add(segmentOne(metrics, strongEarlier, earlier, settings));
        }
        return out;
    }

    private static PrescriberSegment segmentOne(List<MetricAssessment> metrics, Set<String> strongEarlier,
                                                YearMonth earlier, AtypieSettings settings) {
        MetricAssessment any = metrics.get(0);
        List<MetricAssessment> judged = metrics.stream().filter(a -> a.level().judged())
                .sorted(Comparator.comparingDouble(MetricAssessment::excessAmount).reversed()
                        .thenComparing(a -> a.metric().id()))
                .toList();
        List<MetricAssessment> persistent = judged.stream()
                .filter(a -> a.level() == Level.STRONG && a.metric().procedures()
                        && strongEarlier.contains(a.prescriber() + "|" + a.metric().id()))
                .toList();
        List<MetricAssessment> atypical = judged.stream()
                .filter(a -> a.level() == Level.STRONG || a.level() == Level.ATYPICAL).toList();
        List<MetricAssessment> gain = judged.stream().filter(a -> a.level() == Level.GAIN_POTENTIAL).toList();

        Segment segment;
        List<MetricAssessment> drivers;
        String reason;
        if (judged.isEmpty()) {
            segment = Segment.NOT_ASSESSABLE;
            drivers = List.of();
            reason = any.basePatients() < settings.minPatients()
                    ? String.format(Locale.FRANCE, "Patientèle de %d patients sur 12 mois, sous le seuil de %d.",
                            any.basePatients(), settings.minPatients())
                    : "Trop peu d'activité sur chaque thème, ou trop peu de pairs comparables, pour conclure.";
        } else if (!persistent.isEmpty()) {
            segment = Segment.STRONGLY_ATYPICAL;
            drivers = persistent;
            reason = describe(persistent.get(0)) + " Déjà fortement atypique sur ce thème en " + earlier + ".";
        } else if (!atypical.isEmpty()) {
            segment = Segment.ATYPICAL;
            drivers = atypical;
            MetricAssessment top = atypical.get(0);
            reason = describe(top) + (top.level() != Level.STRONG ? ""
                    : top.metric().procedures() ? " Fortement atypique ce mois-ci, pas encore de façon durable."
                    : " Fortement atypique ; pas de procédure MSO/MSAP sur ce thème.");
        } else if (!gain.isEmpty()) {
            segment = Segment.GAIN_POTENTIAL;
            drivers = gain;
            reason = describe(gain.get(0)) + " Au-dessus de ses pairs sans être atypique : potentiel de gain.";
        } else if (judged.stream().allMatch(a -> a.level() == Level.CONFORMING)) {
            segment = Segment.CONFORMING;
            drivers = judged;
            reason = "Au niveau ou en dessous de ses pairs sur " + judged.size()
                    + (judged.size() > 1 ? " indicateurs" : " indicateur") + ", à patientèle comparable.";
        } else {
            segment = Segment.IN_NORM;
            drivers = List.of();
            reason = "Proche de ses pairs sur chaque thème, à patientèle comparable.";
        }
        double excess = segment == Segment.CONFORMING ? 0 : themeExcess(judged, drivers);
        return new PrescriberSegment(any.prescriber(), any.window(), any.dept(), any.specialty(), any.specialtyGroup(),
                any.peerGroup(), any.basePatients(), segment, reason, excess, drivers);
    }

    /**
     * One excess per theme, never summed over its metrics: days per patient, share with IJ and days per
     * IJ patient all price the same IJ euros. Each theme that drives the segment counts once, at the
     * largest shrunk excess amount among the prescriber's judged metrics of that theme.
     */
    static double themeExcess(List<MetricAssessment> judged, List<MetricAssessment> drivers) {
        Map<String, Double> byTheme = new TreeMap<>();
        for (MetricAssessment a : judged) {
            byTheme.merge(a.metric().theme(), a.excessAmount(), Math::max);
        }
        return drivers.stream().map(a -> a.metric().theme()).distinct().mapToDouble(byTheme::get).sum();
    }

    /** "Arrêts de travail, part des patients ... : 1,9 fois l'attendu (SR* 1,7 ; z ajusté 4,2), excédent 12 300 €." */
    static String describe(MetricAssessment a) {
        return String.format(Locale.FRANCE,
                "%s – %s : %.2f fois l'attendu pour sa patientèle (estimation lissée %.2f ; z ajusté %.1f ; %s), excédent estimé %,.0f €.",
                a.metric().themeLabel(), a.metric().label(), a.ratio(), a.shrunkRatio(), a.zAdjusted(),
                a.level() == Level.STRONG ? "au-delà de la limite à 99,8 %"
                        : a.level() == Level.ATYPICAL ? "au-delà de la limite à 95 %" : "dans les limites",
                a.excessAmount());
    }
}
