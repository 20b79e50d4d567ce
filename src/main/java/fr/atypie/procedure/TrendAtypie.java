package fr.atypie.procedure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Trend atypie ("entretiens d'alerte"): prescribers whose sick-leave prescribing grows sharply
 * against their own past. Sick-leave spells initiated in the last 12 months (N1) against the 12
 * before (N0), standardised on the region's growth g = ΣN1/ΣN0: under "grows like the region",
 * N1 given N1 + N0 = n is Binomial(n, g/(1 + g)) (two Poisson counts), so
 * z = (N1 − n·p0)/√(n·p0·(1 − p0)) with p0 = g/(1 + g). Flagged when n ≥ {@code min-spells},
 * N0 > 0 (a new practice is not a trend), own growth / g ≥ {@code min-ratio} and z ≥ {@code min-z}.
 * IJ days of both periods are shown beside, not tested (days are far more variable than counts).
 */
public final class TrendAtypie {
    private TrendAtypie() {}

    public record Volumes(String prescriber, String dept, long spellsNow, long spellsBefore, double daysNow,
                          double daysBefore, long patients) {}

    public record Signal(Volumes volumes, double regionGrowth, Double growth, Double relativeGrowth, Double z,
                         boolean flagged, String reason) {}

    public static List<Signal> assess(List<Volumes> all, ProcedureSettings.Trend settings) {
        long now = all.stream().mapToLong(Volumes::spellsNow).sum();
        long before = all.stream().mapToLong(Volumes::spellsBefore).sum();
        double g = before > 0 ? (double) now / before : Double.NaN;
        List<Signal> out = new ArrayList<>();
        for (Volumes v : all) {
            long n = v.spellsNow() + v.spellsBefore();
            Double growth = v.spellsBefore() > 0 ? (double) v.spellsNow() / v.spellsBefore() : null;
            Double relative = growth != null && g > 0 ? growth / g : null;
            Double z = null;
            if (n > 0 && g > 0 && !Double.isNaN(g)) {
                double p0 = g / (1 + g);
                z = (v.spellsNow() - n * p0) / Math.sqrt(n * p0 * (1 - p0));
            }
            boolean flagged = n >= settings.minSpells() && relative != null && z != null
                    && relative >= settings.minRatio() && z >= settings.minZ();
            String reason = growth == null ? "Pas d'arrêt prescrit sur les 12 mois précédents : pas de tendance."
                    : String.format(Locale.FRANCE, "Arrêts prescrits : %d sur les 12 derniers mois contre %d sur les 12 "
                            + "précédents (x%.2f) quand la région fait x%.2f : %.2f fois la croissance régionale (z %.2f) ; "
                            + "jours d'IJ %,.0f contre %,.0f.", v.spellsNow(), v.spellsBefore(), growth, g, relative,
                            z, v.daysNow(), v.daysBefore());
            out.add(new Signal(v, g, growth, relative, z, flagged, reason));
        }
        out.sort(Comparator.comparing((Signal s) -> s.volumes().prescriber()));
        return out;
    }
}
