package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;

import fr.atypie.atypie.AtypieSettings;
import fr.atypie.atypie.Metric;
import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.atypie.PrescriberProfiles;
import fr.atypie.atypie.PrescriberTrend;
import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.config.AtypieConfig;
import fr.atypie.events.EventColumns;
import fr.atypie.indicators.PatientContributions;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.PublishColumns;
import fr.atypie.publish.SmallCells;
import fr.atypie.publish.Specialties;
import fr.atypie.publish.report.Departments;
import fr.atypie.publish.report.FrenchFormat;
import fr.atypie.publish.report.FunnelPlot;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.ReportTable;
import fr.atypie.publish.report.TrendPanels;
import fr.atypie.stats.OverDispersion;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The prescriber-level documents, under {@code restricted/} only (medical service and
 * coordination teams): the funnels per theme ({@code rapport-prescripteurs.html}) and one
 * printable profile sheet per prescriber on an action list ({@code profils/<dept>-<nnn>.html},
 * listed by prescriber in {@code profils/index.html}), the page a DAM adviser brings to a visit,
 * with the series it draws ({@code prescriber_trend}). Secret rows (fewer patients than the
 * threshold) show no number at all, not even the expected count or the ratio from which the
 * observed count follows.
 *
 * <p>The sheet is HTML with a print stylesheet rather than a workbook tab: a browser prints it to
 * one A4 page (or to PDF), charts included, and the same file reads on screen; a workbook has no
 * chart and sits per department, not per visit.
 */
final class PrescriberReports {
    static final String REPORT = MonthlyReport.RESTRICTED_REPORT_FILE;
    static final String PROFILES = "profils";
    /** The list of profile sheets: prescriber → file (files are numbered per department). */
    static final String INDEX = "index.html";
    /** Points labelled on a funnel: the most extreme flagged ones; the others are in the table under it. */
    static final int LABELLED = 8;
    private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    // What decided, in the ladder's order: colour (Okabe-Ito) and French label of each level.
    static final Map<Level, String[]> LEVELS = levels();

    private static Map<Level, String[]> levels() {
        Map<Level, String[]> m = new LinkedHashMap<>();
        m.put(Level.STRONG, new String[] {"#D55E00", "Atypie forte"});
        m.put(Level.ATYPICAL, new String[] {"#E69F00", "Atypique"});
        m.put(Level.GAIN_POTENTIAL, new String[] {"#CC79A7", "Potentiel de gain"});
        m.put(Level.NEUTRAL, new String[] {"#8c9bab", "Dans la norme"});
        m.put(Level.CONFORMING, new String[] {"#0072B2", "Conforme"});
        m.put(Level.NOT_JUDGED, new String[] {"#bbbbbb", "Non jugé"});
        return m;
    }

    /** Months drawn on a profile sheet, and care months per point (a short rolling window: more patients per point). */
    static final int TREND_MONTHS = 24;
    static final int TREND_WINDOW = 3;
    /** Measures drawn on a profile sheet: the prescriber's main ones. */
    static final int TREND_MEASURES_SHOWN = 3;
    static final String TREND_TABLE = "prescriber_trend";

    /**
     * {@code restricted/prescriber_trend}: the series of the prescribers with a profile sheet. Rates
     * only, no counts: four disjoint 3-month windows add up to the 12-month counts of
     * {@code prescriber_metrics}, so a hidden window's count would follow by subtraction.
     */
    static final Columns TREND = new Columns()
            .text("prescriber_id", "Prescripteur").text("dept", "Département").text("peer_group", "Groupe de pairs")
            .text("theme", "Thème").text("metric", "Mesure").text("kind", "Poids ou structure")
            .text("month", "Fin de la fenêtre de " + TREND_WINDOW + " mois").text("status", "Statut")
            .number("value", "Valeur du prescripteur").number("peer_mean", "Moyenne des pairs à patientèle égale")
            .count("numerator_patients", "Patients concernés");
    /** Hidden on secret rows: the prescriber's value and the peer mean at its patient mix. */
    static final MonthlyRelease.Secrecy TREND_SECRECY = new MonthlyRelease.Secrecy(List.of("numerator_patients"),
            List.of("value", "peer_mean"));

    private PrescriberReports() {}

    /**
     * Writes {@code restricted/prescriber_trend}, the restricted report and the profile sheets into the
     * release, under {@code restricted/}.
     *
     * @param trend  the series of {@link #trend}, small cells hidden
     * @param states the published {@code restricted/procedure_state}
     */
    static void write(MonthlyRelease release, AtypieConfig config, YearMonth month, Publisher.Tables t,
                      CampaignHistory history, Dataset<Row> trend, Dataset<Row> states) throws java.io.IOException {
        String hidden = release.smallCells().hiddenLabel();
        Publisher.table(release, Publisher.RESTRICTED + "/" + TREND_TABLE, trend, TREND, TREND_SECRECY,
                List.of("prescriber_id", "theme", "metric", "month"));
        release.html(Publisher.RESTRICTED + "/" + REPORT, report(config, month, t, hidden));
        for (var p : profiles(config, month, t, hidden, history, trend, states).entrySet()) {
            release.html(Publisher.RESTRICTED + "/" + p.getKey(), p.getValue());
        }
    }

    /** Prescribers with a profile sheet: on an action list of the month, within capacity. */
    static List<String> profiled(Dataset<Row> targeting) {
        return targeting.where(col("within_capacity")).select("prescriber_id").distinct().orderBy("prescriber_id")
                .collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    /**
     * The {@link #TREND_MONTHS} months of series of the profiled prescribers' main measures (each
     * point a window of {@link #TREND_WINDOW} care months, against the peers of the month's
     * assessment), as published: small cells hidden. It starts later when the extract is shorter.
     * Only the peer groups of profiled prescribers and the tables of their main measures are read.
     *
     * @param contributions the run's events by patient ({@link PrescriberTrend#CARRIED}, patients keyed as for the profiles)
     * @param metrics   {@code prescriber_metrics} as published
     * @param firstCare the extract's first complete care month
     */
    static Dataset<Row> trend(SparkSession spark, AtypieConfig config, YearMonth month, YearMonth firstCare,
                              PatientContributions contributions, Dataset<Row> metrics, Dataset<Row> targeting,
                              SmallCells cells) {
        List<String> ids = profiled(targeting);
        YearMonth first = month.minusMonths(TREND_MONTHS - 1L);
        YearMonth earliest = firstCare.plusMonths(TREND_WINDOW - 1L);
        first = first.isBefore(earliest) ? earliest : first;
        List<Object[]> rows = new ArrayList<>();
        Map<String, List<Row>> assessed = new TreeMap<>();
        metrics.where(col("window_month").equalTo(month.toString())).orderBy("prescriber_id", "theme", "metric").collectAsList()
                .forEach(a -> assessed.computeIfAbsent(a.getAs("prescriber_id"), k -> new ArrayList<>()).add(a));
        java.util.Set<String> shown = new java.util.TreeSet<>();   // prescriber|theme/metric
        java.util.Set<String> groups = new java.util.TreeSet<>();
        for (String id : ids) {
            for (String m : mainMeasures(assessed.getOrDefault(id, List.of()))) {
                shown.add(id + "|" + m);
            }
            assessed.getOrDefault(id, List.of()).stream().findFirst().ifPresent(a -> groups.add(a.getAs("peer_group")));
        }
        if (!shown.isEmpty() && !first.isAfter(month)) {
            Map<String, Metric> metricOf = new TreeMap<>();
            config.atypie().metrics().forEach(m -> metricOf.put(m.id(), m));
            List<Metric> followed = metricOf.values().stream()
                    .filter(m -> shown.stream().anyMatch(k -> k.endsWith("|" + m.id()))).toList();
            List<Row> peerRows = new ArrayList<>();
            Map<String, String> dept = new TreeMap<>();
            assessed.forEach((id, as) -> {
                Row a = as.get(0);
                if (groups.contains(a.<String>getAs("peer_group"))) {
                    peerRows.add(RowFactory.create(id, a.getAs("peer_group")));
                    dept.put(id, a.getAs("dept"));
                }
            });
            Dataset<Row> peers = spark.createDataFrame(peerRows, new StructType().add(EventColumns.PRESCRIBER, DataTypes.StringType)
                    .add(PrescriberProfiles.PEER_GROUP, DataTypes.StringType));
            YearMonth provisionalFrom = month.minusMonths(config.dcir().consolidationMonths() - 1L);
            List<Row> series = PrescriberTrend.series(contributions, peers, first, month, TREND_WINDOW, config.indicators(), followed)
                    .where(col(EventColumns.PRESCRIBER).isin(ids.toArray()))
                    .orderBy(EventColumns.PRESCRIBER, PrescriberProfiles.METRIC, PrescriberTrend.MONTH).collectAsList();
            for (Row r : series) {
                String id = r.getAs(EventColumns.PRESCRIBER);
                Metric m = metricOf.get(r.<String>getAs(PrescriberProfiles.METRIC));
                if (!shown.contains(id + "|" + m.id())) {
                    continue;   // a metric followed for another prescriber
                }
                YearMonth at = YearMonth.from(r.<Date>getAs(PrescriberTrend.MONTH).toLocalDate());
                double observed = r.getAs(PrescriberProfiles.OBSERVED);
                double denominator = r.getAs(PrescriberProfiles.DENOMINATOR);
                double expected = r.getAs(PrescriberProfiles.EXPECTED);
                rows.add(new Object[] {id, dept.get(id), r.getAs(PrescriberProfiles.PEER_GROUP), m.theme(), m.name(),
                    m.kind().name().toLowerCase(java.util.Locale.ROOT), at.toString(),
                    at.isBefore(provisionalFrom) ? "consolidé" : "provisoire",
                    denominator > 0 ? observed / denominator : null, denominator > 0 ? expected / denominator : null,
                    r.<Long>getAs(PrescriberProfiles.NUMERATOR_PATIENTS)});
            }
        }
        return cells.hide(TREND.dataset(spark, rows), TREND_SECRECY.patientCounts(), TREND_SECRECY.measures());
    }

    /** Assessment rows of the month, judged, in a stable order. */
    private static List<Row> judged(Publisher.Tables t, YearMonth month) {
        return t.metrics().where(col("window_month").equalTo(month.toString())
                        .and(col("level").notEqual(Level.NOT_JUDGED.name())))
                .orderBy("theme", "metric", "prescriber_id").collectAsList();
    }

    /** Per-prescriber funnel limits of {@code prescriber_metrics}, when the statistics publish them. */
    static final List<String> LIMIT_COLUMNS = List.of("limit_95_lower", "limit_95_upper", "limit_998_lower", "limit_998_upper");

    /**
     * Funnels per measure. The limits drawn are those that decided. When {@code prescriber_metrics}
     * publishes each prescriber's limits ({@link #LIMIT_COLUMNS}, at its E, with its peer group's
     * dispersion), each peer group's curves join its prescribers' limits. Otherwise they are
     * {@code 1 ± z·√φ/√E} for the atypical and strong z thresholds of {@code atypie.atypie.thresholds},
     * with the measure's over-dispersion φ when the table publishes one (multiplicative correction),
     * plain Poisson limits otherwise. The point colours are the published levels, which also weigh
     * the shrunk ratio, so a point beyond a curve may stay "Dans la norme".
     */
    static HtmlReport report(AtypieConfig config, YearMonth month, Publisher.Tables t, String hiddenLabel) {
        HtmlReport r = new HtmlReport("atypie – " + config.region().name() + " – " + month + " – prescripteurs (diffusion restreinte)",
                "Entonnoirs par thème et mesure, fenêtre de 12 mois se terminant en " + month
                        + ". Document nominatif : service médical et équipes de coordination seulement.", hiddenLabel);
        AtypieSettings.Thresholds th = config.atypie().thresholds();
        boolean multiplicative = config.methods().overDispersion() == OverDispersion.Mode.MULTIPLICATIVE;
        r.section("Lecture");
        r.paragraph("Chaque point est un prescripteur évalué : ratio observé / attendu (SR, à patientèle comparable, pairs de "
                + "même spécialité et niveau d'activité) selon le nombre attendu E. Couleur : le niveau retenu, qui exige "
                + "à la fois z ajusté ≥ " + FrenchFormat.number(th.atypicalZ(), 2) + " (atypique) ou ≥ "
                + FrenchFormat.number(th.strongZ(), 2) + " (atypie forte) et un ratio lissé (Bayes empirique) ≥ "
                + FrenchFormat.number(th.atypicalRatio(), 2) + " ou " + FrenchFormat.number(th.strongRatio(), 2)
                + ". Les courbes sont les limites de ces seuils de z qui ont décidé : celles publiées pour chaque "
                + "prescripteur, reliées par groupe de pairs, quand la table les donne ; sinon 1 ± z·√φ / √E, φ étant la "
                + "surdispersion de la mesure" + (multiplicative ? "" : " (correction additive : courbes de Poisson, indicatives)")
                + ". Les "
                + LABELLED + " points les plus extrêmes parmi les signalés sont étiquetés ; tous les signalés sont dans le "
                + "tableau sous l'entonnoir. Les lignes sous le seuil de secret (" + hiddenLabel + " patients) ne sont pas "
                + "tracées.");
        Map<String, Metric> metricOf = new TreeMap<>();
        config.atypie().metrics().forEach(m -> metricOf.put(m.theme() + "/" + m.name(), m));
        Map<String, List<Row>> byMetric = new TreeMap<>();
        for (Row a : judged(t, month)) {
            byMetric.computeIfAbsent(a.<String>getAs("theme") + "/" + a.<String>getAs("metric"), k -> new ArrayList<>()).add(a);
        }
        String theme = null;
        for (var e : byMetric.entrySet()) {
            Metric m = metricOf.get(e.getKey());
            String themeLabel = m == null ? e.getKey() : m.themeLabel();
            if (!themeLabel.equals(theme)) {
                r.section(themeLabel);
                theme = themeLabel;
            }
            List<Row> visible = e.getValue().stream().filter(a -> !secret(a) && positive(a, "expected") && finite(a, "ratio")).toList();
            int secret = (int) e.getValue().stream().filter(PrescriberReports::secret).count();
            double phi = phi(e.getValue(), multiplicative);
            List<Row> flagged = visible.stream().filter(a -> flagged(a)).sorted(Comparator.comparingDouble(
                    (Row a) -> -value(a, "z_adjusted")).thenComparing(a -> a.<String>getAs("prescriber_id"))).toList();
            List<String> labelled = flagged.stream().limit(LABELLED).map(a -> a.<String>getAs("prescriber_id")).toList();
            List<FunnelPlot.Point> points = new ArrayList<>();
            for (Row a : visible) {
                Level level = Level.valueOf(a.getAs("level"));
                points.add(new FunnelPlot.Point(a.getAs("prescriber_id"), a.getAs("expected"), a.getAs("ratio"),
                        LEVELS.get(level)[0], labelled.contains(a.<String>getAs("prescriber_id")), true));
            }
            if (points.isEmpty()) {
                r.note((m == null ? e.getKey() : m.label()) + " : aucun prescripteur traçable (" + secret + " sous le seuil de secret).");
                continue;
            }
            double sd = Math.sqrt(phi);
            List<FunnelPlot.Category> legend = new ArrayList<>();
            for (Level l : List.of(Level.STRONG, Level.ATYPICAL, Level.GAIN_POTENTIAL, Level.NEUTRAL, Level.CONFORMING)) {
                if (visible.stream().anyMatch(a -> l.name().equals(a.getAs("level")))) {
                    legend.add(new FunnelPlot.Category(LEVELS.get(l)[1], LEVELS.get(l)[0]));
                }
            }
            List<FunnelPlot.GroupLimits> groups = groupLimits(visible);
            FunnelPlot.Limits atypical = groups.isEmpty() ? new FunnelPlot.Limits(x -> 1 - th.atypicalZ() * sd / Math.sqrt(x),
                    x -> 1 + th.atypicalZ() * sd / Math.sqrt(x)) : null;
            FunnelPlot.Limits strong = groups.isEmpty() ? new FunnelPlot.Limits(x -> 1 - th.strongZ() * sd / Math.sqrt(x),
                    x -> 1 + th.strongZ() * sd / Math.sqrt(x)) : null;
            String label = m == null ? e.getKey() : m.label();
            List<List<ReportTable.Cell>> rows = new ArrayList<>();
            for (Row a : flagged) {
                rows.add(List.of(ReportTable.Cell.of(a.getAs("prescriber_id")), ReportTable.Cell.of(Departments.label(a.getAs("dept"))),
                        ReportTable.Cell.of(peers(a.getAs("peer_group"), config.atypie().activityBands())), n(a, "expected", 1), n(a, "ratio", 2),
                        ReportTable.Cell.of(n(a, "ratio_lower", 2).text() + " – " + n(a, "ratio_upper", 2).text()),
                        n(a, "shrunk_ratio", 2), n(a, "z_adjusted", 2), ReportTable.Cell.of(LEVELS.get(Level.valueOf(a.getAs("level")))[1])));
            }
            List<String> limitLabels = groups.isEmpty()
                    ? List.of("z = " + FrenchFormat.number(th.atypicalZ(), 2) + " (atypique)",
                            "z = " + FrenchFormat.number(th.strongZ(), 2) + " (atypie forte)")
                    : List.of("Limites 95 % de chaque groupe de pairs", "Limites 99,8 % de chaque groupe de pairs");
            r.chart(new FunnelPlot(themeLabel + " – " + label, "Attendu E (à patientèle comparable)", "Observé / attendu (SR)",
                            points, atypical, strong, limitLabels, legend, groups),
                    label + " : " + visible.size() + " prescripteurs tracés, " + flagged.size() + " signalés, " + secret
                            + " sous le seuil de secret ; " + (groups.isEmpty() ? "φ = " + FrenchFormat.number(phi, 2)
                            : "limites publiées par prescripteur, " + groups.size() + " groupe(s) de pairs") + ".",
                    new ReportTable(label + " : prescripteurs signalés", List.of("Prescripteur", "Département", "Groupe de pairs",
                            "Attendu E", "SR", "IC 95 %", "SR lissé", "z ajusté", "Niveau"),
                            List.of(false, false, false, true, true, true, true, true, false), rows));
        }
        r.footer("Diffusion restreinte : identifiants de prescripteurs ; aucun identifiant de patient ; cellules de moins de "
                + config.publish().smallCellThreshold() + " patients masquées.");
        return r;
    }

    private static boolean flagged(Row a) {
        String l = a.getAs("level");
        return Level.STRONG.name().equals(l) || Level.ATYPICAL.name().equals(l) || Level.GAIN_POTENTIAL.name().equals(l);
    }

    /**
     * The published limits of the drawn prescribers, per peer group (in its order), when the table
     * has {@link #LIMIT_COLUMNS}; empty otherwise (the φ curves are drawn instead). A prescriber
     * without its four limits is left out of its group's curves, not of the plot.
     */
    static List<FunnelPlot.GroupLimits> groupLimits(List<Row> visible) {
        if (visible.isEmpty() || !List.of(visible.get(0).schema().fieldNames()).containsAll(LIMIT_COLUMNS)) {
            return List.of();
        }
        Map<String, List<FunnelPlot.LimitPoint>> byGroup = new TreeMap<>();
        for (Row a : visible) {
            if (LIMIT_COLUMNS.stream().allMatch(c -> finite(a, c))) {
                byGroup.computeIfAbsent(a.getAs("peer_group"), k -> new ArrayList<>()).add(new FunnelPlot.LimitPoint(
                        a.getAs("expected"), a.getAs(LIMIT_COLUMNS.get(0)), a.getAs(LIMIT_COLUMNS.get(1)),
                        a.getAs(LIMIT_COLUMNS.get(2)), a.getAs(LIMIT_COLUMNS.get(3))));
            }
        }
        return byGroup.values().stream().map(FunnelPlot.GroupLimits::new).toList();
    }

    /** The measure's φ (one per measure and peer group: the median of what is published), 1 when absent. */
    static double phi(List<Row> rows, boolean multiplicative) {
        if (!multiplicative || rows.isEmpty() || !List.of(rows.get(0).schema().fieldNames()).contains("phi")) {
            return 1.0;
        }
        double[] v = rows.stream().filter(a -> finite(a, "phi")).mapToDouble(a -> a.<Double>getAs("phi")).sorted().toArray();
        return v.length == 0 ? 1.0 : Math.max(1.0, v[v.length / 2]);
    }

    /**
     * One profile sheet per prescriber on an action list of the month, within its capacity (the
     * visits and exchanges of the month): who, the segment and its reason, each measure against
     * peers, the 24-month trend of the main measures, the procedure state, previous contacts.
     * Files {@code profils/<dept>-<nnn>.html} and their index {@code profils/index.html}.
     *
     * @param trend  {@code prescriber_trend} as published
     * @param states {@code procedure_state} as published
     */
    static Map<String, HtmlReport> profiles(AtypieConfig config, YearMonth month, Publisher.Tables t, String hiddenLabel,
                                            CampaignHistory history, Dataset<Row> trend, Dataset<Row> states) {
        Map<String, List<Row>> series = new TreeMap<>();
        trend.orderBy("prescriber_id", "theme", "metric", "month").collectAsList()
                .forEach(x -> series.computeIfAbsent(x.getAs("prescriber_id"), k -> new ArrayList<>()).add(x));
        Map<String, List<Row>> procedure = new TreeMap<>();
        states.orderBy("prescriber_id", "theme").collectAsList()
                .forEach(x -> procedure.computeIfAbsent(x.getAs("prescriber_id"), k -> new ArrayList<>()).add(x));
        Map<String, String> themeLabels = new TreeMap<>();
        config.atypie().metrics().forEach(m -> themeLabels.put(m.theme(), m.themeLabel()));
        YearMonth provisionalFrom = month.minusMonths(config.dcir().consolidationMonths() - 1L);
        Map<String, Row> segments = new TreeMap<>();
        t.segments().collectAsList().forEach(s -> segments.put(s.getAs("prescriber_id"), s));
        Map<String, List<Row>> targets = new TreeMap<>();
        t.targeting().where(col("within_capacity")).orderBy("action", "rank").collectAsList()
                .forEach(x -> targets.computeIfAbsent(x.getAs("prescriber_id"), k -> new ArrayList<>()).add(x));
        Map<String, List<Row>> metrics = new TreeMap<>();
        t.metrics().where(col("window_month").equalTo(month.toString())).orderBy("theme", "metric").collectAsList()
                .forEach(a -> metrics.computeIfAbsent(a.getAs("prescriber_id"), k -> new ArrayList<>()).add(a));
        Map<String, Metric> metricOf = new TreeMap<>();
        config.atypie().metrics().forEach(m -> metricOf.put(m.theme() + "/" + m.name(), m));
        Map<String, HtmlReport> out = new LinkedHashMap<>();
        // Files are numbered per department, not named by prescriber: the manifest, which lists every
        // published file at the top of the month, must not carry a prescriber identifier (issue 18).
        Map<String, Integer> perDept = new TreeMap<>();
        List<List<ReportTable.Cell>> index = new ArrayList<>();
        for (var e : targets.entrySet()) {
            String id = e.getKey();
            Row s = segments.get(id);
            Row first = e.getValue().get(0);
            String dept = first.getAs("dept");
            if (dept == null || !FILE_ID.matcher(dept).matches()) {
                throw new IllegalArgumentException("prescriber " + id + ": department '" + dept + "' cannot name a profile file");
            }
            String file = dept + "-" + String.format(java.util.Locale.ROOT, "%03d", perDept.merge(dept, 1, Integer::sum)) + ".html";
            index.add(List.of(ReportTable.Cell.of(id), ReportTable.Cell.of(Departments.label(dept)),
                    ReportTable.Cell.of(e.getValue().stream().map(x -> x.<String>getAs("action")).distinct()
                            .reduce((a, b) -> a + ", " + b).orElse("")), ReportTable.Cell.of(file)));
            HtmlReport r = new HtmlReport("Profil du prescripteur " + id, "Fenêtre de 12 mois se terminant en " + month
                    + " · diffusion restreinte (service médical, DAM)", hiddenLabel).asSheet();
            r.section("Qui");
            r.keyFigures(List.of(
                    new String[] {"Département", Departments.label(first.getAs("dept"))},
                    new String[] {"Spécialité", Specialties.label(first.getAs("specialty"))},
                    new String[] {"Groupe de pairs", s == null ? "–" : peers(s.getAs("peer_group"), config.atypie().activityBands())},
                    new String[] {"Patientèle (12 mois)", first.isNullAt(first.fieldIndex("base_patients")) ? hiddenLabel
                            : FrenchFormat.number(first.<Long>getAs("base_patients"), 0)}));
            r.section("Segment et motif");
            StringBuilder actions = new StringBuilder();
            for (Row x : e.getValue()) {
                actions.append(actions.length() == 0 ? "" : " ; ").append(x.<String>getAs("action")).append(" (rang ")
                        .append(x.<Integer>getAs("rank")).append(Boolean.TRUE.equals(x.getAs("within_capacity"))
                                ? ", dans la capacité du mois)" : ", au-delà de la capacité du mois)");
            }
            r.paragraph((s == null ? first.<String>getAs("segment_label") : s.<String>getAs("segment_label"))
                    + " – action proposée : " + actions + ".");
            r.note("Motif : " + first.<String>getAs("reason"));
            r.section("Chaque mesure face aux pairs");
            List<List<ReportTable.Cell>> rows = new ArrayList<>();
            for (Row a : metrics.getOrDefault(id, List.of())) {
                Metric m = metricOf.get(a.<String>getAs("theme") + "/" + a.<String>getAs("metric"));
                String name = m == null ? a.getAs("metric") : m.themeLabel() + " – " + m.label();
                if (secret(a)) {
                    rows.add(List.of(ReportTable.Cell.of(name), ReportTable.Cell.HIDDEN, ReportTable.Cell.HIDDEN,
                            ReportTable.Cell.HIDDEN, ReportTable.Cell.HIDDEN, ReportTable.Cell.HIDDEN,
                            ReportTable.Cell.of("masqué (secret)")));
                    continue;
                }
                Double obs = a.getAs("observed");
                Double den = a.getAs("denominator");
                Double exp = a.getAs("expected");
                double scale = m != null && isShare(m, config.indicators()) ? 100 : 1;   // a share in %, a volume per unit
                rows.add(List.of(ReportTable.Cell.of(name),
                        ReportTable.Cell.of(perUnit(obs, den, scale)), ReportTable.Cell.of(perUnit(exp, den, scale)),
                        n(a, "percentile", 0),
                        ReportTable.Cell.of(n(a, "ratio", 2).text() + " [" + n(a, "ratio_lower", 2).text() + " – "
                                + n(a, "ratio_upper", 2).text() + "]"),
                        n(a, "shrunk_ratio", 2), ReportTable.Cell.of(LEVELS.get(Level.valueOf(a.getAs("level")))[1])));
            }
            r.table(new ReportTable("Valeur du prescripteur et moyenne de ses pairs à patientèle égale (parts en %, "
                    + "volumes par unité du dénominateur : par patient, par boîte...)", List.of("Mesure", "Valeur", "Moyenne des pairs", "Percentile", "Ratio O/A [IC 95 %]",
                    "Ratio lissé", "Niveau"), List.of(false, true, true, true, true, true, false), rows));
            trendSection(r, config, month, provisionalFrom, mainMeasures(metrics.getOrDefault(id, List.of())),
                    series.getOrDefault(id, List.of()), metricOf, hiddenLabel);
            procedureSection(r, procedure.getOrDefault(id, List.of()), themeLabels);
            r.section("Contacts précédents");
            List<CampaignContact> contacts = history.contacts().stream().filter(c -> c.prescriber().equals(id))
                    .sorted(Comparator.comparing(CampaignContact::start)).toList();
            if (contacts.isEmpty()) {
                r.paragraph("Aucun contact enregistré dans l'historique des campagnes.");
            } else {
                List<List<ReportTable.Cell>> cs = new ArrayList<>();
                for (CampaignContact c : contacts) {
                    cs.add(List.of(ReportTable.Cell.of(c.campaign()), ReportTable.Cell.of(c.action().name()),
                            ReportTable.Cell.of(c.theme()), ReportTable.Cell.of(c.start().toString()),
                            ReportTable.Cell.of(c.end().map(YearMonth::toString).orElse("en cours")),
                            ReportTable.Cell.of(c.outcome())));
                }
                r.table(new ReportTable(null, List.of("Campagne", "Action", "Thème", "Début", "Fin", "Issue / état de la procédure"),
                        List.of(false, false, false, false, false, false), cs));
            }
            r.footer("atypie · " + month + " · aucune donnée de patient ; valeurs sur moins de "
                    + config.publish().smallCellThreshold() + " patients masquées (" + hiddenLabel + ").");
            out.put(PROFILES + "/" + file, r);
        }
        if (!index.isEmpty()) {
            out.put(PROFILES + "/" + INDEX, new HtmlReport("Profils des prescripteurs – " + month, "Diffusion restreinte : "
                    + "une fiche par prescripteur des listes du mois, dans la capacité des équipes.", hiddenLabel).asSheet()
                    .section("Fiches").table(new ReportTable(null, List.of("Prescripteur", "Département", "Action", "Fiche"),
                            List.of(false, false, false, false), index)));
        }
        return out;
    }

    /**
     * The prescriber's main measures, at most {@link #TREND_MEASURES_SHOWN}: judged ones, those that
     * decided first (strong, atypical, gain potential), then by excess amount as the segment orders
     * its drivers.
     */
    static List<String> mainMeasures(List<Row> assessments) {
        List<Level> order = List.of(Level.STRONG, Level.ATYPICAL, Level.GAIN_POTENTIAL, Level.NEUTRAL, Level.CONFORMING);
        return assessments.stream().filter(a -> order.contains(Level.valueOf(a.getAs("level"))))
                .sorted(Comparator.comparingInt((Row a) -> order.indexOf(Level.valueOf(a.getAs("level"))))
                        .thenComparingDouble(a -> -value(a, "excess_amount"))
                        .thenComparing(a -> a.<String>getAs("theme") + "/" + a.getAs("metric")))
                .limit(TREND_MEASURES_SHOWN).map(a -> a.<String>getAs("theme") + "/" + a.getAs("metric")).toList();
    }

    /**
     * "Évolution sur 24 mois": the main measures side by side, the prescriber against the peers on
     * the same patients, each point a short rolling window; hidden months are gaps; the figures in
     * a folded table.
     */
    private static void trendSection(HtmlReport r, AtypieConfig config, YearMonth month, YearMonth provisionalFrom, List<String> measures,
                                     List<Row> series, Map<String, Metric> metricOf, String hiddenLabel) {
        r.section("Évolution sur " + TREND_MONTHS + " mois");
        Map<String, Map<YearMonth, Row>> byMeasure = new LinkedHashMap<>();
        measures.forEach(k -> byMeasure.put(k, new TreeMap<>()));
        for (Row x : series) {
            Map<YearMonth, Row> points = byMeasure.get(x.<String>getAs("theme") + "/" + x.getAs("metric"));
            if (points != null) {
                points.put(YearMonth.parse(x.getAs("month")), x);
            }
        }
        byMeasure.values().removeIf(Map::isEmpty);
        if (byMeasure.isEmpty()) {
            r.paragraph("Pas de série mensuelle pour ce prescripteur (aucune mesure jugée, ou extrait trop court).");
            return;
        }
        YearMonth first = byMeasure.values().stream().map(pts -> ((TreeMap<YearMonth, Row>) pts).firstKey())
                .min(YearMonth::compareTo).orElse(month);
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(month); m = m.plusMonths(1)) {
            months.add(m);
        }
        List<TrendPanels.Panel> panels = new ArrayList<>();
        List<String> headers = new ArrayList<>(List.of("Fin de la fenêtre"));
        List<List<ReportTable.Cell>> data = new ArrayList<>();
        months.forEach(m -> data.add(new ArrayList<>(List.of(ReportTable.Cell.of(FrenchFormat.month(m)
                + (m.isBefore(provisionalFrom) ? "" : " (provisoire)"))))));
        for (var e : byMeasure.entrySet()) {
            Metric m = metricOf.get(e.getKey());
            double scale = m != null && isShare(m, config.indicators()) ? 100 : 1;
            String name = m == null ? e.getKey() : m.label() + (scale == 100 ? " (%)" : "");
            List<Double> own = new ArrayList<>();
            List<Double> peers = new ArrayList<>();
            for (int i = 0; i < months.size(); i++) {
                Row x = e.getValue().get(months.get(i));
                boolean hidden = x != null && secret(x);
                Double v = x == null || !finite(x, "value") ? null : scale * x.<Double>getAs("value");
                Double p = x == null || !finite(x, "peer_mean") ? null : scale * x.<Double>getAs("peer_mean");
                own.add(v);
                peers.add(p);
                data.get(i).add(hidden ? ReportTable.Cell.HIDDEN : ReportTable.Cell.of(v == null ? "–" : FrenchFormat.number(v, 2)));
                data.get(i).add(hidden ? ReportTable.Cell.HIDDEN : ReportTable.Cell.of(p == null ? "–" : FrenchFormat.number(p, 2)));
            }
            panels.add(new TrendPanels.Panel(name, List.of(own, peers), 2));
            headers.add(name + " : prescripteur");
            headers.add("pairs");
        }
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        headers.stream().skip(1).forEach(h -> numeric.add(true));
        r.chart(new TrendPanels("Ses principales mesures, chaque mois sur " + TREND_WINDOW + " mois glissants",
                        List.of("Prescripteur", "Moyenne des pairs à patientèle égale"), months, provisionalFrom, panels),
                "Valeur de chaque fenêtre de " + TREND_WINDOW + " mois de soins se terminant le mois indiqué ; mois grisés : "
                        + "provisoires (à partir de " + FrenchFormat.month(provisionalFrom) + "), les flux en retard y "
                        + "sous-estiment les volumes ; un mois vide est masqué (moins de " + hiddenLabel.replace("< ", "")
                        + " patients concernés) ou sans patient.",
                new ReportTable("Évolution : données", headers, numeric, data));
    }

    /** "Procédure (art. L162-1-15)": the prescriber's step per theme this month, and what comes next. */
    private static void procedureSection(HtmlReport r, List<Row> states, Map<String, String> themeLabels) {
        r.section("Procédure (art. L162-1-15)");
        if (states.isEmpty()) {
            r.paragraph("Aucune procédure en cours : critère légal non rempli ce mois-ci et aucune étape ouverte.");
            return;
        }
        List<List<ReportTable.Cell>> rows = new ArrayList<>();
        for (Row x : states) {
            boolean hidden = secret(x);
            rows.add(List.of(ReportTable.Cell.of(themeLabels.getOrDefault(x.<String>getAs("theme"), x.getAs("theme"))),
                    ReportTable.Cell.of(x.getAs("step_label")), ReportTable.Cell.of(text(x, "since")),
                    ReportTable.Cell.of(text(x, "until")), ReportTable.Cell.of(yesNo(x, "criterion_met")),
                    hidden ? ReportTable.Cell.HIDDEN : ReportTable.Cell.of(text(x, "reason")),
                    ReportTable.Cell.of(text(x, "next_step"))));
        }
        r.table(new ReportTable(null, List.of("Thème", "Étape", "Depuis", "Jusqu'à", "Critère légal ce mois", "Motif",
                "Prochaine étape"), List.of(false, false, false, false, false, false, false), rows));
    }

    private static String text(Row x, String c) {
        int i = x.fieldIndex(c);
        return x.isNullAt(i) ? "–" : x.get(i).toString();
    }

    private static String yesNo(Row x, String c) {
        int i = x.fieldIndex(c);
        return x.isNullAt(i) ? "–" : x.getBoolean(i) ? "oui" : "non";
    }

    /** Observed (or expected) per unit of the denominator, a share in % (scale 100), or the count when there is none. */
    private static String perUnit(Double v, Double den, double scale) {
        if (v == null) {
            return "–";
        }
        return den == null || den <= 0 ? FrenchFormat.number(v, 1)
                : scale == 100 ? FrenchFormat.percent(scale * v / den, 1) : FrenchFormat.number(v / den, 2);
    }

    /**
     * Whether a metric's value is a share of its denominator, shown in %: patients with something
     * among the patients seen, or boxes among boxes; not IJ days per patient with IJ.
     */
    static boolean isShare(Metric m, fr.atypie.indicators.IndicatorSettings indicators) {
        var numerator = indicators.measures().get(m.numeratorMeasure()).value();
        return m.denominatorMeasure().map(d -> indicators.measures().get(d).value() == numerator)
                .orElse(numerator == fr.atypie.indicators.MeasureDefinition.ValueKind.FLAG);
    }

    /**
     * "general-practice|800" with bands [0, 300, 800, 1500] → "Médecine générale, patientèle de 800 à
     * 1 499 patients" (a specialty group by its IR_SPE_V label).
     */
    static String peers(String group, List<Integer> bands) {
        int bar = group.lastIndexOf('|');
        String specialty = bar < 0 ? group : group.substring(0, bar);
        String name = specialty.equals(fr.atypie.atypie.Prescribers.GENERAL_PRACTICE) ? "Médecine générale"
                : specialty.matches("specialty-\\d+") ? Specialties.label(Integer.parseInt(specialty.substring("specialty-".length())))
                : specialty;
        String band = bar < 0 ? "" : group.substring(bar + 1);
        if (!band.matches("\\d+") || !bands.contains(Integer.parseInt(band))) {
            return bar < 0 ? name : name + ", tranche d'activité " + band;
        }
        int i = bands.indexOf(Integer.parseInt(band));
        if (bands.size() == 1) {
            return name;
        }
        return name + ", patientèle de " + FrenchFormat.number(bands.get(i), 0) + (i == bands.size() - 1 ? " patients et plus"
                : " à " + FrenchFormat.number(bands.get(i + 1) - 1, 0) + " patients");
    }

    private static boolean secret(Row a) {
        int s = a.fieldIndex(PublishColumns.SECRET);
        return !a.isNullAt(s) && a.getBoolean(s);
    }

    private static boolean positive(Row a, String c) {
        return finite(a, c) && a.<Double>getAs(c) > 0;
    }

    private static boolean finite(Row a, String c) {
        int i = a.fieldIndex(c);
        return !a.isNullAt(i) && Double.isFinite(a.getDouble(i));
    }

    private static double value(Row a, String c) {
        return finite(a, c) ? a.<Double>getAs(c) : Double.NEGATIVE_INFINITY;
    }

    private static ReportTable.Cell n(Row a, String c, int decimals) {
        return ReportTable.Cell.of(finite(a, c) ? FrenchFormat.number(a.<Double>getAs(c), decimals) : "–");
    }
}
