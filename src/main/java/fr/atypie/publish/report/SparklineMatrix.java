package fr.atypie.publish.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of sparklines (Tufte's small multiples): one row per measure, one column per territory,
 * each cell the measure's series over the same periods, on a scale shared by the row so that
 * territories compare at a glance. Provisional periods are shaded in every cell; a null value
 * (hidden by statistical secrecy) leaves a gap. Hovering a cell gives its first and last values.
 *
 * @param columns          column headings (territories), drawn slanted
 * @param periods          the periods' names, for the tooltips (e.g. "2024-12")
 * @param firstProvisional index of the first provisional period (periods.size(): none)
 */
public record SparklineMatrix(String title, List<String> columns, List<String> periods, int firstProvisional,
                              List<Line> rows) implements Chart {

    static final double LABEL_WIDTH = 290;
    static final double HEADER = 96;
    static final double ROW = 38;
    static final double TOP = 66;

    /** One measure: its label (two lines at most), per column its values per period, decimals shown. */
    public record Line(String label, List<List<Double>> cells, int decimals) {
        public Line {
            cells = cells.stream().map(c -> java.util.Collections.unmodifiableList(new ArrayList<>(c))).toList();
        }
    }

    public SparklineMatrix {
        columns = List.copyOf(columns);
        periods = List.copyOf(periods);
        rows = List.copyOf(rows);
        for (Line l : rows) {
            if (l.cells().size() != columns.size()) {
                throw new IllegalArgumentException("row " + l.label() + ": " + l.cells().size() + " cells for "
                        + columns.size() + " columns");
            }
            for (List<Double> c : l.cells()) {
                if (c.size() != periods.size()) {
                    throw new IllegalArgumentException("row " + l.label() + ": " + c.size() + " values for "
                            + periods.size() + " periods");
                }
            }
        }
    }

    @Override
    public String svg(String id) {
        double cell = Math.min(110, (Frame.WIDTH - 24 - LABEL_WIDTH - 10) / Math.max(1, columns.size()));
        double left = 24 + LABEL_WIDTH;
        double headerBottom = TOP + HEADER;
        int height = (int) Math.ceil(headerBottom + ROW * rows.size() + 12);
        Svg svg = new Svg(Frame.WIDTH, height, title);
        Frame.title(svg, title);
        List<Frame.LegendItem> legend = new ArrayList<>(List.of(new Frame.LegendItem("Valeur sur 12 mois glissants", "line",
                Frame.PALETTE[0])));
        if (firstProvisional < periods.size()) {
            legend.add(new Frame.LegendItem("Fenêtres provisoires (flux incomplets)", "bar", "#e9e9e9"));
        }
        Frame.legend(svg, legend, 24);
        for (int c = 0; c < columns.size(); c++) {
            double x = left + cell * (c + 0.5);
            // slanted up to the left, ending over its column: long names never leave the drawing on the right
            svg.raw("<text transform=\"translate(" + Svg.n(x + 4) + "," + Svg.n(headerBottom - 6) + ") rotate(40)\" class=\"col-label\""
                    + " text-anchor=\"end\">" + Html.escape(columns.get(c)) + "</text>");
        }
        int n = periods.size();
        for (int r = 0; r < rows.size(); r++) {
            Line line = rows.get(r);
            double top = headerBottom + ROW * r;
            svg.line(24, top, left + cell * columns.size(), top, "grid");
            List<String> label = TrendPanels.wrap(line.label(), (int) (LABEL_WIDTH / 6.4), 2);
            for (int l = 0; l < label.size(); l++) {
                svg.text(24, top + (label.size() == 1 ? 23 : 16 + 14 * l), label.get(l), "row-label", "start");
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (List<Double> values : line.cells()) {
                for (Double v : values) {
                    if (v != null) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (hi == lo) {   // flat or empty row: centre the line
                lo -= 1;
                hi += 1;
            }
            for (int c = 0; c < columns.size(); c++) {
                List<Double> values = line.cells().get(c);
                double x0 = left + cell * c + 5;
                double x1 = x0 + cell - 10;
                double y0 = top + 7;
                double y1 = top + ROW - 7;
                double step = (x1 - x0) / Math.max(1, n - 1);
                svg.raw("<g class=\"spark\"><title>" + Html.escape(tooltip(columns.get(c), line, values)) + "</title>");
                if (firstProvisional < n) {
                    double xp = x0 + step * Math.max(0, firstProvisional - 0.5);
                    svg.rect(xp, y0 - 2, x1 - xp + 2, y1 - y0 + 4, "provisional", null);
                }
                List<double[]> pts = new ArrayList<>();
                double[] last = null;
                for (int i = 0; i < n; i++) {
                    Double v = values.get(i);
                    double[] p = v == null ? null : new double[] {x0 + step * i, y1 - (v - lo) / (hi - lo) * (y1 - y0)};
                    pts.add(p);
                    last = p == null ? last : p;
                }
                svg.path(pts, "spark-line", Frame.PALETTE[0], null);
                for (int i = 0; i < n; i++) {   // a value between two gaps draws no line: a dot shows it
                    if (pts.get(i) != null && (i == 0 || pts.get(i - 1) == null) && (i == n - 1 || pts.get(i + 1) == null)) {
                        svg.circle(pts.get(i)[0], pts.get(i)[1], 1.6, "spark-dot", Frame.PALETTE[0], null);
                    }
                }
                if (last != null) {
                    svg.circle(last[0], last[1], 2.2, "spark-end", Frame.PALETTE[0], null);
                } else {
                    svg.text((x0 + x1) / 2, top + 23, "–", "hidden-value", "middle");
                }
                svg.raw("</g>");
            }
        }
        return svg.end();
    }

    /** "34 Hérault : 5,21 (2023-12) → 5,64 (2024-12)". */
    private String tooltip(String column, Line line, List<Double> values) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first < 0) {
            return column + " : masqué ou sans valeur";
        }
        return column + " : " + FrenchFormat.number(values.get(first), line.decimals()) + " (" + periods.get(first) + ") → "
                + FrenchFormat.number(values.get(last), line.decimals()) + " (" + periods.get(last) + ")";
    }
}
