package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;

import fr.atypie.atypie.Metric;
import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.Segment;
import fr.atypie.campaigns.PublishedEvaluation;
import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.SmallCells;
import fr.atypie.publish.report.BarChart;
import fr.atypie.publish.report.FunnelPlot;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.LineChart;
import fr.atypie.publish.report.ReportTable;
import fr.atypie.quality.QualityReport;
import fr.atypie.quality.QualityOutputs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The month's self-contained HTML report for the coordination teams: CPG scorecard by department,
 * indicators of the month's window, savings against the trend, funnel plots of prescribers per
 * theme, segment sizes and data quality. It is built from the published tables (small cells
 * already hidden), so it shows nothing the exports do not. It names prescribers (funnel outliers),
 * never patients.
 */
public final class MonthlyReport {
    /** The report's file name in the month's folder. */
    public static final String REPORT_FILE = "rapport.html";

    private MonthlyReport() {}

    /** Rows read, kept and quarantined of one SNDS table: what the report says of data quality. */
    record TableCounts(String table, long rowsIn, long kept, long quarantined) {
        static List<TableCounts> of(QualityReport q) {
            return q.tables().stream().map(t -> new TableCounts(t.table().name(), t.rowsIn(), t.kept(), t.quarantined()))
                    .toList();
        }
    }

    /**
     * Re-renders {@code rapport.html} of a published month from its published tables alone (the
     * Parquet files and {@code quality/quality-report.json}), with the builder the refresh uses, and
     * replaces the published file atomically (written aside, then renamed over it).
     *
     * @param publication the month's folder, {@code OUT/YYYY-MM}
     */
    public static Path render(SparkSession spark, AtypieConfig config, Path publication, YearMonth month) throws IOException {
        Path json = publication.resolve("quality").resolve(QualityOutputs.REPORT_JSON);
        for (Path required : List.of(publication.resolve("manifest.json"), json)) {
            if (!Files.isRegularFile(required)) {
                throw new InputError(publication + " is not a published month: " + publication.relativize(required)
                        + " is missing (run 'atypie refresh --month " + month + "' first)");
            }
        }
        Publisher.Tables published = new Publisher.Tables(read(spark, publication, "indicators"),
                read(spark, publication, "trend"), read(spark, publication, "scorecard"), read(spark, publication, "scores"),
                read(spark, publication, Publisher.RESTRICTED + "/segments"),
                read(spark, publication, Publisher.RESTRICTED + "/prescriber_metrics"),
                read(spark, publication, Publisher.RESTRICTED + "/targeting"),
                read(spark, publication, Publisher.RESTRICTED + "/typology"));
        List<TableCounts> quality = new ArrayList<>();
        for (Config t : ConfigFactory.parseFile(json.toFile()).getConfigList("tables")) {
            quality.add(new TableCounts(t.getString("table"), t.getLong("rows_in"), t.getLong("kept"), t.getLong("quarantined")));
        }
        HtmlReport report = build(config, month, published, quality, SmallCells.from(config.publish()).hiddenLabel(),
                PublishedEvaluation.readAll(publication.resolve(Publisher.EVALUATIONS)));
        Path target = publication.resolve(REPORT_FILE);
        Path aside = publication.resolve("." + REPORT_FILE + ".tmp");
        report.write(aside);
        return Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Dataset<Row> read(SparkSession spark, Path publication, String table) {
        Path file = publication.resolve(table + ".parquet");
        if (!Files.isRegularFile(file)) {
            throw new InputError(publication + ": published table " + table + ".parquet is missing");
        }
        return spark.read().parquet(file.toString());
    }

    /**
     * The report, from the published tables (small cells already hidden), the data-quality counts
     * and the month's copies of the campaign evaluations (none: no evaluation section): the refresh
     * and {@code atypie report} call this same builder, so they give the same bytes.
     */
    static HtmlReport build(AtypieConfig config, YearMonth month, Publisher.Tables published, List<TableCounts> quality,
                            String hiddenLabel, List<PublishedEvaluation> evaluations) {
        HtmlReport r = new HtmlReport("atypie – " + config.region().name() + " – " + month,
                "Indicateurs CPG standardisés, atypie des prescripteurs et ciblage de l'accompagnement ; "
                        + "fenêtres de 12 mois glissants se terminant en " + month + ".", hiddenLabel);

        Map<Segment, Integer> counts = new EnumMap<>(Segment.class);
        long prescribers = 0;
        for (Row row : published.segments().groupBy("segment").count().collectAsList()) {
            counts.put(Segment.valueOf(row.getString(0)), (int) row.getLong(1));
            prescribers += row.getLong(1);
        }
        long quarantined = quality.stream().mapToLong(TableCounts::quarantined).sum();
        r.section("Chiffres clés");
        r.keyFigures(List.of(
                new String[] {"Prescripteurs évalués", fmt(prescribers - counts.getOrDefault(Segment.NOT_ASSESSABLE, 0))},
                new String[] {"Échanges confraternels proposés", fmt(counts.getOrDefault(Segment.ATYPICAL, 0))},
                new String[] {"Candidats MSO/MSAP", fmt(counts.getOrDefault(Segment.STRONGLY_ATYPICAL, 0))},
                new String[] {"Retours positifs", fmt(counts.getOrDefault(Segment.CONFORMING, 0))},
                new String[] {"Lignes mises en quarantaine", fmt(quarantined)}));

        r.section("Tableau de bord CPG par département");
        r.paragraph("Score = Σ(taux de réussite de l'axe × points de l'axe) / 1 000. Un département n'a de score que si "
                + "chaque indicateur du contrat a un résultat (mesuré ici ou saisi dans conf/cpg.conf).");
        r.table(ReportTable.of("Scores CPG", ExportTable.collect("scores", published.scores(), List.of("dept")),
                OutputTables.labels(OutputTables.SCORE), Map.of("score", 2)));

        r.section("Indicateurs de la fenêtre " + month);
        r.paragraph("Valeur brute et valeur standardisée sur l'âge, le sexe et l'ALD (standardisation indirecte, "
                + "référence régionale), avec l'intervalle de confiance à 95 % du ratio observé / attendu.");
        r.table(ReportTable.of("Indicateurs par territoire", ExportTable.collect("indicators",
                        published.indicators().where(col("window_month").equalTo(month.toString()))
                                .select("label", "territory", "status", "value", "standardised_value", "standardised_ratio",
                                        "ratio_lower", "ratio_upper", "previous_value", "patients", "secret"),
                        List.of("label", "territory")),
                OutputTables.labels(OutputTables.INDICATORS), Map.of("standardised_ratio", 2, "ratio_lower", 2, "ratio_upper", 2)));

        r.section("Économies par rapport à la tendance");
        r.paragraph("Série observée et série attendue (" + config.indicators().savings().method().name()
                .toLowerCase(Locale.ROOT).replace('_', ' ') + ") côte à côte, région entière ; l'écart cumulé "
                + "sur la fenêtre est l'économie publiée (en MEUR) dans le tableau des indicateurs.");
        for (TrendSavings.Series s : config.indicators().savings().series()) {
            List<Row> points = published.trend().where(col("series").equalTo(s.name())
                    .and(col("territory").equalTo(config.region().code()))).orderBy("month").collectAsList();
            if (points.isEmpty()) {
                continue;
            }
            List<YearMonth> months = new ArrayList<>();
            List<Double> observed = new ArrayList<>();
            List<Double> expected = new ArrayList<>();
            for (Row p : points) {
                months.add(YearMonth.parse(p.getAs("month")));
                observed.add(p.getAs("observed"));
                expected.add(p.getAs("expected"));
            }
            r.chart(new LineChart(s.label(), "EUR par mois", months, List.of(
                    new LineChart.Series("Observé", observed, false),
                    new LineChart.Series("Tendance attendue", expected, true)), true), s.label());
        }

        r.section("Prescripteurs : entonnoirs par thème");
        r.paragraph("Chaque point est un prescripteur évalué : ratio observé / attendu (à patientèle comparable, "
                + "pairs de même spécialité et niveau d'activité) selon le volume attendu. Les limites à 95 % et "
                + "99,8 % se resserrent quand le volume croît (Spiegelhalter, 2005) ; le classement en segments "
                + "utilise en plus la correction de surdispersion et l'estimation lissée (Bayes empirique).");
        Map<String, Metric> metricOf = new TreeMap<>();
        config.atypie().metrics().forEach(m -> metricOf.put(m.id(), m));
        Map<String, List<FunnelPlot.Point>> byMetric = new TreeMap<>();
        Map<String, Metric> metrics = new TreeMap<>();
        List<Row> judged = published.metrics()
                .where(col("window_month").equalTo(month.toString()).and(col("expected").gt(0))
                        .and(col("ratio").isNotNull())
                        .and(col("level").notEqual(MetricAssessment.Level.NOT_JUDGED.name())))
                .select("theme", "metric", "prescriber_id", "expected", "ratio")
                .orderBy("theme", "metric", "prescriber_id").collectAsList();
        for (Row a : judged) {
            Metric m = metricOf.get(a.getString(0) + "/" + a.getString(1));
            if (m == null) {
                throw new InputError("prescriber_metrics: metric " + a.getString(0) + "/" + a.getString(1)
                        + " is not in atypie.atypie.themes of this configuration");
            }
            byMetric.computeIfAbsent(m.id(), k -> new ArrayList<>())
                    .add(new FunnelPlot.Point(a.getString(2), a.getDouble(3), a.getDouble(4)));
            metrics.put(m.id(), m);
        }
        for (var e : byMetric.entrySet()) {
            Metric m = metrics.get(e.getKey());
            r.chart(new FunnelPlot(m.themeLabel() + " – " + m.label(), "Attendu (à patientèle comparable)",
                    "Observé / attendu", e.getValue(), FunnelPlot.Limits.poisson(1.96), FunnelPlot.Limits.poisson(3.09)),
                    m.themeLabel() + " : " + e.getValue().size() + " prescripteurs évalués");
        }

        r.section("Segments et actions");
        List<BarChart.Bar> bars = new ArrayList<>();
        for (Segment s : Segment.values()) {
            bars.add(new BarChart.Bar(s.label() + " (" + s.action() + ")", (double) counts.getOrDefault(s, 0)));
        }
        r.chart(new BarChart("Prescripteurs par segment", "Prescripteurs", bars, 0, hiddenLabel),
                "Les listes d'action par département sont dans restricted/workbooks/.");

        r.section("Qualité des données");
        StringBuilder q = new StringBuilder();
        for (TableCounts t : quality) {
            q.append(String.format(Locale.FRANCE, "%s : %,d lignes lues, %,d gardées, %,d en quarantaine. ",
                    t.table(), t.rowsIn(), t.kept(), t.quarantined()));
        }
        r.paragraph(q.toString().trim());
        if (!evaluations.isEmpty()) {
            evaluations(r, evaluations);
        }
        r.footer("atypie – aucun identifiant de patient ; cellules de moins de " + config.publish().smallCellThreshold()
                + " patients masquées (" + hiddenLabel + ").");
        return r;
    }

    // French labels of the evaluation measures, windows and in-time placebo statuses.
    static final Map<String, String> MEASURES = Map.of(
            "ij_patient_share", "Part des patients débutant un arrêt (%, par mois)",
            "ij_days_per_ij_patient", "Jours d'IJ par patient en arrêt",
            "ij_days_per_patient", "Jours d'IJ par patient et par mois",
            "other_ij_days_per_patient", "Jours d'IJ prescrits par d'autres (contournement)");
    static final Map<String, String> STATUSES = Map.of(
            "ok", "calculé", "procedure_window", "sans objet", "too_few_months", "extrait trop court",
            "reaches_m0", "fenêtre atteignant M0", "no_match", "aucun témoin apparié", "no_estimate", "non estimable",
            "not_computed", "non calculé");

    static String window(String w) {
        return switch (w) {
            case "anticipation" -> "Anticipation (avant M0)";
            case "rebound" -> "Rebond (après la fin de procédure)";
            default -> w.matches("\\d+-\\d+") ? "M+" + w.replace("-", " à M+") : w;
        };
    }

    /**
     * "Évaluation des campagnes": per campaign, Δ with its 95 % interval per measure and window,
     * treated and control prescribers, both placebos, and the cost per contact. Secret rows (fewer
     * patients than the threshold) are empty in the files and shown as hidden.
     */
    static void evaluations(HtmlReport r, List<PublishedEvaluation> evaluations) {
        r.section("Évaluation des campagnes");
        r.paragraph("Différence de différences contre des prescripteurs témoins jamais contactés, appariés sur le niveau "
                + "et la tendance avant M0 : Δ = (contactés après − avant) − (témoins après − avant), intervalle bootstrap "
                + "à 95 %. Le placebo (prescripteurs tirés au hasard) et le placebo temporel (M0 avancé, données antérieures "
                + "à M0) doivent donner un Δ proche de 0. Évaluations publiées par atypie evaluate (evaluations/).");
        for (PublishedEvaluation e : evaluations) {
            if (e.problem().isPresent()) {
                r.note("Campagne " + e.campaign() + " : évaluation illisible (" + e.problem().get()
                        + ") ; relancer atypie evaluate.");
                continue;
            }
            List<List<ReportTable.Cell>> rows = new ArrayList<>();
            for (PublishedEvaluation.Effect x : e.effects()) {
                rows.add(List.of(ReportTable.Cell.of(MEASURES.getOrDefault(x.measure(), x.measure())),
                        ReportTable.Cell.of(window(x.window())), cell(x.did(), x.secret()), cell(x.ciLow(), x.secret()),
                        cell(x.ciHigh(), x.secret()), ReportTable.Cell.of(Integer.toString(x.treated())),
                        ReportTable.Cell.of(Integer.toString(x.controls())), cell(x.placeboDid(), x.secret()),
                        cell(x.timePlaceboDid(), x.secret()),
                        ReportTable.Cell.of(STATUSES.getOrDefault(x.timePlaceboStatus(), x.timePlaceboStatus()))));
            }
            r.table(new ReportTable("Campagne " + e.campaign() + " : effets", List.of("Mesure", "Fenêtre", "Δ",
                    "IC 95 % bas", "IC 95 % haut", "Contactés", "Témoins", "Δ placebo", "Δ placebo temporel",
                    "Placebo temporel"), List.of(false, false, true, true, true, true, true, true, true, false), rows));
            if (!e.costs().isEmpty()) {
                List<List<ReportTable.Cell>> costs = new ArrayList<>();
                for (PublishedEvaluation.Cost c : e.costs()) {
                    costs.add(List.of(ReportTable.Cell.of(window(c.window())), ReportTable.Cell.of(Integer.toString(c.contacts())),
                            cell(c.staffDays(), false), cell(c.netDaysPerContact(), c.secret()),
                            cell(c.netEurosPerContact(), c.secret())));
                }
                r.table(new ReportTable("Campagne " + e.campaign() + " : coût et effet par contact", List.of("Fenêtre",
                        "Contacts", "Jours de personnel", "Jours d'IJ évités nets par contact", "EUR évités nets par contact"),
                        List.of(false, true, true, true, true), costs));
            }
        }
    }

    /** A number with 3 decimals (French), "–" when undefined, hidden when secret. */
    private static ReportTable.Cell cell(double v, boolean secret) {
        if (secret) {
            return ReportTable.Cell.HIDDEN;
        }
        return ReportTable.Cell.of(Double.isFinite(v) ? String.format(Locale.FRANCE, "%.3f", v) : "–");
    }

    private static String fmt(long n) {
        return String.format(Locale.FRANCE, "%,d", n);
    }
}
