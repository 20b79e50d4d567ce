package fr.atypie.publish.report;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Monthly series side by side, e.g. observed against expected or trend (the inspection asked to
 * show the trend and the observed series together). A null value leaves a gap. Months from
 * {@code provisionalFrom} on (care months whose flux is still arriving) are shaded grey and
 * labelled "provisoire": their low values are late claims, not savings.
 */
public record LineChart(String title, String yTitle, List<YearMonth> months, List<Series> series,
                        boolean yFromZero, YearMonth provisionalFrom) implements Chart {

    static final int HEIGHT = 440;

    public LineChart(String title, String yTitle, List<YearMonth> months, List<Series> series, boolean yFromZero) {
        this(title, yTitle, months, series, yFromZero, null);
    }

    public LineChart {
        months = List.copyOf(months);
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.values().size() != months.size()) {
                throw new IllegalArgumentException("series " + s.name() + " has " + s.values().size()
                        + " values for " + months.size() + " months");
            }
        }
    }

    /** One series; dashed for expected values and trends. Values may hold nulls (gaps). */
    public record Series(String name, List<Double> values, boolean dashed) {
        public Series {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    @Override
    public String svg(String id) {
        double left = 80;
        double right = Frame.WIDTH - 30;
        double top = 78;
        double bottom = HEIGHT - 58;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Double v : s.values()) {
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            lo = 0;
            hi = 1;
        }
        Axis y = Axis.covering(yFromZero ? Math.min(0, lo) : lo, hi, 5, bottom, top);
        int n = months.size();
        double slot = (right - left) / Math.max(1, n);

        Svg svg = new Svg(Frame.WIDTH, HEIGHT, title);
        Frame.title(svg, title);
        List<Frame.LegendItem> legend = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            legend.add(new Frame.LegendItem(s.name(), s.dashed() ? "dash" : "line", Frame.PALETTE[i % Frame.PALETTE.length]));
        }
        if (provisionalFrom != null && !months.isEmpty() && !months.get(n - 1).isBefore(provisionalFrom)) {
            legend.add(new Frame.LegendItem("Mois provisoires (flux incomplets)", "bar", "#e9e9e9"));
        }
        Frame.legend(svg, legend, 24);
        Frame.yGrid(svg, y, left, right);
        int firstProvisional = provisionalFrom == null ? n : (int) months.stream().filter(m -> m.isBefore(provisionalFrom)).count();
        if (firstProvisional < n) {
            double x0 = left + slot * firstProvisional;
            svg.rect(x0, top, right - x0, bottom - top, "provisional", null);
            svg.text(right - 4, top + 14, "provisoire", "provisional-label", "end");
        }
        int every = Math.max(1, (int) Math.ceil(n / 12.0));
        for (int i = 0; i < n; i++) {
            double px = left + slot * (i + 0.5);
            svg.line(px, bottom, px, bottom + 5, "axis");
            if (i % every == 0) {
                svg.text(px, bottom + 20, FrenchFormat.shortMonth(months.get(i)), "tick", "middle");
            }
        }
        Frame.axes(svg, left, top, right, bottom);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = Frame.PALETTE[i % Frame.PALETTE.length];
            List<double[]> pts = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                Double v = s.values().get(m);
                pts.add(v == null ? null : new double[] {left + slot * (m + 0.5), y.px(v)});
            }
            svg.path(pts, s.dashed() ? "series dashed" : "series", color, null);
            for (int m = 0; m < n; m++) {
                double[] p = pts.get(m);
                if (p != null) {
                    svg.circle(p[0], p[1], 3, "marker", color,
                            s.name() + ", " + FrenchFormat.month(months.get(m)) + " : "
                                    + FrenchFormat.number(s.values().get(m), y.decimals() + 1));
                }
            }
        }
        Frame.axisTitles(svg, null, yTitle, left, top, right, bottom);
        return svg.end();
    }
}
