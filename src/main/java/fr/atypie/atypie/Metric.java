package fr.atypie.atypie;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import fr.atypie.indicators.AgeBands;
import fr.atypie.indicators.IndicatorDefinition.StrataFilter;
import fr.atypie.indicators.MeasureDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One atypie metric of a theme: observed numerator attributed to the prescriber, compared with
 * what the prescriber's peers would show on the same patients. Weight metrics divide by the
 * patient base (volume per patient), structure metrics by another measure (the mix).
 *
 * @param denominatorMeasure empty for the patient base
 */
public record Metric(String theme, String themeLabel, String name, String label, Kind kind, String numeratorMeasure,
                     Optional<String> denominatorMeasure, StrataFilter filter, String amountMeasure,
                     boolean procedures, boolean escalates) {

    public enum Kind { WEIGHT, STRUCTURE }

    /**
     * @param procedures whether MSO/MSAP exist for the theme (art. L162-1-15: sick leave, transports...);
     *                   elsewhere a strongly atypical prescriber is offered a peer exchange, not a procedure
     *                   (the {@code escalates} key, default true, says whether the metric alone may lead
     *                   beyond a DAM visit)
     */
    static Metric from(String theme, String themeLabel, boolean procedures, Section s, Map<String, MeasureDefinition> measures,
                       AgeBands bands) {
        Kind kind = Kind.valueOf(s.string("kind", List.of("weight", "structure")).toUpperCase());
        String num = measure(s.child("numerator"), "measure", measures);
        Section den = s.child("denominator");
        Optional<String> denMeasure;
        if (den.has("base")) {
            if (!den.bool("base")) {
                throw new ConfigError(den.key("base") + " must be true (or use measure = NAME)");
            }
            denMeasure = Optional.empty();
        } else {
            denMeasure = Optional.of(measure(den, "measure", measures));
        }
        return new Metric(theme, themeLabel, s.name(), s.string("label"), kind, num, denMeasure,
                s.has("filter") ? StrataFilter.from(s.child("filter"), bands) : StrataFilter.ALL,
                measure(s, "amount", measures), procedures, !s.has("escalates") || s.bool("escalates"));
    }

    private static String measure(Section s, String key, Map<String, MeasureDefinition> measures) {
        String m = s.string(key);
        if (!measures.containsKey(m)) {
            throw new ConfigError(s.key(key) + " = '" + m + "' is not a measure of atypie.indicators.measures");
        }
        return m;
    }

    /** Stable identifier, e.g. "sick-leave/patients-with-ij". */
    public String id() {
        return theme + "/" + name;
    }
}
