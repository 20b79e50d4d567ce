package fr.atypie.publish.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML report: one file that opens offline, in any browser or mail client, with
 * its CSS and its SVG charts inline, no script and no external address of any kind (fonts are
 * the system's). The page is the Mustache template {@code report.mustache} (tables:
 * {@code table.mustache}), filled with the blocks added here; Mustache escapes every text, only
 * the charts' SVG (escaped by {@link Svg}) and the CSS go in raw. The same calls give the same
 * bytes: no date is written unless the caller puts one in the text.
 *
 * <pre>{@code
 * String html = new HtmlReport("Indicateurs CPG – Occitanie", "Données de mars 2024", "< 10")
 *     .section("Arrêts de travail").paragraph("...").chart(funnel, "Lecture : ...", data).table(table)
 *     .footer("atypie 0.1.0 · configuration 3f2a…")
 *     .render();
 * }</pre>
 */
public final class HtmlReport {
    private static final String CSS = load("report.css");
    private static final Mustache PAGE = new DefaultMustacheFactory("fr/atypie/publish/report").compile("report.mustache");

    private final String title;
    private final String subtitle;
    private final String hiddenLabel;
    private final List<SectionView> sections = new ArrayList<>();
    private String footer;
    private boolean contents = true;
    private String bodyClass;
    private int charts;

    // The template's view: records read by Mustache through their accessors.
    record SectionView(String id, String heading, List<Block> blocks) { }

    /** One block of a section: exactly one component is set. */
    record Block(String paragraph, String note, Tiles tiles, ChartView chart, TableView table, Legend legend) { }

    record Tiles(List<Tile> items) { }

    record Tile(String label, String value, String detail) { }

    record ChartView(String svg, String caption, TableView data) { }

    record Legend(List<LegendItem> items) { }

    record LegendItem(String tone, String label) { }

    record TableView(String caption, boolean compact, List<CellView> headers, List<RowView> rows, String secretNote) { }

    record RowView(List<CellView> cells) { }

    record CellView(String text, String cls, String tip) { }

    public HtmlReport(String title, String subtitle, String hiddenLabel) {
        this.title = title;
        this.subtitle = subtitle == null || subtitle.isBlank() ? null : subtitle;
        this.hiddenLabel = hiddenLabel;
    }

    /** Starts a section; what follows goes into it. */
    public HtmlReport section(String heading) {
        sections.add(new SectionView("s" + (sections.size() + 1), heading, new ArrayList<>()));
        return this;
    }

    /** No table of contents (a one-page profile sheet), and the body class for its print layout. */
    public HtmlReport asSheet() {
        this.contents = false;
        this.bodyClass = "sheet";
        return this;
    }

    public HtmlReport paragraph(String text) {
        return add(new Block(text, null, null, null, null, null));
    }

    /** A highlighted reading note (how to read a chart, caveats such as provisional months). */
    public HtmlReport note(String text) {
        return add(new Block(null, text, null, null, null, null));
    }

    /** Key figures shown as tiles: label → value already formatted. */
    public HtmlReport keyFigures(List<String[]> labelValuePairs) {
        return add(new Block(null, null, new Tiles(labelValuePairs.stream()
                .map(lv -> new Tile(lv[0], lv[1], lv.length > 2 ? lv[2] : null)).toList()), null, null, null));
    }

    public HtmlReport chart(Chart chart, String caption) {
        return chart(chart, caption, null);
    }

    /** A chart with the table of its figures under it (folded: "Données du graphique"). */
    public HtmlReport chart(Chart chart, String caption, ReportTable data) {
        charts++;
        return add(new Block(null, null, null, new ChartView(chart.svg("chart" + charts),
                caption == null || caption.isBlank() ? null : caption, data == null ? null : view(data, true)), null, null));
    }

    public HtmlReport table(ReportTable t) {
        return add(new Block(null, null, null, null, view(t, false), null));
    }

    /** The key of the colours of toned cells: tone (CSS class) → meaning, in order. */
    public HtmlReport toneLegend(List<String[]> toneLabelPairs) {
        return add(new Block(null, null, null, null, null,
                new Legend(toneLabelPairs.stream().map(p -> new LegendItem(p[0], p[1])).toList())));
    }

    /** Closing line (code version, configuration hash, data month...). */
    public HtmlReport footer(String text) {
        this.footer = text == null || text.isBlank() ? null : text;
        return this;
    }

    public String render() {
        StringWriter w = new StringWriter();
        PAGE.execute(w, new Page(title, subtitle, CSS, bodyClass, contents && sections.size() > 1, sections, footer));
        return w.toString();
    }

    record Page(String title, String subtitle, String css, String bodyClass, boolean contents, List<SectionView> sections,
                String footer) { }

    public Path write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, render(), StandardCharsets.UTF_8);
        return file;
    }

    private TableView view(ReportTable t, boolean compact) {
        List<CellView> headers = new ArrayList<>();
        for (int c = 0; c < t.headers().size(); c++) {
            headers.add(new CellView(t.headers().get(c), t.numeric().get(c) ? "num" : null, null));
        }
        List<RowView> rows = new ArrayList<>();
        for (List<ReportTable.Cell> row : t.rows()) {
            List<CellView> cells = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                ReportTable.Cell cell = row.get(c);
                List<String> cls = new ArrayList<>();
                if (t.numeric().get(c)) {
                    cls.add("num");
                }
                if (cell.hidden()) {
                    cls.add("hidden");
                }
                if (cell.tone() != null) {
                    cls.add(cell.tone());
                }
                cells.add(new CellView(cell.hidden() ? hiddenLabel : cell.text(), cls.isEmpty() ? null : String.join(" ", cls),
                        cell.tip()));
            }
            rows.add(new RowView(cells));
        }
        String caption = t.caption() == null || t.caption().isBlank() ? null : t.caption();
        // wide tables (a department matrix) in the compact style: smaller type, headers that wrap
        return new TableView(caption, compact || headers.size() > 8, headers, rows,
                t.anyHidden() ? hiddenLabel + " : valeur masquée, calculée sur trop peu de patients (secret statistique)." : null);
    }

    private HtmlReport add(Block b) {
        if (sections.isEmpty()) {
            throw new IllegalStateException("call section(heading) before adding content");
        }
        sections.get(sections.size() - 1).blocks().add(b);
        return this;
    }

    private static String load(String resource) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
