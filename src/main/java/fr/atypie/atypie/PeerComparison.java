package fr.atypie.atypie;

import static fr.atypie.atypie.PrescriberProfiles.*;

import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.events.EventColumns;
import fr.atypie.indicators.Windows;
import fr.atypie.stats.EmpiricalBayes;
import fr.atypie.stats.MethodsSettings;
import fr.atypie.stats.OverDispersion;
import fr.atypie.stats.PoissonInterval;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Funnel-plot comparison of each prescriber with its peer group, per window and metric, computed
 * exactly on the driver (one row per prescriber and metric). Only prescribers with a large enough
 * patient base and expected count are judged; over-dispersion φ and the empirical-Bayes prior
 * are estimated on the judged peers of each group, so the flags are relative to real practice
 * variation, not to Poisson noise alone.
 */
public final class PeerComparison {
    /** Fewer judgeable peers than this in a group: φ and the prior cannot be estimated, nobody is judged. */
    static final int MIN_PEERS_FOR_DISPERSION = 10;

    private PeerComparison() {}

    public static List<MetricAssessment> assess(List<Row> profiles, AtypieSettings settings, MethodsSettings methods) {
        Map<String, Metric> metrics = new TreeMap<>();
        settings.metrics().forEach(m -> metrics.put(m.id(), m));
        Map<String, List<Row>> groups = new TreeMap<>();
        for (Row r : profiles) {
            String key = r.getAs(Windows.WINDOW_MONTH).toString() + "|" + r.getAs(METRIC) + "|" + r.getAs(PEER_GROUP);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<MetricAssessment> out = new ArrayList<>();
        for (List<Row> group : groups.values()) {
            out.addAll(assessGroup(group, metrics, settings, methods));
        }
        out.sort(Comparator.comparing(MetricAssessment::window).thenComparing(MetricAssessment::prescriber)
                .thenComparing(a -> a.metric().id()));
        return out;
    }

    private static boolean judged(Row r, AtypieSettings settings) {
        return r.<Long>getAs(BASE_PATIENTS) >= settings.minPatients() && r.<Double>getAs(EXPECTED) >= settings.minExpected()
                && r.<Double>getAs(EXPECTED) > 0;
    }

    private static List<MetricAssessment> assessGroup(List<Row> group, Map<String, Metric> metrics,
                                                      AtypieSettings settings, MethodsSettings methods) {
        List<Row> judged = group.stream().filter(r -> judged(r, settings))
                .sorted(Comparator.comparing(r -> r.<String>getAs(EventColumns.PRESCRIBER))).toList();
        if (judged.size() < MIN_PEERS_FOR_DISPERSION) {
            judged = List.of(); // too few comparable peers to say anything: nobody in the group is judged
        }
        int n = judged.size();
        double[] o = new double[n];
        double[] e = new double[n];
        double[] z = new double[n];
        double[] s2 = new double[n];
        for (int i = 0; i < n; i++) {
            o[i] = judged.get(i).getAs(OBSERVED);
            e[i] = judged.get(i).getAs(EXPECTED);
            z[i] = (o[i] - e[i]) / Math.sqrt(e[i]);
            s2[i] = 1 / e[i];
        }
        OverDispersion dispersion = n > 0
                ? OverDispersion.estimate(z, s2, methods.winsorisation(), methods.overDispersion())
                : new OverDispersion(0, methods.winsorisation(), Double.NaN, Double.NaN, methods.overDispersion());
        EmpiricalBayes prior = n > 0 ? EmpiricalBayes.fit(o, e) : null;
        // Percentiles of SR* among judged peers, ties broken by prescriber id (judged is sorted by id).
        double[] shrunk = new double[n];
        for (int i = 0; i < n; i++) {
            shrunk[i] = prior.shrunk(o[i], e[i]);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> shrunk[i]).thenComparingInt(i -> i));
        Map<String, Double> percentile = new TreeMap<>();
        Map<String, Double> shrunkOf = new TreeMap<>();
        for (int rank = 0; rank < n; rank++) {
            String id = judged.get(order[rank]).getAs(EventColumns.PRESCRIBER);
            percentile.put(id, n == 1 ? 50.0 : 100.0 * rank / (n - 1));
            shrunkOf.put(id, shrunk[order[rank]]);
        }

        List<MetricAssessment> out = new ArrayList<>();
        for (Row r : group) {
            String id = r.getAs(EventColumns.PRESCRIBER);
            double obs = r.getAs(OBSERVED);
            double exp = r.getAs(EXPECTED);
            double amount = r.getAs(AMOUNT_BEHIND);
            boolean isJudged = shrunkOf.containsKey(id);
            double ratio = exp > 0 ? obs / exp : Double.NaN;
            PoissonInterval.Ratio ci = exp > 0 ? PoissonInterval.ratio(obs, exp, methods.intervalLevel()) : null;
            double zz = exp > 0 ? (obs - exp) / Math.sqrt(exp) : Double.NaN;
            double zAdj = exp > 0 ? adjust(dispersion, zz, ratio, exp) : Double.NaN;
            double excess = Math.max(0, obs - exp);
            double excessAmount = obs > 0 ? excess * amount / obs : 0.0;
            double sr = isJudged ? shrunkOf.get(id) : Double.NaN;
            Level level = isJudged ? level(sr, zAdj, excessAmount, settings.thresholds()) : Level.NOT_JUDGED;
            Metric metric = metrics.get(r.<String>getAs(METRIC));
            if (!metric.escalates() && (level == Level.STRONG || level == Level.ATYPICAL)) {
                level = Level.GAIN_POTENTIAL; // reported as is, but alone this metric never leads beyond a DAM visit
            }
            out.add(new MetricAssessment(id, YearMonth.from(((Date) r.getAs(Windows.WINDOW_MONTH)).toLocalDate()),
                    r.getAs(EventColumns.DEPT), r.<Integer>getAs(Prescribers.SPECIALTY), r.getAs(Prescribers.SPECIALTY_GROUP),
                    r.getAs(PEER_GROUP), r.<Long>getAs(BASE_PATIENTS), metric, obs,
                    r.<Double>getAs(DENOMINATOR), exp, amount, r.<Long>getAs(NUMERATOR_PATIENTS), ratio,
                    ci == null ? Double.NaN : ci.lower(), ci == null ? Double.NaN : ci.upper(), zz, zAdj,
                    dispersion.phi(), sr, isJudged ? percentile.get(id) : Double.NaN, excess, excessAmount, level));
        }
        return out;
    }

    private static double adjust(OverDispersion d, double z, double ratio, double expected) {
        return d.mode() == OverDispersion.Mode.ADDITIVE ? d.additive(ratio, 1.0, 1 / expected) : d.multiplicative(z);
    }

    /** The metric's rung: strong and atypical need both the funnel (z) and the shrunk ratio (SR*). */
    static Level level(double shrunk, double zAdjusted, double excessAmount, AtypieSettings.Thresholds t) {
        if (zAdjusted >= t.strongZ() && shrunk >= t.strongRatio()) {
            return Level.STRONG;
        }
        if (zAdjusted >= t.atypicalZ() && shrunk >= t.atypicalRatio()) {
            return Level.ATYPICAL;
        }
        if (shrunk > t.gainRatio() && excessAmount >= t.gainMinExcessAmount()) {
            return Level.GAIN_POTENTIAL;
        }
        if (shrunk <= t.conformingRatio()) {
            return Level.CONFORMING;
        }
        return Level.NEUTRAL;
    }
}
