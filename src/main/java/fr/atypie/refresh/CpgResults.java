package fr.atypie.refresh;

import fr.atypie.config.AtypieConfig;
import fr.atypie.indicators.IndicatorDefinition;
import fr.atypie.indicators.IndicatorValue;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.indicators.scorecard.Scorecard;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The measured results the CPG scorecard scores: each department's value, on the refresh month's
 * window, of every indicator or savings series that names a {@code cpg-indicator}. A value built
 * on fewer patients than the secrecy threshold is not scored (it would be published through the
 * scorecard): the indicator is then listed as missing.
 *
 * <p>Late flux: savings of recent months are corrected for completeness (see {@code TrendSavings}),
 * so the refresh month's window is scored as it is, not compared raw with a consolidated year.
 */
final class CpgResults {
    private CpgResults() {}

    /** @param complements values hidden by complementary suppression ({@link AdditiveSets#key} keys): not scored either */
    static List<Scorecard.IndicatorResult> measured(List<IndicatorValue> values, AtypieConfig config, YearMonth month,
                                                    java.util.Set<String> complements) {
        Map<String, Optional<String>> cpgIdOf = new TreeMap<>();
        for (IndicatorDefinition d : config.indicators().catalogue()) {
            cpgIdOf.put(d.name(), d.cpgIndicator());
        }
        for (TrendSavings.Series s : config.indicators().savings().series()) {
            cpgIdOf.put(s.name(), s.cpgIndicator());
        }
        List<Scorecard.IndicatorResult> out = new ArrayList<>();
        for (IndicatorValue v : values) {
            Optional<String> cpg = cpgIdOf.getOrDefault(v.indicator(), Optional.empty());
            if (cpg.isPresent() && v.windowMonth().equals(month) && v.level().equals(IndicatorValue.DEPARTMENT)
                    && v.value() != null && v.patients() >= config.publish().smallCellThreshold()
                    && !complements.contains(AdditiveSets.key(v.indicator(), v.territory(), v.windowMonth()))) {
                out.add(new Scorecard.IndicatorResult(v.territory(), cpg.get(), v.value()));
            }
        }
        return out;
    }

    /** Rank of each ranked department (unranked ones, incomplete scorecards, are left out). */
    static Map<String, Integer> ranks(List<Scorecard.DepartmentScore> scores) {
        Map<String, Integer> out = new TreeMap<>();
        for (Scorecard.DepartmentScore d : scores) {
            if (d.rank() > 0) {
                out.put(d.department(), d.rank());
            }
        }
        return out;
    }
}
