package fr.atypie.publish.report;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Small multiples of monthly series, side by side in one chart: one panel per measure, sharing
 * the months, the legend and the shading of provisional months (the profile sheet's 24-month
 * trend: the prescriber against the mean of the peers on the same patients). Each panel has its
 * own y axis from zero. A null value leaves a gap: a month hidden by statistical secrecy, or one
 * without patients.
 *
 * @param seriesNames     legend of the series, in the order of each panel's values (the first solid,
 *                        the next ones dashed)
 * @param provisionalFrom first provisional care month (shaded from there on); null: none
 */
public record TrendPanels(String title, List<String> seriesNames, List<YearMonth> months, YearMonth provisionalFrom,
                          List<Panel> panels) implements Chart {

    static final double TOP = 70;
    static final double TITLE_LINES = 2;
    static final double PLOT_HEIGHT = 130;
    static final double GAP = 34;
    static final double LEFT_AXIS = 46;

    /**
     * One measure: its title (wrapped on two lines), the values of each series (one per month,
     * nulls for gaps) and the decimals of the axis labels and tooltips.
     */
    public record Panel(String title, List<List<Double>> series, int decimals) {
        public Panel {
            series = series.stream().map(s -> java.util.Collections.unmodifiableList(new ArrayList<>(s))).toList();
        }
    }

    public TrendPanels {
        seriesNames = List.copyOf(seriesNames);
        months = List.copyOf(months);
        panels = List.copyOf(panels);
        for (Panel p : panels) {
            if (p.series().size() != seriesNames.size()) {
                throw new IllegalArgumentException("panel " + p.title() + ": " + p.series().size() + " series for "
                        + seriesNames.size() + " names");
            }
            for (List<Double> s : p.series()) {
                if (s.size() != months.size()) {
                    throw new IllegalArgumentException("panel " + p.title() + ": " + s.size() + " values for "
                            + months.size() + " months");
                }
            }
        }
    }

    /** Height of the drawing: title, legend, panel titles, plot and month ticks. */
    static double height() {
        return TOP + 17 * TITLE_LINES + 8 + PLOT_HEIGHT + 30;
    }

    @Override
    public String svg(String id) {
        int height = (int) Math.ceil(height());
        Svg svg = new Svg(Frame.WIDTH, height, title);
        Frame.title(svg, title);
        List<Frame.LegendItem> legend = new ArrayList<>();
        for (int i = 0; i < seriesNames.size(); i++) {
            legend.add(new Frame.LegendItem(seriesNames.get(i), i == 0 ? "line" : "dash", Frame.PALETTE[i % Frame.PALETTE.length]));
        }
        int n = months.size();
        int firstProvisional = provisionalFrom == null ? n : (int) months.stream().filter(m -> m.isBefore(provisionalFrom)).count();
        if (firstProvisional < n) {
            legend.add(new Frame.LegendItem("Mois provisoires (flux incomplets)", "bar", "#e9e9e9"));
        }
        Frame.legend(svg, legend, 24);

        int count = Math.max(1, panels.size());
        double width = (Frame.WIDTH - 24 - 30 - GAP * (count - 1)) / count;   // 30 on the right: the last month's label
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            double x0 = 24 + p * (width + GAP);
            List<String> lines = wrap(panel.title(), (int) (width / 6.9), (int) TITLE_LINES);
            for (int l = 0; l < lines.size(); l++) {
                svg.text(x0, TOP + 14 + 17 * l, lines.get(l), "panel-title", "start");
            }
            double left = x0 + LEFT_AXIS;
            double right = x0 + width;
            double top = TOP + 17 * TITLE_LINES + 8;
            double bottom = top + PLOT_HEIGHT;
            double max = 0;
            for (List<Double> s : panel.series()) {
                for (Double v : s) {
                    if (v != null) {
                        max = Math.max(max, v);
                    }
                }
            }
            Axis y = Axis.covering(0, max > 0 ? max : 1, 4, bottom, top);
            double slot = (right - left) / Math.max(1, n);
            for (double t : y.ticks()) {
                double py = y.px(t);
                svg.line(left, py, right, py, "grid");
                svg.text(left - 6, py + 4, y.label(t), "tick", "end");
            }
            if (firstProvisional < n) {
                double xp = left + slot * firstProvisional;
                svg.rect(xp, top, right - xp, bottom - top, "provisional", null);
            }
            int every = n > 12 ? 6 : n > 6 ? 3 : 1;
            for (int i = 0; i < n; i++) {
                double px = left + slot * (i + 0.5);
                if ((n - 1 - i) % every == 0) {   // ticks counted back from the latest month, which is always labelled
                    svg.line(px, bottom, px, bottom + 4, "axis");
                    svg.text(px, bottom + 18, FrenchFormat.shortMonth(months.get(i)), "tick", "middle");
                }
            }
            Frame.axes(svg, left, top, right, bottom);
            for (int s = 0; s < panel.series().size(); s++) {
                List<Double> values = panel.series().get(s);
                String colour = Frame.PALETTE[s % Frame.PALETTE.length];
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Double v = values.get(i);
                    pts.add(v == null ? null : new double[] {left + slot * (i + 0.5), y.px(v)});
                }
                svg.path(pts, s == 0 ? "series" : "series dashed", colour, null);
                for (int i = 0; i < n; i++) {
                    double[] pt = pts.get(i);
                    // markers on the first series only (the prescriber), so that isolated months stay visible
                    if (pt != null && s == 0) {
                        svg.circle(pt[0], pt[1], 2.6, "marker", colour, seriesNames.get(s) + ", "
                                + FrenchFormat.month(months.get(i)) + " : " + FrenchFormat.number(values.get(i), panel.decimals()));
                    }
                }
            }
        }
        return svg.end();
    }

    /** Splits a title into at most {@code max} lines of about {@code chars} characters, "…" when cut. */
    static List<String> wrap(String text, int chars, int max) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        String[] words = text.split(" ");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (line.length() > 0 && line.length() + 1 + w.length() > chars) {
                if (lines.size() == max - 1) {
                    lines.add(line + " …");
                    return lines;
                }
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(w);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
