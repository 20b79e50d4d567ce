package fr.atypie.refresh;

import fr.atypie.indicators.IndicatorValue;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.publish.ComplementarySuppression;
import fr.atypie.publish.ComplementarySuppression.Cell;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The additive sets of the published aggregates, and the cells to hide on top of the small ones
 * ({@link ComplementarySuppression}):
 * <ul>
 *   <li>departments vs region: for each indicator and window, the region row is the sum of its
 *       department rows (numerator, denominator, patients; savings amounts); same for each savings
 *       series and care month of the trend table;</li>
 *   <li>months vs window: a savings series' value on the refresh month's window is the sum of the
 *       gaps of the trend's 12 months (per territory);</li>
 *   <li>a window vs the window 12 months before: {@code previous_value} and {@code change} of a
 *       shown row give the value of the earlier window back, so they are hidden when that window
 *       is hidden.</li>
 * </ul>
 * Keys: {@code indicator|territory|YYYY-MM} (indicators) and {@code series|territory|YYYY-MM}
 * (trend), the same as {@link Publisher} builds from the published columns.
 */
final class AdditiveSets {
    /** What to hide beyond the small cells: indicator rows, trend rows, and previous values of shown rows. */
    record Suppression(Set<String> indicators, Set<String> trend, Set<String> previousValues) {
        static final Suppression NONE = new Suppression(Set.of(), Set.of(), Set.of());
    }

    private AdditiveSets() {}

    static String key(String indicator, String territory, YearMonth month) {
        return indicator + "|" + territory + "|" + month;
    }

    static Suppression complements(List<IndicatorValue> indicators, List<TrendSavings.TrendPoint> trend, int threshold) {
        List<Cell> cells = new ArrayList<>();
        Map<String, List<String>> sets = new TreeMap<>();
        for (IndicatorValue v : indicators) {
            String k = "I|" + key(v.indicator(), v.territory(), v.windowMonth());
            cells.add(new Cell(k, v.patients(), v.patients() < threshold));
            sets.computeIfAbsent("geo|I|" + v.indicator() + "|" + v.windowMonth(), s -> new ArrayList<>()).add(k);
        }
        Map<String, YearMonth> lastMonth = new TreeMap<>();
        for (TrendSavings.TrendPoint p : trend) {
            String k = "T|" + key(p.series(), p.territory(), p.month());
            cells.add(new Cell(k, p.patients(), p.patients() < threshold));
            sets.computeIfAbsent("geo|T|" + p.series() + "|" + p.month(), s -> new ArrayList<>()).add(k);
            sets.computeIfAbsent("time|" + p.series() + "|" + p.territory(), s -> new ArrayList<>()).add(k);
            lastMonth.merge(p.series() + "|" + p.territory(), p.month(), (a, b) -> a.isAfter(b) ? a : b);
        }
        // The trend's months are those of the last window: its savings value closes each time set.
        lastMonth.forEach((seriesTerritory, month) ->
                sets.get("time|" + seriesTerritory).add("I|" + seriesTerritory + "|" + month));
        Collection<List<String>> all = sets.values();
        Set<String> added = ComplementarySuppression.complements(cells, all);

        Set<String> hiddenIndicators = new TreeSet<>();
        Set<String> hiddenTrend = new TreeSet<>();
        Set<String> complementIndicators = new TreeSet<>();
        Set<String> complementTrend = new TreeSet<>();
        for (Cell c : cells) {
            boolean complement = added.contains(c.key());
            if (c.hidden() || complement) {
                (c.key().startsWith("I|") ? hiddenIndicators : hiddenTrend).add(c.key().substring(2));
            }
            if (complement) {
                (c.key().startsWith("I|") ? complementIndicators : complementTrend).add(c.key().substring(2));
            }
        }
        Set<String> previous = new TreeSet<>();
        for (IndicatorValue v : indicators) {
            String k = key(v.indicator(), v.territory(), v.windowMonth());
            if (v.previousValue() != null && !hiddenIndicators.contains(k)
                    && hiddenIndicators.contains(key(v.indicator(), v.territory(), v.windowMonth().minusMonths(12)))) {
                previous.add(k);
            }
        }
        return new Suppression(Set.copyOf(complementIndicators), Set.copyOf(complementTrend), Set.copyOf(previous));
    }
}
