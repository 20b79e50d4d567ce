package fr.atypie.publish.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import fr.atypie.testing.Markup;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void funnelClassifiesPointsAgainstTheLimitsAndLabelsOnlyTheOutliers() {
        FunnelPlot f = SampleReport.funnel();
        // 34: E 100, upper 99.8 % = 1 + 3.09/10 = 1.309 < 1.5; 31: E 400, lower 99.8 % = 1 - 3.09/20 = 0.8455 > 0.8
        // 66: E 85, upper 95 % = 1.2126 < 1.25 < upper 99.8 % = 1.3352; 48: E 12, 1.3 < 1 + 1.96/√12 = 1.5658
        List<String> positions = new ArrayList<>();
        for (FunnelPlot.Point p : SampleReport.POINTS) {
            if (f.position(p) != FunnelPlot.Position.WITHIN) {
                positions.add(p.label() + "=" + f.position(p));
            }
        }
        assertEquals(List.of("31=BELOW_998", "34=ABOVE_998", "66=ABOVE_95"), positions);
        assertEquals(List.of("31", "34"), texts(f.svg("c"), "point-label"));
        assertEquals(13, count(f.svg("c"), "<circle[^>]*class=\"point\""));
    }

    @Test
    void reportIsSelfContainedAndDeterministic() {
        String html = SampleReport.report().render();
        assertEquals(html, SampleReport.report().render());
        assertFalse(html.contains("://"), "no external address");
        assertFalse(html.contains("<script"), "no script needed");
        assertFalse(html.contains("src="), "nothing loaded");
        Matcher url = Pattern.compile("url\\((.)").matcher(html);
        while (url.find()) {
            assertEquals("#", url.group(1), "only in-page references");
        }
        assertEquals(3, count(html, "<svg "));
        assertEquals(List.of("chart1-plot"), ids(html, "clipPath"));
    }

    @Test
    void tablesShowHiddenCellsAndFrenchNumbers() {
        String html = SampleReport.report().render();
        assertTrue(html.contains("<tr><td>31</td><td class=\"num\">48\u202F211</td><td class=\"num\">0,80</td>"
                + "<td class=\"num\">61,2</td></tr>"), html);   // 61.25 rounds half-even to 61,2
        assertTrue(html.contains("<tr><td>48</td><td class=\"num hidden\">&lt; 10</td><td class=\"num hidden\">&lt; 10</td>"
                + "<td class=\"num hidden\">&lt; 10</td></tr>"), html);
        assertTrue(html.contains("&lt; 10 : valeur masquée"), html);
        assertFalse(html.contains("Secret statistique"), "the secret column itself is not shown");
        // hidden bar (4th): x = 36 + 36 characters × 6.6 + 6, y = 48 + 3 × 30 + 18 + 4
        assertTrue(html.contains("<text x=\"279.6\" y=\"160\" class=\"hidden-value\" text-anchor=\"start\">&lt; 10</text>"), html);
    }

    /**
     * Department trends: one row, two territories, four windows of which the last two provisional;
     * a secret window is a gap, a territory all hidden shows a dash; both cells share the row's scale.
     */
    @Test
    void sparklinesShadeProvisionalWindowsLeaveGapsAndShareTheirRowsScale() {
        SparklineMatrix m = new SparklineMatrix("Tendances", List.of("34 Hérault", "48 Lozère"),
                List.of("2024-09", "2024-10", "2024-11", "2024-12"), 2, List.of(new SparklineMatrix.Line("Jours d'IJ par assuré",
                List.of(java.util.Arrays.asList(1.0, null, 1.2, 1.3), java.util.Arrays.asList(null, null, null, null)), 2)));
        String svg = m.svg("c");
        assertEquals(2, count(svg, "class=\"provisional\""), "one shaded band per cell");
        List<String> d = new ArrayList<>();
        Matcher path = Pattern.compile("<path d=\"([^\"]*)\" class=\"spark-line\"").matcher(svg);
        while (path.find()) {
            d.add(path.group(1));
        }
        // 34: a point, a gap, then a segment; the row spans 1.0 (bottom, y = 66 + 96 + 38 - 7) to 1.3 (top, y = 169).
        assertEquals(1, d.size());
        assertEquals(2, count(d.get(0), "M"), d.get(0));
        assertTrue(d.get(0).startsWith("M319 193 M"), d.get(0));
        assertTrue(d.get(0).endsWith(" 169"), d.get(0));
        assertTrue(svg.contains("<title>34 Hérault : 1,00 (2024-09) → 1,30 (2024-12)</title>"), svg);
        assertTrue(svg.contains("<title>48 Lozère : masqué ou sans valeur</title>"), svg);
        assertTrue(svg.contains("class=\"hidden-value\" text-anchor=\"middle\">–</text>"), svg);
        assertTrue(svg.contains("<circle cx=\"319\" cy=\"193\" r=\"1.6\" class=\"spark-dot\""), "an isolated value stays visible");
    }

    @Test
    void provisionalMonthsAreShadedAndLabelled() {
        String svg = SampleReport.line().svg("c");
        // 18 months on 850 px: slot 47.22; 2024-01 is the 13th month: x = 80 + 12 × 47.22 = 646.7, up to 930
        assertTrue(svg.contains("<rect x=\"646.7\" y=\"78\" width=\"283.3\" height=\"304\" class=\"provisional\"/>"), svg);
        assertEquals(List.of("provisoire"), texts(svg, "provisional-label"));
        assertTrue(svg.contains(">Mois provisoires (flux incomplets)</text>"), svg);
        String consolidated = new LineChart("t", "y", List.of(java.time.YearMonth.of(2024, 1)),
                List.of(new LineChart.Series("s", List.of(1.0), false)), true).svg("d");
        assertFalse(consolidated.contains("provisional"), consolidated);
    }

    @Test
    void chartsCarryTheirDataTableAndTonedCellsTheirClassAndTip() {
        ReportTable data = new ReportTable("Données", List.of("Département", "Score"), List.of(false, true),
                List.of(List.of(ReportTable.Cell.of("34 Hérault"), ReportTable.Cell.toned("100 % ✓", "good", "résultat 7,6, objectif 7,59"))));
        String html = new HtmlReport("t", null, "< 10").section("S").chart(SampleReport.bars(), "légende", data).render();
        assertTrue(html.contains("<details class=\"chart-data\"><summary>Données du graphique</summary>"), html);
        assertTrue(html.contains("<tr><td>34 Hérault</td><td class=\"num good\" title=\"résultat 7,6, objectif 7,59\">100 % ✓</td></tr>"), html);
        assertTrue(html.contains("<figcaption>légende</figcaption>"), html);
        assertFalse(html.contains("<nav class=\"toc\">"), "one section: no table of contents");
    }

    @Test
    void funnelWithDecidedLevelsLabelsOnlyTheChosenPointsAndMayHideTooltips() {
        List<FunnelPlot.Point> points = List.of(
                new FunnelPlot.Point("A", 100, 1.5, "#D55E00", true, false),
                new FunnelPlot.Point("B", 100, 1.45, "#E69F00", false, false),
                new FunnelPlot.Point("C", 50, 1.0, "#8c9bab", false, false));
        String svg = new FunnelPlot("f", "E", "SR", points, SampleReport.L95, SampleReport.L998,
                List.of("z = 2", "z = 3"), List.of(new FunnelPlot.Category("Atypie forte", "#D55E00"))).svg("f");
        assertEquals(List.of("A"), texts(svg, "point-label"));
        assertFalse(svg.contains("<title>A"), "no tooltip naming the point");
        assertTrue(svg.contains(">Atypie forte</text>") && svg.contains(">z = 3</text>"), svg);
        assertFalse(svg.contains(">Dans les limites</text>"), "the decided legend replaces the positional one");
        // B is not labelled but drawn large (flagged colour), C small
        assertTrue(svg.contains("r=\"6\" class=\"point\" fill=\"#E69F00\"") && svg.contains("r=\"4\" class=\"point\" fill=\"#8c9bab\""), svg);
    }

    @Test
    void departmentsAreNamed() {
        assertEquals("34 Hérault", Departments.label("034"));
        assertEquals("2A Corse-du-Sud", Departments.label("02A"));
        assertEquals("971 Guadeloupe", Departments.label("971"));
        assertEquals("999", Departments.label("999"), "an unknown code stays a code");
    }

    @Test
    void frenchFormattingAndNiceTicks() {
        assertEquals("12\u202F345,7", FrenchFormat.number(12345.678, 1));
        assertEquals("-1\u202F000", FrenchFormat.number(-1000, 0));
        assertEquals("0,0", FrenchFormat.number(-0.01, 1));
        assertEquals("12,5\u00A0%", FrenchFormat.percent(12.5, 1));
        assertEquals("févr. 2024", FrenchFormat.month(java.time.YearMonth.of(2024, 2)));
        Axis a = Axis.covering(0, 1.65, 6, 0, 100);
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0), a.ticks());
        assertEquals("1,5", a.label(1.5));
        assertEquals(List.of(0.0, 100.0, 200.0, 300.0, 400.0, 500.0), Axis.covering(0, 420, 5, 0, 1).ticks());
        assertEquals(25.0, Axis.covering(0, 1.0, 4, 0, 100).px(0.25), 1e-9);
    }

    static List<String> texts(String svg, String cls) {
        return Markup.captured(svg, "<text[^>]*class=\"" + cls + "\"[^>]*>([^<]*)</text>");
    }

    static List<String> ids(String html, String tag) {
        return Markup.captured(html, "<" + tag + " id=\"([^\"]*)\"");
    }

    static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
