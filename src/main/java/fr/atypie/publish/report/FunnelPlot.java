package fr.atypie.publish.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Funnel plot (Spiegelhalter 2005): each unit's standardised ratio SR = O/E against its expected
 * count E, with control limits that narrow as E grows. Units beyond the 99.8 % limits are
 * labelled: above in red (atypical), below in green (good practice worth praising).
 *
 * @param points units, drawn in the given order (sort them for a stable output)
 * @param limits95  95 % limits as functions of E (e.g. {@link Limits#poisson})
 * @param limits998 99.8 % limits
 */
public record FunnelPlot(String title, String xTitle, String yTitle, List<Point> points,
                         Limits limits95, Limits limits998) implements Chart {

    static final int HEIGHT = 520;
    static final String WITHIN = "#5b7490";
    static final String ABOVE_95 = "#ed7d31";
    static final String ABOVE_998 = "#c00000";
    static final String BELOW_95 = "#a9d18e";
    static final String BELOW_998 = "#2e7d32";

    public FunnelPlot {
        points = List.copyOf(points);
        for (Point p : points) {
            if (!(p.expected() > 0) || !Double.isFinite(p.ratio()) || p.ratio() < 0) {
                throw new IllegalArgumentException("funnel point " + p.label() + ": expected count must be > 0 and the ratio"
                        + " finite and >= 0 (E = " + p.expected() + ", SR = " + p.ratio() + ")");
            }
        }
    }

    /** One unit (department, prescriber): label, expected count E, ratio O/E. */
    public record Point(String label, double expected, double ratio) { }

    /** Lower and upper control limits of the ratio as functions of E. */
    public record Limits(DoubleUnaryOperator lower, DoubleUnaryOperator upper) {
        /** Normal approximation of Poisson limits on O/E: 1 ± z / √E. */
        public static Limits poisson(double z) {
            return new Limits(e -> 1 - z / Math.sqrt(e), e -> 1 + z / Math.sqrt(e));
        }
    }

    /** Where a point falls relative to the limits. */
    public enum Position { WITHIN, ABOVE_95, ABOVE_998, BELOW_95, BELOW_998 }

    public Position position(Point p) {
        double e = p.expected();
        if (p.ratio() > limits998.upper().applyAsDouble(e)) {
            return Position.ABOVE_998;
        }
        if (p.ratio() < limits998.lower().applyAsDouble(e)) {
            return Position.BELOW_998;
        }
        if (p.ratio() > limits95.upper().applyAsDouble(e)) {
            return Position.ABOVE_95;
        }
        if (p.ratio() < limits95.lower().applyAsDouble(e)) {
            return Position.BELOW_95;
        }
        return Position.WITHIN;
    }

    @Override
    public String svg(String id) {
        double left = 80;
        double right = Frame.WIDTH - 120;   // room for outlier labels
        double top = 78;
        double bottom = HEIGHT - 58;
        double maxE = points.stream().mapToDouble(Point::expected).max().orElse(1);
        double maxSr = points.stream().mapToDouble(Point::ratio).max().orElse(1);
        Axis x = Axis.covering(0, maxE * 1.05, 8, left, right);
        Axis y = Axis.covering(0, Math.max(1.5, maxSr * 1.1), 6, bottom, top);

        Svg svg = new Svg(Frame.WIDTH, HEIGHT, title);
        Frame.title(svg, title);
        Frame.legend(svg, List.of(
                new Frame.LegendItem("Dans les limites", "dot", WITHIN),
                new Frame.LegendItem("Au-delà de 95 %", "dot", ABOVE_95),
                new Frame.LegendItem("Au-delà de 99,8 %", "dot", ABOVE_998),
                new Frame.LegendItem("En deçà de 99,8 %", "dot", BELOW_998),
                new Frame.LegendItem("Limites 95 %", "dash", "#7f7f7f"),
                new Frame.LegendItem("Limites 99,8 %", "line", "#404040")), 24);
        Frame.yGrid(svg, y, left, right);
        Frame.xGrid(svg, x, top, bottom);
        svg.clip(id + "-plot", left, top, right - left, bottom - top);

        // Limits sampled on a geometric grid: they change fastest at small E.
        double e0 = x.max() / 400;
        List<double[]> lo95 = new ArrayList<>();
        List<double[]> hi95 = new ArrayList<>();
        List<double[]> lo998 = new ArrayList<>();
        List<double[]> hi998 = new ArrayList<>();
        int samples = 160;
        for (int i = 0; i < samples; i++) {
            double e = e0 * Math.pow(x.max() / e0, i / (double) (samples - 1));
            lo95.add(new double[] {x.px(e), y.px(clamp(limits95.lower().applyAsDouble(e), y))});
            hi95.add(new double[] {x.px(e), y.px(clamp(limits95.upper().applyAsDouble(e), y))});
            lo998.add(new double[] {x.px(e), y.px(clamp(limits998.lower().applyAsDouble(e), y))});
            hi998.add(new double[] {x.px(e), y.px(clamp(limits998.upper().applyAsDouble(e), y))});
        }
        svg.path(lo95, "limit dashed", "#7f7f7f", id + "-plot");
        svg.path(hi95, "limit dashed", "#7f7f7f", id + "-plot");
        svg.path(lo998, "limit", "#404040", id + "-plot");
        svg.path(hi998, "limit", "#404040", id + "-plot");
        svg.line(left, y.px(1), right, y.px(1), "reference");
        svg.text(right + 6, y.px(1) + 4, "SR = 1", "tick", "start");
        Frame.axes(svg, left, top, right, bottom);

        for (Point p : points) {
            Position pos = position(p);
            String color = switch (pos) {
                case WITHIN -> WITHIN;
                case ABOVE_95 -> ABOVE_95;
                case ABOVE_998 -> ABOVE_998;
                case BELOW_95 -> BELOW_95;
                case BELOW_998 -> BELOW_998;
            };
            double px = x.px(p.expected());
            double py = y.px(Math.min(p.ratio(), y.max()));
            String tip = p.label() + " : E = " + FrenchFormat.number(p.expected(), 1) + ", SR = " + FrenchFormat.number(p.ratio(), 2);
            svg.circle(px, py, 5, "point", color, tip);
            if (pos == Position.ABOVE_998 || pos == Position.BELOW_998) {
                svg.text(px + 8, py + 4, p.label(), "point-label", "start");
            }
        }
        Frame.axisTitles(svg, xTitle, yTitle, left, top, right, bottom);
        return svg.end();
    }

    /** Keeps infinite limits (E near 0) drawable; the clip path hides what leaves the plot. */
    private static double clamp(double v, Axis y) {
        double span = y.max() - y.min();
        return Math.max(y.min() - span, Math.min(y.max() + span, v));
    }
}
