package fr.atypie.publish.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear axis with "nice" ticks (1, 2, 2.5 or 5 times a power of ten) covering the data, and
 * the mapping from data values to pixels.
 */
record Axis(double min, double max, double step, double pixelFrom, double pixelTo) {

    static Axis covering(double dataMin, double dataMax, int targetTicks, double pixelFrom, double pixelTo) {
        if (!(dataMax > dataMin)) {
            dataMax = dataMin + 1;
        }
        double step = niceStep((dataMax - dataMin) / targetTicks);
        double lo = Math.floor(dataMin / step + 1e-9) * step;
        double hi = Math.ceil(dataMax / step - 1e-9) * step;
        return new Axis(lo, hi, step, pixelFrom, pixelTo);
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * p;
    }

    double px(double v) {
        return pixelFrom + (v - min) / (max - min) * (pixelTo - pixelFrom);
    }

    List<Double> ticks() {
        List<Double> t = new ArrayList<>();
        long n = Math.round((max - min) / step);
        for (long i = 0; i <= n; i++) {
            t.add(min + i * step);
        }
        return t;
    }

    /** Decimals that show the step exactly (0 for 50, 1 for 0.5, 2 for 0.25). */
    int decimals() {
        for (int d = 0; d < 6; d++) {
            double scaled = step * Math.pow(10, d);
            if (Math.abs(scaled - Math.round(scaled)) < 1e-6) {
                return d;
            }
        }
        return 6;
    }

    String label(double v) {
        return FrenchFormat.number(v, decimals());
    }
}
