package fr.atypie.publish.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** Minimal SVG writer: coordinates with one decimal, text escaped, attributes in a fixed order. */
final class Svg {
    private final StringBuilder b = new StringBuilder();

    Svg(int width, int height, String title) {
        b.append("<svg viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        b.append("<title>").append(Html.escape(title)).append("</title>\n");
    }

    static String n(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    Svg raw(String s) {
        b.append(s).append('\n');
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String cls) {
        b.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" class=\"").append(cls).append("\"/>\n");
        return this;
    }

    Svg rect(double x, double y, double w, double h, String cls, String fill) {
        b.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" class=\"").append(cls).append('"');
        if (fill != null) {
            b.append(" fill=\"").append(fill).append('"');
        }
        b.append("/>\n");
        return this;
    }

    Svg circle(double cx, double cy, double r, String cls, String fill, String tooltip) {
        b.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" class=\"").append(cls).append("\" fill=\"").append(fill).append('"');
        if (tooltip == null) {
            b.append("/>\n");
        } else {
            b.append("><title>").append(Html.escape(tooltip)).append("</title></circle>\n");
        }
        return this;
    }

    /** anchor: start, middle or end. */
    Svg text(double x, double y, String text, String cls, String anchor) {
        b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" class=\"").append(cls)
                .append("\" text-anchor=\"").append(anchor).append("\">").append(Html.escape(text)).append("</text>\n");
        return this;
    }

    Svg verticalText(double x, double y, String text, String cls) {
        b.append("<text transform=\"translate(").append(n(x)).append(',').append(n(y))
                .append(") rotate(-90)\" class=\"").append(cls).append("\" text-anchor=\"middle\">")
                .append(Html.escape(text)).append("</text>\n");
        return this;
    }

    /** A polyline through the points, broken where a point is null. */
    Svg path(List<double[]> points, String cls, String stroke, String clipId) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (double[] p : points) {
            if (p == null) {
                pen = false;
                continue;
            }
            d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(n(p[0])).append(' ').append(n(p[1]));
            pen = true;
        }
        if (d.length() == 0) {
            return this;
        }
        b.append("<path d=\"").append(d).append("\" class=\"").append(cls).append("\" stroke=\"").append(stroke).append('"');
        if (clipId != null) {
            b.append(" clip-path=\"url(#").append(clipId).append(")\"");
        }
        b.append("/>\n");
        return this;
    }

    Svg clip(String id, double x, double y, double w, double h) {
        b.append("<defs><clipPath id=\"").append(id).append("\"><rect x=\"").append(n(x)).append("\" y=\"").append(n(y))
                .append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h)).append("\"/></clipPath></defs>\n");
        return this;
    }

    String end() {
        return b.append("</svg>").toString();
    }
}
