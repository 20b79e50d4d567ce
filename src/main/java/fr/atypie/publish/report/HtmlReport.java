package fr.atypie.publish.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML report: one file that opens offline, in any browser or mail client, with
 * its CSS and its SVG charts inline, no script and no external address of any kind (fonts are
 * the system's). The same calls give the same bytes: no date is written unless the caller puts
 * one in the text.
 *
 * <pre>{@code
 * String html = new HtmlReport("Indicateurs CPG – Occitanie", "Données de mars 2024", "< 10")
 *     .section("Arrêts de travail").paragraph("...").chart(funnel, "Lecture : ...").table(table)
 *     .footer("atypie 0.1.0 · configuration 3f2a…")
 *     .render();
 * }</pre>
 */
public final class HtmlReport {
    private static final String CSS = loadCss();

    private final String title;
    private final String subtitle;
    private final String hiddenLabel;
    private final List<Section> sections = new ArrayList<>();
    private String footer = "";
    private int charts;

    private record Section(String heading, StringBuilder body) { }

    public HtmlReport(String title, String subtitle, String hiddenLabel) {
        this.title = title;
        this.subtitle = subtitle;
        this.hiddenLabel = hiddenLabel;
    }

    /** Starts a section; what follows goes into it. */
    public HtmlReport section(String heading) {
        sections.add(new Section(heading, new StringBuilder()));
        return this;
    }

    public HtmlReport paragraph(String text) {
        current().append("<p>").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    /** A highlighted reading note (how to read a chart, caveats such as provisional months). */
    public HtmlReport note(String text) {
        current().append("<p class=\"note\">").append(Html.escape(text)).append("</p>\n");
        return this;
    }

    /** Key figures shown as tiles: label → value already formatted. */
    public HtmlReport keyFigures(List<String[]> labelValuePairs) {
        StringBuilder b = current().append("<div class=\"tiles\">\n");
        for (String[] lv : labelValuePairs) {
            b.append("<div class=\"tile\"><div class=\"tile-value\">").append(Html.escape(lv[1]))
                    .append("</div><div class=\"tile-label\">").append(Html.escape(lv[0])).append("</div></div>\n");
        }
        b.append("</div>\n");
        return this;
    }

    public HtmlReport chart(Chart chart, String caption) {
        charts++;
        current().append("<figure class=\"chart\">\n").append(chart.svg("chart" + charts)).append('\n');
        if (caption != null && !caption.isBlank()) {
            current().append("<figcaption>").append(Html.escape(caption)).append("</figcaption>\n");
        }
        current().append("</figure>\n");
        return this;
    }

    public HtmlReport table(ReportTable t) {
        StringBuilder b = current();
        b.append("<div class=\"table-wrap\"><table>\n");
        if (t.caption() != null && !t.caption().isBlank()) {
            b.append("<caption>").append(Html.escape(t.caption())).append("</caption>\n");
        }
        b.append("<thead><tr>");
        for (int c = 0; c < t.headers().size(); c++) {
            b.append(t.numeric().get(c) ? "<th class=\"num\">" : "<th>").append(Html.escape(t.headers().get(c))).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (List<ReportTable.Cell> row : t.rows()) {
            b.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                ReportTable.Cell cell = row.get(c);
                String cls = (t.numeric().get(c) ? "num" : "") + (cell.hidden() ? (t.numeric().get(c) ? " " : "") + "hidden" : "");
                b.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls + "\">")
                        .append(Html.escape(cell.hidden() ? hiddenLabel : cell.text())).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n");
        if (t.anyHidden()) {
            b.append("<p class=\"secret-note\">").append(Html.escape(hiddenLabel))
                    .append(" : valeur masquée, calculée sur trop peu de patients (secret statistique).</p>\n");
        }
        return this;
    }

    /** Closing line (code version, configuration hash, data month...). */
    public HtmlReport footer(String text) {
        this.footer = text;
        return this;
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header class=\"banner\"><div class=\"inner\"><h1>").append(Html.escape(title)).append("</h1>");
        if (subtitle != null && !subtitle.isBlank()) {
            b.append("<p class=\"subtitle\">").append(Html.escape(subtitle)).append("</p>");
        }
        b.append("</div></header>\n<main class=\"inner\">\n");
        if (sections.size() > 1) {
            b.append("<nav class=\"toc\"><h2>Sommaire</h2><ol>\n");
            for (int i = 0; i < sections.size(); i++) {
                b.append("<li><a href=\"#s").append(i + 1).append("\">").append(Html.escape(sections.get(i).heading()))
                        .append("</a></li>\n");
            }
            b.append("</ol></nav>\n");
        }
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            b.append("<section id=\"s").append(i + 1).append("\">\n<h2>").append(Html.escape(s.heading())).append("</h2>\n")
                    .append(s.body()).append("</section>\n");
        }
        b.append("</main>\n");
        if (!footer.isBlank()) {
            b.append("<footer class=\"inner\">").append(Html.escape(footer)).append("</footer>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    public Path write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, render(), StandardCharsets.UTF_8);
        return file;
    }

    private StringBuilder current() {
        if (sections.isEmpty()) {
            throw new IllegalStateException("call section(heading) before adding content");
        }
        return sections.get(sections.size() - 1).body();
    }

    private static String loadCss() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
