package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;

import fr.atypie.atypie.AtypieSettings;
import fr.atypie.atypie.Metric;
import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.config.AtypieConfig;
import fr.atypie.publish.PublishColumns;
import fr.atypie.publish.Specialties;
import fr.atypie.publish.report.Departments;
import fr.atypie.publish.report.FrenchFormat;
import fr.atypie.publish.report.FunnelPlot;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.ReportTable;
import fr.atypie.stats.OverDispersion;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;

/**
 * The prescriber-level documents, under {@code restricted/} only (medical service and
 * coordination teams): the funnels per theme ({@code rapport-prescripteurs.html}) and one
 * printable profile sheet per prescriber on an action list ({@code profils/<dept>-<nnn>.html},
 * listed by prescriber in {@code profils/index.html}), the page
 * a DAM adviser brings to a visit. Secret rows (fewer patients than the threshold) show no number
 * at all, not even the expected count or the ratio from which the observed count follows.
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

    private PrescriberReports() {}

    /** Writes the restricted report and the profile sheets into the release, under {@code restricted/}. */
    static void write(fr.atypie.publish.MonthlyRelease release, AtypieConfig config, YearMonth month, Publisher.Tables t,
                      CampaignHistory history) throws java.io.IOException {
        String hidden = release.smallCells().hiddenLabel();
        release.html(Publisher.RESTRICTED + "/" + REPORT, report(config, month, t, hidden));
        for (var p : profiles(config, month, t, hidden, history).entrySet()) {
            release.html(Publisher.RESTRICTED + "/" + p.getKey(), p.getValue());
        }
    }

    /** Assessment rows of the month, judged, in a stable order. */
    private static List<Row> judged(Publisher.Tables t, YearMonth month) {
        return t.metrics().where(col("window_month").equalTo(month.toString())
                        .and(col("level").notEqual(Level.NOT_JUDGED.name())))
                .orderBy("theme", "metric", "prescriber_id").collectAsList();
    }

    /**
     * Funnels per measure. The limits drawn are those that decided: {@code 1 + z·√φ/√E} for the
     * atypical and strong z thresholds of {@code atypie.atypie.thresholds}, with the measure's
     * over-dispersion φ when the table publishes one (multiplicative correction), plain Poisson
     * limits otherwise; the point colours are the published levels, which also weigh the shrunk
     * ratio, so a point beyond a curve may stay "Dans la norme".
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
                + ". Les courbes sont ces seuils de z : 1 + z·√φ / √E, φ étant la surdispersion de la mesure"
                + (multiplicative ? "" : " (correction additive : courbes de Poisson, indicatives)") + ". Les "
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
            FunnelPlot.Limits atypical = new FunnelPlot.Limits(x -> 1 - th.atypicalZ() * sd / Math.sqrt(x),
                    x -> 1 + th.atypicalZ() * sd / Math.sqrt(x));
            FunnelPlot.Limits strong = new FunnelPlot.Limits(x -> 1 - th.strongZ() * sd / Math.sqrt(x),
                    x -> 1 + th.strongZ() * sd / Math.sqrt(x));
            String label = m == null ? e.getKey() : m.label();
            List<List<ReportTable.Cell>> rows = new ArrayList<>();
            for (Row a : flagged) {
                rows.add(List.of(ReportTable.Cell.of(a.getAs("prescriber_id")), ReportTable.Cell.of(Departments.label(a.getAs("dept"))),
                        ReportTable.Cell.of(a.getAs("peer_group")), n(a, "expected", 1), n(a, "ratio", 2),
                        ReportTable.Cell.of(n(a, "ratio_lower", 2).text() + " – " + n(a, "ratio_upper", 2).text()),
                        n(a, "shrunk_ratio", 2), n(a, "z_adjusted", 2), ReportTable.Cell.of(LEVELS.get(Level.valueOf(a.getAs("level")))[1])));
            }
            r.chart(new FunnelPlot(themeLabel + " – " + label, "Attendu E (à patientèle comparable)", "Observé / attendu (SR)",
                            points, atypical, strong, List.of("z = " + FrenchFormat.number(th.atypicalZ(), 2) + " (atypique)",
                            "z = " + FrenchFormat.number(th.strongZ(), 2) + " (atypie forte)"), legend),
                    label + " : " + visible.size() + " prescripteurs tracés, " + flagged.size() + " signalés, " + secret
                            + " sous le seuil de secret ; φ = " + FrenchFormat.number(phi, 2) + ".",
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
     * visits and exchanges of the month): who, the segment and its
     * reason, each measure against peers, previous contacts. Files {@code profils/<dept>-<nnn>.html}
     * and their index {@code profils/index.html}.
     */
    static Map<String, HtmlReport> profiles(AtypieConfig config, YearMonth month, Publisher.Tables t, String hiddenLabel,
                                            CampaignHistory history) {
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
                    new String[] {"Groupe de pairs", s == null ? "–" : peers(s.getAs("peer_group"))},
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
                double scale = m != null && m.kind() == Metric.Kind.STRUCTURE ? 100 : 1;   // a share in %, a volume per unit
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

    /** Observed (or expected) per unit of the denominator (× scale), or the count when there is none. */
    private static String perUnit(Double v, Double den, double scale) {
        if (v == null) {
            return "–";
        }
        return den == null || den <= 0 ? FrenchFormat.number(v, 1) : FrenchFormat.number(scale * v / den, 2);
    }

    /** "general-practice|0" → "general-practice, tranche d'activité 0". */
    static String peers(String group) {
        int bar = group.lastIndexOf('|');
        return bar < 0 ? group : group.substring(0, bar) + ", tranche d'activité " + group.substring(bar + 1);
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
