package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;

import fr.atypie.atypie.Metric;
import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.PrescriberSegment;
import fr.atypie.atypie.Segment;
import fr.atypie.config.AtypieConfig;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.report.BarChart;
import fr.atypie.publish.report.FunnelPlot;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.LineChart;
import fr.atypie.publish.report.ReportTable;
import fr.atypie.quality.QualityReport;
import fr.atypie.quality.TableQuality;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The month's self-contained HTML report for the coordination teams: CPG scorecard by department,
 * indicators of the month's window, savings against the trend, funnel plots of prescribers per
 * theme, segment sizes and data quality. It is built from the published tables (small cells
 * already hidden), so it shows nothing the exports do not. It names prescribers (funnel outliers),
 * never patients.
 */
final class MonthlyReport {
    private MonthlyReport() {}

    static HtmlReport build(AtypieConfig config, YearMonth month, Publisher.Tables published,
                            List<MetricAssessment> assessed, List<PrescriberSegment> segments, QualityReport quality,
                            String hiddenLabel) {
        HtmlReport r = new HtmlReport("atypie – " + config.region().name() + " – " + month,
                "Indicateurs CPG standardisés, atypie des prescripteurs et ciblage de l'accompagnement ; "
                        + "fenêtres de 12 mois glissants se terminant en " + month + ".", hiddenLabel);

        Map<Segment, Integer> counts = new EnumMap<>(Segment.class);
        segments.forEach(s -> counts.merge(s.segment(), 1, Integer::sum));
        r.section("Chiffres clés");
        r.keyFigures(List.of(
                new String[] {"Prescripteurs évalués", fmt(segments.size() - counts.getOrDefault(Segment.NOT_ASSESSABLE, 0))},
                new String[] {"Échanges confraternels proposés", fmt(counts.getOrDefault(Segment.ATYPICAL, 0))},
                new String[] {"Candidats MSO/MSAP", fmt(counts.getOrDefault(Segment.STRONGLY_ATYPICAL, 0))},
                new String[] {"Retours positifs", fmt(counts.getOrDefault(Segment.CONFORMING, 0))},
                new String[] {"Lignes mises en quarantaine", fmt(quality.totalQuarantined())}));

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
        Map<String, List<FunnelPlot.Point>> byMetric = new TreeMap<>();
        Map<String, Metric> metrics = new TreeMap<>();
        for (MetricAssessment a : assessed) {
            if (a.window().equals(month) && a.level().judged() && a.expected() > 0) {
                byMetric.computeIfAbsent(a.metric().id(), k -> new ArrayList<>())
                        .add(new FunnelPlot.Point(a.prescriber(), a.expected(), a.ratio()));
                metrics.put(a.metric().id(), a.metric());
            }
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
        for (TableQuality t : quality.tables()) {
            q.append(String.format(Locale.FRANCE, "%s : %,d lignes lues, %,d gardées, %,d en quarantaine. ",
                    t.table().name(), t.rowsIn(), t.kept(), t.quarantined()));
        }
        r.paragraph(q.toString().trim());
        r.footer("atypie – aucun identifiant de patient ; cellules de moins de " + config.publish().smallCellThreshold()
                + " patients masquées (" + hiddenLabel + ").");
        return r;
    }

    private static String fmt(long n) {
        return String.format(Locale.FRANCE, "%,d", n);
    }
}
