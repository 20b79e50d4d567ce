package fr.atypie.atypie;

import static fr.atypie.atypie.PrescriberProfiles.*;

import fr.atypie.atypie.MetricAssessment.Funnel;
import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.events.EventColumns;
import fr.atypie.indicators.Windows;
import fr.atypie.stats.EmpiricalBayes;
import fr.atypie.stats.FunnelLimits;
import fr.atypie.stats.MethodsSettings;
import fr.atypie.stats.OverDispersion;
import fr.atypie.stats.PoissonInterval;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Row;

/**
 * Funnel-plot comparison of each prescriber with its peer group, per window and metric, computed
 * exactly on the driver (one row per prescriber and metric).
 *
 * <p>Model (quasi-Poisson, one per measure and peer group): IJ days, boxes or transport lines are
 * sums over patients of very unequal sizes, so Var(O) = φ_w·E with φ_w the within-practice
 * dispersion of the measure, estimated from the patients of the judged peers (Pearson sum around
 * each prescriber's own rate, {@link PrescriberProfiles#WITHIN_SS}), floored at 1 (a patient count,
 * φ_w ≤ 1, stays Poisson). Then:
 * <ul>
 *   <li>the norm: by default the typical peer, every E of the group multiplied by the median O/E of
 *       its judged peers ({@link MethodsSettings.Reference}), since the peer rates carry the atypical
 *       peers' own excess (Σ E = Σ O over the group);</li>
 *   <li>z = (O − E)/√(φ_w·E); between-prescriber over-dispersion φ (Spiegelhalter) on these z's
 *       corrects it as configured (z adjusted);</li>
 *   <li>φ (or τ²) is estimated from the peers (by default on the peers inside their own funnel,
 *       {@link OverDispersion#phiTruncated}): z adjusted is referred to a Student t with
 *       peers − 1 degrees of freedom, so a small peer group, whose φ is less certain, needs a larger
 *       z; its one-sided p-value is 1 − F(z adjusted). When no correction applies, a count (φ_w = 1)
 *       gets the exact Poisson tail P(X ≥ O | E) and the exact funnel limits, other measures the normal;</li>
 *   <li>the interval of SR is the exact Poisson interval of O/φ_w divided by E/φ_w;</li>
 *   <li>the Poisson-Gamma prior is fitted on O/φ_w and E/φ_w, so the noise the prior discounts is
 *       φ_w·m/E, and a small practice is pulled to the peer mean more than a large one;</li>
 *   <li>multiplicity: a prescriber is judged on several metrics of a theme; their p-values are
 *       adjusted within the prescriber's theme (Simes / Benjamini-Hochberg, q), and a metric is
 *       atypical (strong) only when its q is at most the one-sided tail of the atypical (strong) z
 *       threshold, 2.5 % (0.1 %), and SR passes the atypical (strong) ratio. A theme with one
 *       metric is judged on its funnel limits exactly;</li>
 *   <li>the funnel limits published are those levels: 1 ± t·√(φ_w·φ/E + τ²), t the quantile of the
 *       reference distribution at the thresholds' tails.</li>
 * </ul>
 * Only prescribers with a large enough patient base and enough expected patients are judged; φ_w,
 * φ and the prior need {@code min-peers} judged peers, else they are borrowed from the specialty
 * group with every activity band pooled, else nobody in the group is judged.
 */
public final class PeerComparison {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private PeerComparison() {}

    /**
     * φ_w, φ, τ² and the prior fitted on one set of judged peers; {@code centre} multiplies every
     * expected of the group: 1 with the peer group's mean as the norm, the median SR of the judged
     * peers with the typical peer as the norm ({@link MethodsSettings.Reference}): a group whose
     * typical peer is at 0.93 of the mean has its expected lowered by 7 %.
     */
    record Fit(String label, int peers, double centre, double dispersion, OverDispersion between, EmpiricalBayes prior) {
        /** A profile's expected at this fit's norm: its E times {@code centre}. */
        double expected(Row r) {
            return centre * r.<Double>getAs(EXPECTED);
        }

        /**
         * The distribution z adjusted is referred to: Student t with peers − 1 degrees of freedom
         * when an estimated φ or τ² scales it (quasi-likelihood with an estimated dispersion), else
         * the standard normal.
         */
        RealDistribution reference() {
            return corrected() && peers > 1 ? new TDistribution(null, peers - 1) : NORMAL;
        }

        /** Whether an estimated between-prescriber φ or τ² corrects z. */
        private boolean corrected() {
            return between.phiUsed() > 1 || between.tau2Used() > 0;
        }

        /**
         * Whether the exact Poisson tail decides: the measure is a count (φ_w = 1, no within-practice
         * over-dispersion) and no between-prescriber correction applies (φ ≤ 1). O is then a Poisson
         * count of mean E, and at the small E of a single-metric theme (7 to 10 expected patients)
         * the normal tail is too light: O 14 at E 8.28 has p 0.0234 by the normal, 0.0432 exactly.
         */
        boolean exact() {
            return dispersion == 1.0 && !corrected();
        }

        /** One-sided p-value: the exact Poisson tail P(X ≥ O | E) when {@link #exact()}, else 1 − F(z adjusted). */
        double pValue(double zAdjusted, double observed, double expected) {
            return exact() ? PoissonInterval.upperTail(observed, expected) : 1 - reference().cumulativeProbability(zAdjusted);
        }

        /** Quantile of the reference distribution with the upper tail of the normal {@code z} (1.96: 2.5 %). */
        double quantile(double z) {
            return reference() == NORMAL ? z : reference().inverseCumulativeProbability(NORMAL.cumulativeProbability(z));
        }
    }

    public static List<MetricAssessment> assess(List<Row> profiles, AtypieSettings settings, MethodsSettings methods) {
        Map<String, Metric> metrics = new TreeMap<>();
        settings.metrics().forEach(m -> metrics.put(m.id(), m));
        Map<String, List<Row>> groups = new TreeMap<>();
        Map<String, List<Row>> pools = new TreeMap<>();
        for (Row r : profiles) {
            requireBounded(r, metrics.get(r.<String>getAs(METRIC)));
            String window = r.getAs(Windows.WINDOW_MONTH).toString() + "|" + r.getAs(METRIC);
            groups.computeIfAbsent(window + "|" + r.getAs(PEER_GROUP), k -> new ArrayList<>()).add(r);
            if (judged(r, settings)) {
                pools.computeIfAbsent(window + "|" + r.getAs(Prescribers.SPECIALTY_GROUP), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Fit> poolFits = new TreeMap<>();
        List<MetricAssessment> raw = new ArrayList<>();
        for (List<Row> group : groups.values()) {
            Row first = group.get(0);
            String poolKey = first.getAs(Windows.WINDOW_MONTH).toString() + "|" + first.getAs(METRIC) + "|"
                    + first.getAs(Prescribers.SPECIALTY_GROUP);
            List<Row> judged = sortedById(group.stream().filter(r -> judged(r, settings)).toList());
            Fit fit;
            if (judged.size() >= settings.minPeers()) {
                fit = fit(first.getAs(PEER_GROUP), judged, methods);
            } else {
                List<Row> pool = sortedById(pools.getOrDefault(poolKey, List.of()));
                fit = pool.size() >= settings.minPeers()
                        ? poolFits.computeIfAbsent(poolKey, k -> fit(first.getAs(Prescribers.SPECIALTY_GROUP) + "|*", pool, methods))
                        : null;
            }
            raw.addAll(assessGroup(group, fit == null ? List.of() : judged, fit, metrics, settings, methods));
        }
        List<MetricAssessment> out = controlLevels(raw, settings);
        out.sort(Comparator.comparing(MetricAssessment::window).thenComparing(MetricAssessment::prescriber)
                .thenComparing(a -> a.metric().id()));
        return out;
    }

    /** A share of the patient base counts only patients of the base: it cannot exceed 1. */
    static void requireBounded(Row r, Metric m) {
        if (m.denominatorMeasure().isEmpty() && r.<Long>getAs(NUMERATOR_PATIENTS) > r.<Double>getAs(DENOMINATOR)) {
            throw new IllegalStateException("metric " + m.id() + ", prescriber " + r.getAs(EventColumns.PRESCRIBER)
                    + ": " + r.getAs(NUMERATOR_PATIENTS) + " patients in the numerator but only " + r.getAs(DENOMINATOR)
                    + " in the patient base: the numerator must be counted on the base patients only");
        }
    }

    private static List<Row> sortedById(List<Row> rows) {
        return rows.stream().sorted(Comparator.comparing(r -> r.<String>getAs(EventColumns.PRESCRIBER))).toList();
    }

    private static boolean judged(Row r, AtypieSettings settings) {
        return r.<Long>getAs(BASE_PATIENTS) >= settings.minPatients()
                && r.<Double>getAs(EXPECTED_PATIENTS) >= settings.minExpectedPatients()
                && r.<Double>getAs(EXPECTED) > 0;
    }

    /** Fits the norm, then φ_w, then φ, τ² and the prior on the quasi-Poisson scale, from the judged peers. */
    static Fit fit(String label, List<Row> peers, MethodsSettings methods) {
        int n = peers.size();
        double centre = methods.reference() == MethodsSettings.Reference.MEDIAN ? medianRatio(peers) : 1.0;
        double ss = 0;
        double dof = 0;
        for (Row r : peers) {
            ss += r.<Double>getAs(WITHIN_SS);
            dof += r.<Double>getAs(WITHIN_DOF);
        }
        double dispersion = dof > 0 ? Math.max(1.0, ss / dof) : 1.0;
        double[] o = new double[n];
        double[] e = new double[n];
        double[] z = new double[n];
        double[] s2 = new double[n];
        for (int i = 0; i < n; i++) {
            double obs = peers.get(i).getAs(OBSERVED);
            double exp = centre * peers.get(i).<Double>getAs(EXPECTED);
            o[i] = obs / dispersion;
            e[i] = exp / dispersion;
            z[i] = (obs - exp) / Math.sqrt(dispersion * exp);
            s2[i] = dispersion / exp;
        }
        return new Fit(label, n, centre, dispersion, OverDispersion.estimate(z, s2, methods.estimator(), methods.winsorisation(),
                methods.overDispersion()),
                EmpiricalBayes.fit(o, e));
    }

    private static List<MetricAssessment> assessGroup(List<Row> group, List<Row> judged, Fit fit, Map<String, Metric> metrics,
                                                      AtypieSettings settings, MethodsSettings methods) {
        // Percentiles of SR* among the judged peers of the group, ties broken by prescriber id.
        int n = judged.size();
        double[] shrunk = new double[n];
        for (int i = 0; i < n; i++) {
            double d = fit.dispersion();
            shrunk[i] = fit.prior().shrunk(judged.get(i).<Double>getAs(OBSERVED) / d, fit.expected(judged.get(i)) / d);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> shrunk[i]).thenComparingInt(i -> i));
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
            double exp = fit == null ? r.<Double>getAs(EXPECTED) : fit.expected(r);
            double amount = r.getAs(AMOUNT_BEHIND);
            boolean isJudged = shrunkOf.containsKey(id);
            double ratio = exp > 0 ? obs / exp : Double.NaN;
            boolean modelled = fit != null && exp > 0;
            double d = fit == null ? Double.NaN : fit.dispersion();
            PoissonInterval.Ratio ci = modelled ? PoissonInterval.exact(obs / d, methods.intervalLevel()).ratio(exp / d) : null;
            double zz = modelled ? (obs - exp) / Math.sqrt(d * exp) : Double.NaN;
            double zAdj = modelled ? adjust(fit.between(), zz, ratio, d / exp) : Double.NaN;
            double sr = isJudged ? shrunkOf.get(id) : Double.NaN;
            double excess = isJudged ? exp * Math.max(0, sr - 1) : Double.NaN;
            double excessAmount = isJudged ? (obs > 0 ? excess * amount / obs : 0.0) : Double.NaN;
            // The level is decided once the p-values of the prescriber's theme are all known (controlLevels).
            Level level = isJudged ? levelWithoutFunnel(sr, excessAmount, settings.thresholds()) : Level.NOT_JUDGED;
            Funnel funnel = funnel(r, fit, exp, isJudged ? fit.pValue(zAdj, obs, exp) : Double.NaN, settings.thresholds());
            out.add(new MetricAssessment(id, YearMonth.from(((Date) r.getAs(Windows.WINDOW_MONTH)).toLocalDate()),
                    r.getAs(EventColumns.DEPT), r.<Integer>getAs(Prescribers.SPECIALTY), r.getAs(Prescribers.SPECIALTY_GROUP),
                    r.getAs(PEER_GROUP), r.<Long>getAs(BASE_PATIENTS), metrics.get(r.<String>getAs(METRIC)), obs,
                    r.<Double>getAs(DENOMINATOR), exp, amount, r.<Long>getAs(NUMERATOR_PATIENTS), ratio,
                    ci == null ? Double.NaN : ci.lower(), ci == null ? Double.NaN : ci.upper(), zz, zAdj,
                    fit == null ? Double.NaN : fit.between().phi(), sr, isJudged ? percentile.get(id) : Double.NaN,
                    excess, excessAmount, level, funnel));
        }
        return out;
    }

    /** Median of O/E over the judged peers (E &gt; 0 for each): the typical peer's standardised ratio. */
    static double medianRatio(List<Row> peers) {
        double[] sr = peers.stream().mapToDouble(r -> r.<Double>getAs(OBSERVED) / r.<Double>getAs(EXPECTED)).sorted().toArray();
        int n = sr.length;
        double median = n % 2 == 1 ? sr[n / 2] : (sr[n / 2 - 1] + sr[n / 2]) / 2;
        // A group whose typical peer has no event at all keeps the mean as its norm (no division by zero).
        return median > 0 ? median : 1.0;
    }

    /** The model behind the figures, and the funnel limits at the atypical and strong levels (what decides a single metric). */
    private static Funnel funnel(Row r, Fit fit, double exp, double pValue, AtypieSettings.Thresholds t) {
        double expectedPatients = r.getAs(EXPECTED_PATIENTS);
        if (fit == null) {
            return new Funnel(expectedPatients, Double.NaN, null, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
        }
        if (!(exp > 0)) {
            return new Funnel(expectedPatients, fit.dispersion(), fit.label(), fit.peers(), Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double variance = fit.dispersion() * fit.between().phiUsed();
        double tau2 = fit.between().tau2Used();
        // A count with no correction: the exact Poisson limits, those its exact p-value is decided on.
        FunnelLimits atypical = fit.exact() ? FunnelLimits.exactPoissonRatio(exp, t.atypicalZ())
                : FunnelLimits.poissonRatio(exp, fit.quantile(t.atypicalZ()), variance, tau2);
        FunnelLimits strong = fit.exact() ? FunnelLimits.exactPoissonRatio(exp, t.strongZ())
                : FunnelLimits.poissonRatio(exp, fit.quantile(t.strongZ()), variance, tau2);
        return new Funnel(expectedPatients, fit.dispersion(), fit.label(), fit.peers(), pValue, Double.NaN,
                atypical.lower(), atypical.upper(), strong.lower(), strong.upper());
    }

    /** z adjusted: multiplicative z/√φ, or additive (SR − 1)/√(φ_w/E + τ²). */
    private static double adjust(OverDispersion d, double z, double ratio, double s2) {
        return d.mode() == OverDispersion.Mode.ADDITIVE ? d.additive(ratio, 1.0, s2) : d.multiplicative(z);
    }

    /**
     * The levels, once every p-value is known. Multiplicity: the p-values of a prescriber's judged
     * metrics of one theme and window that may escalate are adjusted together (Benjamini-Hochberg,
     * whose smallest q is Simes' test of "atypical on the theme"); a metric that never escalates
     * alone is adjusted on its own. Strong needs q ≤ 1 − Φ(strong-z) and SR ≥ strong-ratio;
     * atypical q ≤ 1 − Φ(atypical-z) and SR ≥ atypical-ratio; otherwise SR* and the excess alone
     * decide (gain potential, neutral, conforming). Metrics that do not escalate stop at a DAM visit.
     *
     * <p>Why the size criterion is on SR and not on SR*: the funnel's q already says whether the
     * difference is beyond chance for a practice of that size; SR* is shrunk towards a Gamma prior
     * fitted on all the peers, most of them at the norm, whose spread (about ±10 %) leaves no room
     * for a doctor at twice the norm: a planted 2× GP observed at 1.39 (q 0.007) is shrunk to 1.17
     * and would pass under 1.2. SR* stays what ranks, prices the excess and decides the centre of
     * the ladder (gain potential, conforming), where pulling small practices to the mean is the point.
     */
    static List<MetricAssessment> controlLevels(List<MetricAssessment> raw, AtypieSettings settings) {
        Map<String, List<Integer>> families = new TreeMap<>();
        for (int i = 0; i < raw.size(); i++) {
            MetricAssessment a = raw.get(i);
            if (a.level().judged()) {
                families.computeIfAbsent(a.prescriber() + "|" + a.window() + "|" + a.metric().theme()
                        + (a.metric().escalates() ? "" : "|" + a.metric().id()), k -> new ArrayList<>()).add(i);
            }
        }
        double[] q = new double[raw.size()];
        Arrays.fill(q, Double.NaN);
        for (List<Integer> family : families.values()) {
            double[] p = new double[family.size()];
            for (int j = 0; j < p.length; j++) {
                p[j] = raw.get(family.get(j)).funnel().pValue();
            }
            double[] adjusted = benjaminiHochberg(p);
            for (int j = 0; j < p.length; j++) {
                q[family.get(j)] = adjusted[j];
            }
        }
        AtypieSettings.Thresholds t = settings.thresholds();
        double strongTail = 1 - NORMAL.cumulativeProbability(t.strongZ());
        double atypicalTail = 1 - NORMAL.cumulativeProbability(t.atypicalZ());
        List<MetricAssessment> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            MetricAssessment a = raw.get(i);
            Level level = a.level();
            if (level.judged()) {
                // Evidence: q. Size: the standardised ratio itself (see the method comment: not SR*).
                if (q[i] <= strongTail && a.ratio() >= t.strongRatio()) {
                    level = Level.STRONG;
                } else if (q[i] <= atypicalTail && a.ratio() >= t.atypicalRatio()) {
                    level = Level.ATYPICAL;
                }
            }
            if (!a.metric().escalates() && (level == Level.STRONG || level == Level.ATYPICAL)) {
                level = Level.GAIN_POTENTIAL; // reported as is, but alone this metric never leads beyond a DAM visit
            }
            out.add(a.withLevel(level, q[i]));
        }
        return out;
    }

    /** Benjamini-Hochberg adjusted p-values (q), in the order of {@code p}: q_(i) = min_{j ≥ i} p_(j)·m/j, capped at 1. */
    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> p[i]).thenComparingInt(i -> i));
        double[] q = new double[m];
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            q[i] = running;
        }
        return q;
    }

    /** The level SR* and the excess give without the funnel: gain potential, conforming or neutral. */
    static Level levelWithoutFunnel(double shrunk, double excessAmount, AtypieSettings.Thresholds t) {
        if (shrunk > t.gainRatio() && excessAmount >= t.gainMinExcessAmount()) {
            return Level.GAIN_POTENTIAL;
        }
        if (shrunk <= t.conformingRatio()) {
            return Level.CONFORMING;
        }
        return Level.NEUTRAL;
    }
}
