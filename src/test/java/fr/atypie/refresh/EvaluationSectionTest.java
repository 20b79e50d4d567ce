package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.PublishedEvaluation;
import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Évaluation des campagnes" in the monthly report, from a hand-written published evaluation: the
 * refresh copies OUT/evaluations/<id>/effects.csv and cost.csv into the month, and the report (refresh
 * or atypie report) shows them; without evaluations the report is what it was.
 */
class EvaluationSectionTest {
    static final YearMonth MONTH = YearMonth.of(2024, 12);
    // As EvaluationOutputs writes them: secret rows with empty values.
    static final String EFFECTS = """
            measure,window,treated_before,treated_after,control_before,control_after,did,ci_low,ci_high,n_treated,n_controls,placebo_did,placebo_ci_low,placebo_ci_high,time_placebo_did,time_placebo_ci_low,time_placebo_ci_high,time_placebo_status,secret
            ij_patient_share,1-3,11.0,7.0,11.0,10.5,-3.5,-4.0,-3.0,12,10,0.25,-0.5,1.0,0.1,-0.2,0.4,ok,false
            ij_days_per_ij_patient,1-3,,,,,,,,12,10,,,,,,,ok,true
            ij_patient_share,5-7,11.0,9.0,11.0,10.0,-1.0,-2.0,0.5,12,10,0.0,-1.0,1.0,,,,too_few_months,false
            ij_patient_share,rebound,15.0,21.0,15.0,16.5,4.5,3.0,6.0,2,2,,,,,,,procedure_window,false
            """;
    static final String COST = """
            window,contacts,staff_days,avoided_ij_days,circumvented_ij_days,net_avoided_ij_days,euros_per_ij_day,net_avoided_euros,net_avoided_ij_days_per_contact,net_avoided_euros_per_contact,secret
            1-3,12,6.0,70.0,5.0,65.0,40.0,2600.0,5.416667,216.666667,false
            5-7,12,6.0,,,,,,,,true
            """;

    @TempDir
    Path dir;

    static AtypieConfig config() {
        return ConfigLoader.load(Optional.empty(), Map.of());
    }

    /** OUT/evaluations with one campaign, a staging leftover and the truth history (neither is an evaluation). */
    Path out() throws IOException {
        Path out = dir.resolve("out");
        Path c = Files.createDirectories(out.resolve("evaluations/c2024"));
        Files.writeString(c.resolve("effects.csv"), EFFECTS);
        Files.writeString(c.resolve("cost.csv"), COST);
        Files.writeString(c.resolve("report.html"), "<html></html>");
        Files.createDirectories(out.resolve("evaluations/.c2025.staging"));
        Files.writeString(out.resolve("evaluations/.c2025.staging/effects.csv"), EFFECTS);
        Files.writeString(out.resolve("evaluations/history-from-truth.csv"), "campaign;prescriber_id\n");
        return out;
    }

    /** The published tables, empty, small cells hidden as the refresh does (adds their secret column). */
    static Publisher.Tables emptyTables(SparkSession spark) {
        return Publisher.hideSmallCells(new Publisher.Tables(OutputTables.INDICATORS.dataset(spark, List.of()), OutputTables.TREND.dataset(spark, List.of()),
                OutputTables.SCORECARD.dataset(spark, List.of()), OutputTables.SCORE.dataset(spark, List.of()),
                OutputTables.SEGMENTS.dataset(spark, List.of()), OutputTables.METRICS.dataset(spark, List.of()),
                OutputTables.TARGETING.dataset(spark, List.of()), OutputTables.TYPOLOGY.dataset(spark, List.of())),
                new fr.atypie.publish.SmallCells(10));
    }

    @Test
    void theRefreshCopiesTheEvaluationsAndTheReportShowsThemWithoutSmallCells() throws IOException {
        SparkSession spark = SharedSpark.get();
        AtypieConfig config = config();
        Path out = out();
        String with;
        String without;
        try (MonthlyRelease release = MonthlyRelease.open(out, MONTH, "t1", config, Clock.systemUTC())) {
            List<PublishedEvaluation> evaluations = Publisher.evaluations(release, out);
            Path copy = release.staging().resolve("evaluations/c2024");
            try (Stream<Path> files = Files.list(release.staging().resolve("evaluations"))) {
                assertEquals(List.of("c2024"), files.map(p -> p.getFileName().toString()).toList());
            }
            try (Stream<Path> files = Files.list(copy)) {
                assertEquals(List.of("cost.csv", "effects.csv"), files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertEquals(EFFECTS, Files.readString(copy.resolve("effects.csv")));
            assertEquals(1, evaluations.size());
            assertEquals(new PublishedEvaluation.Effect("ij_patient_share", "1-3", 11.0, 11.0, 10.5, -3.5, -4.0, -3.0, 12, 10,
                    0.25, -0.5, 1.0, 0.1, -0.2, 0.4, "ok", false), evaluations.get(0).effects().get(0));
            assertEquals(-3.5 / 10.5, evaluations.get(0).effects().get(0).relative(), 1e-12);

            Publisher.Tables tables = emptyTables(spark);
            with = MonthlyReport.build(config, MONTH, tables, List.of(), "< 10", evaluations).render();
            without = MonthlyReport.build(config, MONTH, tables, List.of(), "< 10", List.of()).render();
        }

        assertTrue(with.contains("<h2>Évaluation des campagnes</h2>"), with);
        assertTrue(with.contains("<caption>Campagne c2024 : effets</caption>"));
        assertTrue(with.contains("<tr><td>Part des patients actifs ayant perçu des IJ (%, sur la fenêtre)</td><td>M+1 à M+3</td>"
                + "<td class=\"num\">-3,500</td><td class=\"num\">-4,000</td><td class=\"num\">-3,000</td>"
                + "<td class=\"num\">12</td><td class=\"num\">10</td><td class=\"num\">0,250</td><td class=\"num\">0,100</td>"
                + "<td>calculé</td></tr>"), with);
        // The secret row: every estimate hidden, prescriber counts kept.
        String hidden = "<td class=\"num hidden\">&lt; 10</td>";
        assertTrue(with.contains("<tr><td>Jours d&#39;IJ par patient indemnisé (sur la fenêtre)</td><td>M+1 à M+3</td>" + hidden + hidden + hidden
                + "<td class=\"num\">12</td><td class=\"num\">10</td>" + hidden + hidden + "<td>calculé</td></tr>"), with);
        assertTrue(with.contains("<td>M+5 à M+7</td><td class=\"num\">-1,000</td><td class=\"num\">-2,000</td>"
                + "<td class=\"num\">0,500</td><td class=\"num\">12</td><td class=\"num\">10</td><td class=\"num\">0,000</td>"
                + "<td class=\"num\">–</td><td>extrait trop court</td></tr>"), with);
        assertTrue(with.contains("<td>Rebond (après la fin de procédure)</td><td class=\"num\">4,500</td>"), with);
        assertTrue(with.contains("<tr><td>M+1 à M+3</td><td class=\"num\">12</td><td class=\"num\">6,000</td>"
                + "<td class=\"num\">5,417</td><td class=\"num\">216,667</td></tr>"), with);
        assertTrue(with.contains("<tr><td>M+5 à M+7</td><td class=\"num\">12</td><td class=\"num\">6,000</td>" + hidden + hidden
                + "</tr>"), with);

        // Without evaluations: no section, and the report is the one with the section and its contents entry removed.
        assertFalse(without.contains("Évaluation des campagnes"));
        int sections = without.split("<section id=").length - 1;
        String id = "s" + (sections + 1);
        String toc = "<li><a href=\"#" + id + "\">Évaluation des campagnes</a></li>\n";
        int start = with.indexOf("<section id=\"" + id + "\">");
        String removed = (with.substring(0, start) + with.substring(with.indexOf("</main>"))).replace(toc, "");
        assertEquals(without, removed);
    }

    @Test
    void atypieReportRendersTheSameBytesFromTheMonthsCopies() throws IOException {
        SparkSession spark = SharedSpark.get();
        AtypieConfig config = config();
        Path out = out();
        Path publication = Files.createDirectories(out.resolve(MONTH.toString()));
        Publisher.Tables tables = emptyTables(spark);
        String refresh;
        try (MonthlyRelease release = MonthlyRelease.open(out, YearMonth.of(2024, 11), "t1", config, Clock.systemUTC())) {
            refresh = MonthlyReport.build(config, MONTH, tables, List.of(), "< 10", Publisher.evaluations(release, out)).render();
        }
        // The month as published: its tables (empty here), quality report, and the copies of the evaluations.
        Map<String, Dataset<Row>> byName = Map.of("indicators", tables.indicators(), "trend", tables.trend(),
                "scorecard", tables.scorecard(), "scores", tables.scores(), "restricted/segments", tables.segments(),
                "restricted/prescriber_metrics", tables.metrics(), "restricted/targeting", tables.targeting(),
                "restricted/typology", tables.typology());
        for (var e : byName.entrySet()) {
            Path folder = publication.resolve(e.getKey() + ".tmp");
            e.getValue().coalesce(1).write().parquet(folder.toString());
            try (Stream<Path> parts = Files.list(folder)) {
                Files.move(parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(),
                        publication.resolve(e.getKey() + ".parquet"));
            }
        }
        Files.writeString(publication.resolve("manifest.json"), "{}");
        Files.createDirectories(publication.resolve("quality"));
        Files.writeString(publication.resolve("quality/quality-report.json"), "{\"tables\": []}");
        Files.createDirectories(publication.resolve("evaluations/c2024"));
        Files.writeString(publication.resolve("evaluations/c2024/effects.csv"), EFFECTS);
        Files.writeString(publication.resolve("evaluations/c2024/cost.csv"), COST);

        Path rendered = MonthlyReport.render(spark, config, publication, MONTH);
        assertArrayEquals(refresh.getBytes(java.nio.charset.StandardCharsets.UTF_8), Files.readAllBytes(rendered));
    }
}
