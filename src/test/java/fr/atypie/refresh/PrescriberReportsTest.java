package fr.atypie.refresh;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.config.AtypieConfig;
import fr.atypie.publish.SmallCells;
import fr.atypie.publish.report.FunnelPlot;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.testing.Markup;
import fr.atypie.testing.SharedSpark;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The restricted documents on hand-made published rows: funnels drawing the limits that decided
 * (per prescriber when the table publishes them, from φ otherwise), and the profile sheet's trend,
 * procedure and secrecy.
 */
class PrescriberReportsTest {
    static final YearMonth MONTH = YearMonth.of(2024, 12);
    static final SmallCells CELLS = new SmallCells(10);
    static final AtypieConfig CONFIG = EvaluationSectionTest.config();
    static final String IJ = "ij-days-per-patient";

    /**
     * One published prescriber_metrics row of the month (33 columns, the secret one added by
     * {@link #tables}); no published funnel limits (the limit columns are empty).
     */
    static Object[] metric(String id, String group, String theme, String metric, double expected, double ratio, double phi,
                           double excess, long patients, String level) {
        double observed = ratio * expected;
        return new Object[] {id, MONTH.toString(), "034", group, 400L, theme, metric, "weight", observed, 300.0, expected,
            ratio, ratio * 0.8, ratio * 1.25, 1.0, 2.5, phi, ratio * 0.95, 90.0, Math.max(0, observed - expected), excess,
            patients, level, expected, phi, group, 25, 0.01, 0.02, null, null, null, null};
    }

    /** The published tables, small cells hidden as the refresh does. */
    static Publisher.Tables tables(List<Object[]> metrics, List<Object[]> targeting, List<Object[]> segments) {
        SparkSession spark = SharedSpark.get();
        return Publisher.hideSmallCells(new Publisher.Tables(OutputTables.INDICATORS.dataset(spark, List.of()),
                OutputTables.TREND.dataset(spark, List.of()), OutputTables.SCORECARD.dataset(spark, List.of()),
                OutputTables.SCORE.dataset(spark, List.of()), OutputTables.SEGMENTS.dataset(spark, segments),
                OutputTables.METRICS.dataset(spark, metrics), OutputTables.TARGETING.dataset(spark, targeting),
                OutputTables.TYPOLOGY.dataset(spark, List.of())), CELLS);
    }

    /** Two peer groups on the IJ-days measure: P1, P2 in band 0 (φ 1.5), P3 alone in band 300. */
    static List<Object[]> funnelRows() {
        return List.of(
                metric("P1", "general-practice|0", "sick-leave", IJ, 20, 1.8, 1.5, 4000, 30, "STRONG"),
                metric("P2", "general-practice|0", "sick-leave", IJ, 50, 1.0, 1.5, 0, 40, "NEUTRAL"),
                metric("P3", "general-practice|300", "sick-leave", IJ, 80, 0.9, 1.5, 0, 60, "CONFORMING"));
    }

    static List<String> paths(String html, String cls) {
        return Markup.captured(html, "<path d=\"([^\"]*)\" class=\"" + cls + "\"");
    }

    @Test
    void withoutPublishedLimitsTheFunnelDrawsOnePairOfCurvesFromPhi() {
        String html = PrescriberReports.report(CONFIG, MONTH, tables(funnelRows(), List.of(), List.of()), "< 10").render();
        assertEquals(2, paths(html, "limit dashed").size());
        assertEquals(2, paths(html, "limit").size());
        assertTrue(html.contains("3 prescripteurs tracés, 1 signalés, 0 sous le seuil de secret ; φ &#61; 1,50."), html);
        assertTrue(html.contains("z = 1,96 (atypique)"));
    }

    @Test
    void publishedLimitsAreDrawnPerPeerGroupThroughEachPrescribersOwnLimits() {
        Publisher.Tables t = tables(funnelRows(), List.of(), List.of());
        // The statistics' columns (issue 15): limits at each prescriber's E, as they were used to judge it.
        Dataset<Row> withLimits = t.metrics()
                .withColumn("limit_95_lower", lit(0.6)).withColumn("limit_95_upper", lit(1.4))
                .withColumn("limit_998_lower", lit(0.4)).withColumn("limit_998_upper", lit(1.7));
        Publisher.Tables limited = new Publisher.Tables(t.indicators(), t.trend(), t.scorecard(), t.scores(), t.segments(),
                withLimits, t.targeting(), t.typology());
        List<FunnelPlot.GroupLimits> groups = PrescriberReports.groupLimits(withLimits.orderBy("prescriber_id").collectAsList());
        assertEquals(List.of(2, 1), groups.stream().map(g -> g.points().size()).toList());
        assertEquals(List.of(20.0, 50.0), groups.get(0).points().stream().map(FunnelPlot.LimitPoint::expected).toList());

        String html = PrescriberReports.report(CONFIG, MONTH, limited, "< 10").render();
        List<String> dashed = paths(html, "limit dashed");
        List<String> solid = paths(html, "limit");
        // Two curves per level and group; band 0 joins its two prescribers, band 300 ticks its one (12 px wide).
        assertEquals(4, dashed.size());
        assertEquals(4, solid.size());
        for (String d : List.of(dashed.get(0), dashed.get(1), solid.get(0), solid.get(1))) {
            assertEquals(1, d.split(" L").length - 1, d);
        }
        String[] tick = dashed.get(2).replace("M", "").split(" L");
        assertEquals(12.0, Double.parseDouble(tick[1].split(" ")[0]) - Double.parseDouble(tick[0].split(" ")[0]), 1e-9);
        assertTrue(html.contains("limites publiées par prescripteur, 2 groupe(s) de pairs."), html);
        assertTrue(html.contains("Limites 95 % de chaque groupe de pairs"));
        assertFalse(html.contains("φ &#61;"), "no φ curve");
    }

    @Test
    void aFunnelWithGroupLimitsNeedsTheColourOfEveryPoint() {
        FunnelPlot.GroupLimits g = new FunnelPlot.GroupLimits(List.of(new FunnelPlot.LimitPoint(10, 0.5, 1.5, 0.3, 1.9)));
        assertThrows(IllegalArgumentException.class, () -> new FunnelPlot("t", "E", "SR",
                List.of(new FunnelPlot.Point("P1", 10, 1.2)), null, null, List.of("a", "b"), List.of(), List.of(g)));
    }

    @Test
    void theMainMeasuresAreThoseThatDecidedThenTheLargestExcess() {
        List<Row> rows = tables(List.of(
                metric("P1", "g", "antibiotics", "antibiotic-prescriptions", 50, 1.0, 1, 900, 40, "NEUTRAL"),
                metric("P1", "g", "generics", "princeps-share", 50, 1.3, 1, 100, 40, "GAIN_POTENTIAL"),
                metric("P1", "g", "sick-leave", "patients-with-ij", 50, 1.4, 1, 9000, 40, "ATYPICAL"),
                metric("P1", "g", "sick-leave", IJ, 50, 1.9, 1, 200, 40, "STRONG"),
                metric("P1", "g", "transports", "transports-per-patient", 50, 1.0, 1, 5000, 40, "NOT_JUDGED")),
                List.of(), List.of()).metrics().collectAsList();
        assertEquals(List.of("sick-leave/" + IJ, "sick-leave/patients-with-ij", "generics/princeps-share"),
                PrescriberReports.mainMeasures(rows));
    }

    @Test
    void peerGroupsAndSharesReadAsAnAdviserSaysThem() {
        List<Integer> bands = CONFIG.atypie().activityBands();
        assertEquals(List.of(0, 300, 800, 1500), bands);
        assertEquals("Médecine générale, patientèle de 800 à 1\u202F499 patients", PrescriberReports.peers("general-practice|800", bands));
        assertEquals("Médecine générale, patientèle de 1\u202F500 patients et plus",
                PrescriberReports.peers("general-practice|1500", bands));
        assertEquals("Specialite en med. generale reconnue par l'ordre (23), patientèle de 0 à 299 patients",
                PrescriberReports.peers("specialty-23|0", bands));
        assertEquals("Médecine générale", PrescriberReports.peers("general-practice|0", List.of(0)));
        Map<String, Boolean> shares = new java.util.TreeMap<>();
        CONFIG.atypie().metrics().forEach(m -> shares.put(m.name(), PrescriberReports.isShare(m, CONFIG.indicators())));
        // Patients with IJ among patients seen, princeps among boxes, elderly patients on a benzodiazepine: shares.
        // Sick leaves initiated per patient is a count per patient (a patient may have several), not a share.
        assertEquals(Map.of("antibiotic-prescriptions", false, "elderly-long-benzodiazepines", true, IJ, false,
                "ij-days-per-ij-patient", false, "ij-spells-per-patient", false, "patients-with-ij", true,
                "princeps-share", true, "transports-per-patient", false), shares);
    }

    /**
     * P1 is on the DAM list with a 3-month series (September hidden: 4 patients) and a procedure
     * step; P2, a positive feedback, has neither. Care months from July are provisional (6 months of
     * consolidation): the whole series is shaded.
     */
    @Test
    void theProfileSheetShowsTheTrendTheProcedureAndHidesSmallCells() {
        SparkSession spark = SharedSpark.get();
        Publisher.Tables t = tables(List.of(
                        metric("P1", "general-practice|0", "sick-leave", IJ, 50, 1.9, 1.2, 6000, 40, "STRONG"),
                        metric("P2", "general-practice|0", "sick-leave", IJ, 50, 0.8, 1.2, 0, 40, "CONFORMING")),
                List.of(new Object[] {"034", "Visites DAM", 1, true, "P1", 1, 400L, "Atypique", 6000.0, 180.0, 0.03, "hypothèse", "...", 40L,
                        "Arrêts de travail – Jours d'IJ : 1,9 fois l'attendu."},
                        new Object[] {"034", "Retour positif", 1, true, "P2", 1, 400L, "Conforme", 0.0, 0.0, 0.0, "hypothèse", "...", 40L,
                        "Au niveau de ses pairs."}),
                List.of());
        List<Object[]> series = new ArrayList<>();
        String[] months = {"2024-09", "2024-10", "2024-11"};
        long[] patients = {4, 12, 15};
        for (int i = 0; i < months.length; i++) {
            series.add(new Object[] {"P1", "034", "general-practice|0", "sick-leave", IJ, "weight", months[i],
                "provisoire", (60.0 + i) / 30, 1.0, patients[i]});
        }
        Dataset<Row> trend = CELLS.hide(PrescriberReports.TREND.dataset(spark, series),
                PrescriberReports.TREND_SECRECY.patientCounts(), PrescriberReports.TREND_SECRECY.measures());
        Dataset<Row> states = CELLS.hide(ProcedureOutputs.STATE.dataset(spark, List.<Object[]>of(new Object[] {"P1", "034",
                "sick-leave", "2024-12", "DAM", "Visite DAM", "2024-10", null, true, false, 820.0, null, false, false,
                "Visite DAM en 2024-10.", "Échange confraternel si le critère persiste en 2025-01", 25L})),
                List.of("patients"), ProcedureOutputs.STATE_MEASURES);

        Map<String, HtmlReport> sheets = PrescriberReports.profiles(CONFIG, MONTH, t, "< 10", CampaignHistory.empty(), trend, states);
        assertEquals(List.of("profils/034-001.html", "profils/034-002.html", "profils/index.html"), List.copyOf(sheets.keySet()));
        String p1 = sheets.get("profils/034-001.html").render();
        assertEquals(List.of("Qui", "Segment et motif", "Chaque mesure face aux pairs", "Évolution sur 24 mois",
                "Procédure (art. L162-1-15)", "Contacts précédents"), headings(p1));
        // The trend: one panel, from September to the refresh month, shaded; September hidden, December without data.
        assertTrue(p1.contains("class=\"panel-title\" text-anchor=\"start\">Jours d&#39;IJ prescrits par patient"), p1);
        assertEquals(1, count(p1, "class=\"provisional\""));
        assertEquals(2, count(p1, "class=\"marker\""), "a marker per shown month of the prescriber");
        assertTrue(p1.contains("<td>sept. 2024 (provisoire)</td><td class=\"num hidden\">&lt; 10</td>"
                + "<td class=\"num hidden\">&lt; 10</td>"), p1);
        assertTrue(p1.contains("<td>oct. 2024 (provisoire)</td><td class=\"num\">2,03</td><td class=\"num\">1,00</td>"), p1);
        assertTrue(p1.contains("<td>déc. 2024 (provisoire)</td><td class=\"num\">–</td>"), p1);
        assertTrue(p1.contains("<td>Visite DAM</td><td>2024-10</td><td>–</td><td>oui</td><td>Visite DAM en 2024-10.</td>"
                + "<td>Échange confraternel si le critère persiste en 2025-01</td>"), p1);
        String p2 = sheets.get("profils/034-002.html").render();
        assertTrue(p2.contains("Aucune procédure en cours"), p2);
        assertTrue(p2.contains("Pas de série mensuelle pour ce prescripteur"), p2);
    }

    static List<String> headings(String html) {
        return Markup.captured(html, "<h2>([^<]*)</h2>");
    }

    static int count(String s, String needle) {
        return s.split(Pattern.quote(needle), -1).length - 1;
    }
}
