package fr.atypie.indicators;

import fr.atypie.settings.Section;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The typed {@code atypie.indicators} section: windows, strata, measures and the catalogue. */
public record IndicatorSettings(int windowMonths, AgeBands ageBands, int spellMaxGapDays,
                                Map<String, MeasureDefinition> measures, List<IndicatorDefinition> catalogue,
                                TrendSavings.Settings savings) {

    public static IndicatorSettings from(Section s) {
        AgeBands bands = new AgeBands(s.integers("age-bands"));
        Map<String, MeasureDefinition> measures = new LinkedHashMap<>(s.map("measures", MeasureDefinition::from));
        List<IndicatorDefinition> catalogue = s.children("catalogue").stream()
                .map(c -> IndicatorDefinition.from(c, measures, bands)).toList();
        return new IndicatorSettings(s.integer("window-months", 1, 36), bands,
                s.integer("spell-max-gap-days", 0, 30), Collections.unmodifiableMap(measures), catalogue,
                s.has("savings") ? TrendSavings.Settings.from(s.child("savings"), measures) : TrendSavings.Settings.NONE);
    }

    /** Whether a measure counts sick-leave spells: the periods must then be marked ({@code SickLeaveSpells.markOpenings}). */
    public boolean countsSpells() {
        return measures.values().stream().anyMatch(m -> m.value().needsPatientHistory());
    }

    public IndicatorDefinition indicator(String name) {
        return catalogue.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no indicator " + name));
    }
}
