package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.indicators.IndicatorValue;
import fr.atypie.indicators.TrendSavings.TrendPoint;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdditiveSetsTest {
    private static final YearMonth DEC = YearMonth.of(2024, 12);
    private static final YearMonth NOV = YearMonth.of(2024, 11);
    private static final YearMonth DEC_BEFORE = YearMonth.of(2023, 12);

    private static IndicatorValue value(String indicator, String territory, YearMonth window, long patients, Double previous) {
        String level = territory.equals("76") ? IndicatorValue.REGION : IndicatorValue.DEPARTMENT;
        return new IndicatorValue(indicator, level, territory, window, (double) patients, 100.0, 1.0, patients, previous,
                null, null, null, null, null, 0);
    }

    private static TrendPoint point(String territory, YearMonth month, long patients) {
        String level = territory.equals("76") ? IndicatorValue.REGION : IndicatorValue.DEPARTMENT;
        return new TrendPoint("sav", level, territory, month, 1000.0, 1100.0, patients);
    }

    /** Worked by hand in the comments, set by set in the order AdditiveSets visits them. */
    @Test
    void departmentsMonthsWindowsAndPreviousValuesAreProtectedTogether() {
        List<IndicatorValue> indicators = List.of(
                // 2023-12: 034 (8) alone hidden -> 011 (20, the smallest shown department) hidden too.
                value("ij", "76", DEC_BEFORE, 50, null), value("ij", "011", DEC_BEFORE, 20, null),
                value("ij", "030", DEC_BEFORE, 22, null), value("ij", "034", DEC_BEFORE, 8, null),
                // 2024-12: 011 (9) alone hidden -> 030 (20) too. 034 is shown, but its value 12
                // months before (a hidden window) must not show through previous_value / change.
                value("ij", "76", DEC, 60, 1.0), value("ij", "011", DEC, 9, 1.0),
                value("ij", "030", DEC, 20, 1.0), value("ij", "034", DEC, 31, 1.0),
                // Savings on the last window: the sum of the trend's months of each territory.
                value("sav", "76", DEC, 100, null), value("sav", "011", DEC, 40, null), value("sav", "034", DEC, 60, null));
        List<TrendPoint> trend = List.of(
                point("76", NOV, 70), point("011", NOV, 30), point("034", NOV, 40),
                // December: 011 (7) hidden -> 034 (73 < region 80) hidden (departments vs region);
                // 011's window = Nov + Dec: Dec alone hidden -> Nov (30 < window 40) hidden;
                // 034's window: Dec alone hidden -> Nov (40 < window 60) hidden; November then
                // holds two hidden departments: nothing more.
                point("76", DEC, 80), point("011", DEC, 7), point("034", DEC, 73));

        AdditiveSets.Suppression s = AdditiveSets.complements(indicators, trend, 10);

        assertEquals(Set.of("ij|011|2023-12", "ij|030|2024-12"), s.indicators());
        assertEquals(Set.of("sav|011|2024-11", "sav|034|2024-11", "sav|034|2024-12"), s.trend());
        assertEquals(Set.of("ij|034|2024-12"), s.previousValues());
    }

    @Test
    void nothingSmallNothingHidden() {
        AdditiveSets.Suppression s = AdditiveSets.complements(List.of(value("ij", "76", DEC, 60, null),
                value("ij", "011", DEC, 25, null), value("ij", "034", DEC, 35, null)), List.of(), 10);
        assertEquals(Set.of(), s.indicators());
        assertEquals(Set.of(), s.previousValues());
    }
}
