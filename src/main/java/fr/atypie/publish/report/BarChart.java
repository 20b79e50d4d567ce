package fr.atypie.publish.report;

import java.util.List;

/**
 * Horizontal bars (e.g. number of prescribers per segment), in the given order, value written at
 * the end of each bar. A null value is a hidden cell: no bar, the hidden label instead.
 */
public record BarChart(String title, String xTitle, List<Bar> bars, int decimals, String hiddenLabel) implements Chart {

    static final double ROW = 30;

    public BarChart {
        bars = List.copyOf(bars);
    }

    /** One bar; {@code value} null when hidden by statistical secrecy. */
    public record Bar(String label, Double value) { }

    @Override
    public String svg(String id) {
        double longest = bars.stream().mapToDouble(b -> Frame.textWidth(b.label())).max().orElse(40);
        double left = Math.min(300, 36 + longest);
        double right = Frame.WIDTH - 70;
        double top = 48;   // no legend: bars start under the title
        double bottom = top + ROW * Math.max(1, bars.size()) + 6;
        int height = (int) Math.ceil(bottom + 56);
        double max = bars.stream().filter(b -> b.value() != null).mapToDouble(Bar::value).max().orElse(1);
        Axis x = Axis.covering(0, Math.max(max, 1e-9), 6, left, right);

        Svg svg = new Svg(Frame.WIDTH, height, title);
        Frame.title(svg, title);
        Frame.xGrid(svg, x, top, bottom);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double yMid = top + ROW * i + ROW / 2 + 3;
            svg.text(left - 10, yMid + 4, b.label(), "bar-label", "end");
            if (b.value() == null) {
                svg.text(left + 6, yMid + 4, hiddenLabel, "hidden-value", "start");
                continue;
            }
            double w = x.px(b.value()) - left;
            svg.rect(left, yMid - 10, Math.max(w, 0), 20, "bar", Frame.PALETTE[0]);
            svg.text(left + Math.max(w, 0) + 6, yMid + 4, FrenchFormat.number(b.value(), decimals), "bar-value", "start");
        }
        Frame.axes(svg, left, top, right, bottom);
        Frame.axisTitles(svg, xTitle, null, left, top, right, bottom);
        return svg.end();
    }
}
