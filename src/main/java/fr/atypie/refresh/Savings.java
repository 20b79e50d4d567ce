package fr.atypie.refresh;

import static fr.atypie.events.EventColumns.DEPT;

import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.indicators.IndicatorValue;
import fr.atypie.indicators.StratifiedCube;
import fr.atypie.indicators.TrendSavings;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/** Adds to each savings value the number of patients behind its amounts (from the cube), for secrecy. */
final class Savings {
    private Savings() {}

    static List<IndicatorValue> withPatients(List<IndicatorValue> savings, List<Row> cube, IndicatorSettings settings,
                                             String region) {
        Map<String, String> measureOf = settings.savings().series().stream()
                .collect(Collectors.toMap(TrendSavings.Series::name, TrendSavings.Series::measure));
        Map<String, Long> patients = new TreeMap<>(); // measure|territory|window -> patients
        for (Row r : cube) {
            YearMonth w = YearMonth.from(((Date) r.getAs(StratifiedCube.WINDOW_MONTH)).toLocalDate());
            for (String m : measureOf.values()) {
                long n = ((Number) r.getAs(StratifiedCube.patientsAtLeast(m, 1))).longValue();
                patients.merge(m + "|" + r.getAs(DEPT) + "|" + w, n, Long::sum);
                patients.merge(m + "|" + region + "|" + w, n, Long::sum);
            }
        }
        List<IndicatorValue> out = new ArrayList<>();
        for (IndicatorValue v : savings) {
            long n = patients.getOrDefault(measureOf.get(v.indicator()) + "|" + v.territory() + "|" + v.windowMonth(), 0L);
            out.add(new IndicatorValue(v.indicator(), v.level(), v.territory(), v.windowMonth(), v.numerator(),
                    v.denominator(), v.value(), n, v.previousValue(), v.expected(), v.ratio(), v.ratioLower(),
                    v.ratioUpper(), v.standardisedValue(), v.censored()));
        }
        return out;
    }
}
