package fr.atypie.publish.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Funnel plot (Spiegelhalter 2005): each unit's standardised ratio SR = O/E against its expected
 * count E, with control limits that narrow as E grows. By default a point's colour is its
 * position against the drawn limits and units beyond the 99.8 % limits are labelled. When the
 * caller knows what decided (a prescriber's level, which also weighs the shrunk ratio), each
 * point carries its own colour and label flag and {@code categories} is the legend. Colours are
 * Okabe-Ito (colour-blind safe), and outliers are drawn larger: colour is never the only cue.
 *
 * @param points units, drawn in the given order (sort them for a stable output)
 * @param limits95  inner limits as functions of E (e.g. {@link Limits#poisson}); null when {@code groups} are drawn
 * @param limits998 outer limits
 * @param limitLabels legend of the two limit curves (inner, outer)
 * @param categories legend of the point colours; empty: positions against the limits
 * @param groups    limits known only at the points, per group of points judged alike (a peer group with its
 *                  own over-dispersion): each group's curves join its points' limits, drawn instead of
 *                  {@code limits95} and {@code limits998}; every point then carries its colour
 */
public record FunnelPlot(String title, String xTitle, String yTitle, List<Point> points,
                         Limits limits95, Limits limits998, List<String> limitLabels, List<Category> categories,
                         List<GroupLimits> groups) implements Chart {

    static final int HEIGHT = 520;
    static final String WITHIN = "#8c9bab";
    static final String ABOVE_95 = "#E69F00";
    static final String ABOVE_998 = "#D55E00";
    static final String BELOW_95 = "#56B4E9";
    static final String BELOW_998 = "#0072B2";

    public FunnelPlot(String title, String xTitle, String yTitle, List<Point> points, Limits limits95, Limits limits998) {
        this(title, xTitle, yTitle, points, limits95, limits998, List.of("Limites 95 %", "Limites 99,8 %"), List.of());
    }

    public FunnelPlot(String title, String xTitle, String yTitle, List<Point> points, Limits limits95, Limits limits998,
                      List<String> limitLabels, List<Category> categories) {
        this(title, xTitle, yTitle, points, limits95, limits998, limitLabels, categories, List.of());
    }

    public FunnelPlot {
        points = List.copyOf(points);
        limitLabels = List.copyOf(limitLabels);
        categories = List.copyOf(categories);
        groups = List.copyOf(groups);
        for (Point p : points) {
            if (!(p.expected() > 0) || !Double.isFinite(p.ratio()) || p.ratio() < 0) {
                throw new IllegalArgumentException("funnel point " + p.label() + ": expected count must be > 0 and the ratio"
                        + " finite and >= 0 (E = " + p.expected() + ", SR = " + p.ratio() + ")");
            }
            if (groups.isEmpty() ? limits95 == null || limits998 == null : p.colour() == null) {
                throw new IllegalArgumentException("funnel point " + p.label() + ": with limits per group every point"
                        + " carries its colour; otherwise both limit functions are needed");
            }
        }
    }

    /** One point's limits, at its expected count E, as they were used to judge it. */
    public record LimitPoint(double expected, double lower95, double upper95, double lower998, double upper998) { }

    /** The limits of one group of points (e.g. one peer group): its curves join these, in order of E. */
    public record GroupLimits(List<LimitPoint> points) {
        public GroupLimits {
            points = points.stream().sorted(java.util.Comparator.comparingDouble(LimitPoint::expected)).toList();
        }
    }

    /**
     * One unit (department, prescriber): label, expected count E, ratio O/E; {@code colour} null:
     * from its position, and then {@code labelled} is ignored (outliers beyond 99.8 % are);
     * {@code tooltip}: whether hovering shows the label, E and SR.
     */
    public record Point(String label, double expected, double ratio, String colour, boolean labelled, boolean tooltip) {
        public Point(String label, double expected, double ratio) {
            this(label, expected, ratio, null, false, true);
        }
    }

    /** A legend entry of the point colours: what decided (e.g. "Atypie forte"). */
    public record Category(String label, String colour) { }

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
        List<Frame.LegendItem> legend = new ArrayList<>();
        if (categories.isEmpty()) {
            legend.addAll(List.of(new Frame.LegendItem("Dans les limites", "dot", WITHIN),
                    new Frame.LegendItem("Au-delà de 95 %", "dot", ABOVE_95),
                    new Frame.LegendItem("Au-delà de 99,8 %", "dot", ABOVE_998),
                    new Frame.LegendItem("En deçà de 99,8 %", "dot", BELOW_998)));
        } else {
            categories.forEach(c -> legend.add(new Frame.LegendItem(c.label(), "dot", c.colour())));
        }
        legend.add(new Frame.LegendItem(limitLabels.get(0), "dash", "#7f7f7f"));
        legend.add(new Frame.LegendItem(limitLabels.get(1), "line", "#404040"));
        Frame.legend(svg, legend, 24);
        Frame.yGrid(svg, y, left, right);
        Frame.xGrid(svg, x, top, bottom);
        svg.clip(id + "-plot", left, top, right - left, bottom - top);

        if (groups.isEmpty()) {
            // Limits sampled on a geometric grid: they change fastest at small E.
            double e0 = x.max() / 400;
            List<LimitPoint> sampled = new ArrayList<>();
            int samples = 160;
            for (int i = 0; i < samples; i++) {
                double e = e0 * Math.pow(x.max() / e0, i / (double) (samples - 1));
                sampled.add(new LimitPoint(e, limits95.lower().applyAsDouble(e), limits95.upper().applyAsDouble(e),
                        limits998.lower().applyAsDouble(e), limits998.upper().applyAsDouble(e)));
            }
            drawLimits(svg, sampled, x, y, id);
        } else {
            for (GroupLimits g : groups) {
                drawLimits(svg, g.points(), x, y, id);
            }
        }
        svg.line(left, y.px(1), right, y.px(1), "reference");
        svg.text(right + 6, y.px(1) + 4, "SR = 1", "tick", "start");
        Frame.axes(svg, left, top, right, bottom);

        for (Point p : points) {
            Position pos = p.colour() != null ? null : position(p);
            String color = p.colour() != null ? p.colour() : switch (pos) {
                case WITHIN -> WITHIN;
                case ABOVE_95 -> ABOVE_95;
                case ABOVE_998 -> ABOVE_998;
                case BELOW_95 -> BELOW_95;
                case BELOW_998 -> BELOW_998;
            };
            boolean labelled = p.colour() != null ? p.labelled() : pos == Position.ABOVE_998 || pos == Position.BELOW_998;
            boolean outlier = p.colour() != null ? p.labelled() || !color.equals(WITHIN) : pos != Position.WITHIN;
            double px = x.px(p.expected());
            double py = y.px(Math.min(p.ratio(), y.max()));
            String tip = p.tooltip() ? p.label() + " : E = " + FrenchFormat.number(p.expected(), 1) + ", SR = "
                    + FrenchFormat.number(p.ratio(), 2) : null;
            svg.circle(px, py, outlier ? 6 : 4, "point", color, tip);
            if (labelled) {
                svg.text(px + 8, py + 4, p.label(), "point-label", "start");
            }
        }
        Frame.axisTitles(svg, xTitle, yTitle, left, top, right, bottom);
        return svg.end();
    }

    /**
     * The four curves through the limits, in order of E; a lone point (a group of one) gets short
     * ticks at its limits instead.
     */
    private static void drawLimits(Svg svg, List<LimitPoint> limits, Axis x, Axis y, String id) {
        List<java.util.function.ToDoubleFunction<LimitPoint>> curves = List.of(LimitPoint::lower95, LimitPoint::upper95,
                LimitPoint::lower998, LimitPoint::upper998);
        for (int c = 0; c < curves.size(); c++) {
            String cls = c < 2 ? "limit dashed" : "limit";
            String colour = c < 2 ? "#7f7f7f" : "#404040";
            List<double[]> path = new ArrayList<>();
            for (LimitPoint l : limits) {
                double v = curves.get(c).applyAsDouble(l);
                if (Double.isFinite(v)) {
                    path.add(new double[] {x.px(l.expected()), y.px(clamp(v, y))});
                }
            }
            if (path.size() == 1) {
                double[] p = path.get(0);
                path = List.of(new double[] {p[0] - 6, p[1]}, new double[] {p[0] + 6, p[1]});
            }
            svg.path(path, cls, colour, id + "-plot");
        }
    }

    /** Keeps infinite limits (E near 0) drawable; the clip path hides what leaves the plot. */
    private static double clamp(double v, Axis y) {
        double span = y.max() - y.min();
        return Math.max(y.min() - span, Math.min(y.max() + span, v));
    }
}
