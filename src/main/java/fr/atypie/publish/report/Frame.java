package fr.atypie.publish.report;

import java.util.List;

/** Shared drawing of a chart's frame: title, legend, grid, ticks and axis titles. */
final class Frame {
    static final int WIDTH = 960;
    static final double TITLE_Y = 26;
    static final double LEGEND_Y = 52;
    /** Okabe-Ito (colour-blind safe): blue, vermillion, bluish green, reddish purple, orange, sky blue. */
    static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"};

    private Frame() {}

    /** One legend entry: kind is "line", "dash", "dot" or "bar". */
    record LegendItem(String label, String kind, String color) { }

    static void title(Svg svg, String title) {
        svg.text(24, TITLE_Y, title, "chart-title", "start");
    }

    static void legend(Svg svg, List<LegendItem> items, double x0) {
        double x = x0;
        for (LegendItem it : items) {
            double y = LEGEND_Y;
            switch (it.kind()) {
                case "line" -> svg.raw("<line x1=\"" + Svg.n(x) + "\" y1=\"" + Svg.n(y - 4) + "\" x2=\"" + Svg.n(x + 22)
                        + "\" y2=\"" + Svg.n(y - 4) + "\" class=\"legend-line\" stroke=\"" + it.color() + "\"/>");
                case "dash" -> svg.raw("<line x1=\"" + Svg.n(x) + "\" y1=\"" + Svg.n(y - 4) + "\" x2=\"" + Svg.n(x + 22)
                        + "\" y2=\"" + Svg.n(y - 4) + "\" class=\"legend-line dashed\" stroke=\"" + it.color() + "\"/>");
                case "dot" -> svg.circle(x + 11, y - 4, 5, "legend-dot", it.color(), null);
                default -> svg.rect(x + 3, y - 10, 16, 12, "legend-bar", it.color());
            }
            svg.text(x + 28, y, it.label(), "legend", "start");
            x += 28 + legendWidth(it.label()) + 16;
        }
    }

    /** Rough width of a 12 px sans-serif label (upper bound): places legends and bar labels without overlap. */
    static double textWidth(String s) {
        return s.length() * 6.6;
    }

    /** Legend labels are shorter on average than the upper bound: tighter spacing. */
    static double legendWidth(String s) {
        return s.length() * 5.9;
    }

    static void yGrid(Svg svg, Axis y, double left, double right) {
        for (double t : y.ticks()) {
            double py = y.px(t);
            svg.line(left, py, right, py, "grid");
            svg.text(left - 8, py + 4, y.label(t), "tick", "end");
        }
    }

    static void xGrid(Svg svg, Axis x, double top, double bottom) {
        for (double t : x.ticks()) {
            double px = x.px(t);
            svg.line(px, top, px, bottom, "grid");
            svg.text(px, bottom + 18, x.label(t), "tick", "middle");
        }
    }

    static void axes(Svg svg, double left, double top, double right, double bottom) {
        svg.line(left, bottom, right, bottom, "axis");
        svg.line(left, top, left, bottom, "axis");
    }

    static void axisTitles(Svg svg, String xTitle, String yTitle, double left, double top, double right, double bottom) {
        if (xTitle != null) {
            svg.text((left + right) / 2, bottom + 42, xTitle, "axis-title", "middle");
        }
        if (yTitle != null) {
            svg.verticalText(20, (top + bottom) / 2, yTitle, "axis-title");
        }
    }
}
