package fr.atypie.indicators;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One catalogue entry: what is measured, why, on whom, and whether lower is better.
 * See conf/indicators.conf for the families.
 */
public record IndicatorDefinition(String name, String label, String why, String unit, Family family,
                                  Optional<Term> numerator, Optional<Term> denominator, StrataFilter filter,
                                  double scale, boolean lowerIsBetter, int days, int from, int to,
                                  Optional<String> cpgIndicator) {

    public enum Family {
        RATIO, SPELL_MEAN_DURATION, SPELL_MEDIAN_BEYOND, SPELL_RETURN_SHARE, GROWTH;

        static Family parse(Section s) {
            return valueOf(s.string("family", List.of("ratio", "spell-mean-duration", "spell-median-beyond",
                    "spell-return-share", "growth")).toUpperCase().replace('-', '_'));
        }

        public boolean fromSpells() {
            return name().startsWith("SPELL_");
        }
    }

    /**
     * A numerator or denominator: the sum of a measure, the number of patients whose measure
     * reaches {@code atLeast}, or the insured population.
     */
    public record Term(Optional<String> measure, Optional<Integer> atLeast, boolean insured) {
        static Term from(Section s, Map<String, MeasureDefinition> measures) {
            if (s.has("population")) {
                s.string("population", List.of("insured"));
                return new Term(Optional.empty(), Optional.empty(), true);
            }
            String m = s.string("measure");
            if (!measures.containsKey(m)) {
                throw new ConfigError(s.key("measure") + " = '" + m + "' is not a measure of atypie.indicators.measures "
                        + measures.keySet().stream().sorted().toList());
            }
            Optional<Integer> k = s.has("at-least") ? Optional.of(s.integer("at-least", 1, 1_000_000)) : Optional.empty();
            return new Term(Optional.of(m), k, false);
        }

        /** Column of the stratified cube holding this term. */
        public String cubeColumn() {
            if (insured) {
                return StratifiedCube.INSURED;
            }
            return atLeast.map(k -> StratifiedCube.patientsAtLeast(measure.get(), k))
                    .orElse(StratifiedCube.sumOf(measure.get()));
        }

        /** Cube column with the number of patients behind this term (for statistical secrecy). */
        public String patientsColumn() {
            if (insured) {
                return StratifiedCube.INSURED;
            }
            return atLeast.map(k -> StratifiedCube.patientsAtLeast(measure.get(), k))
                    .orElse(StratifiedCube.patientsAtLeast(measure.get(), 1));
        }
    }

    /** Strata kept: age bands within [ageMin, ageMax] (inclusive), and optionally ALD status. */
    public record StrataFilter(int ageMin, int ageMax, Optional<Boolean> ald) {
        public static final StrataFilter ALL = new StrataFilter(0, 999, Optional.empty());

        public static StrataFilter from(Section s, AgeBands bands) {
            int min = s.has("age-min") ? s.integer("age-min", 0, 200) : 0;
            int max = s.has("age-max") ? s.integer("age-max", 0, 999) : 999;
            if (!bands.isBoundary(min)) {
                throw new ConfigError(s.key("age-min") + " = " + min + " is not an age-band lower bound " + bands.lowerBounds());
            }
            if (max < 999 && !bands.isBoundary(max + 1)) {
                throw new ConfigError(s.key("age-max") + " = " + max + " must be one less than an age-band lower bound "
                        + bands.lowerBounds());
            }
            Optional<Boolean> ald = s.has("ald") ? Optional.of(s.bool("ald")) : Optional.empty();
            return new StrataFilter(min, max, ald);
        }

        public boolean keeps(int ageBand, boolean aldStatus) {
            return ageBand >= ageMin && ageBand <= ageMax && ald.map(a -> a == aldStatus).orElse(true);
        }

        /** The same test as a Spark predicate on age-band and ALD columns. */
        public org.apache.spark.sql.Column keeps(org.apache.spark.sql.Column ageBand, org.apache.spark.sql.Column aldStatus) {
            org.apache.spark.sql.Column p = ageBand.between(ageMin, ageMax);
            return ald.isPresent() ? p.and(aldStatus.equalTo(ald.get())) : p;
        }
    }

    /**
     * The patients the numerator must be counted on: a denominator that counts patients of another
     * measure (patients seen, patients dispensed), so that the numerator cannot escape it and a share
     * stays ≤ 1. Empty for population, sum and same-measure denominators.
     */
    public Optional<Term> countedOn() {
        if (numerator.isEmpty() || denominator.isEmpty()) {
            return Optional.empty();
        }
        Term n = numerator.get();
        Term d = denominator.get();
        return d.atLeast().isPresent() && d.measure().isPresent() && n.measure().isPresent()
                && !n.measure().equals(d.measure()) ? Optional.of(d) : Optional.empty();
    }

    /** Cube column of the numerator, restricted to the denominator's patients when {@link #countedOn} says so. */
    public String numeratorColumn() {
        String c = numerator.orElseThrow().cubeColumn();
        return countedOn().map(d -> StratifiedCube.among(d, c)).orElse(c);
    }

    /** Cube column of the patients behind the numerator, restricted likewise. */
    public String numeratorPatientsColumn() {
        String c = numerator.orElseThrow().patientsColumn();
        return countedOn().map(d -> StratifiedCube.among(d, c)).orElse(c);
    }

    /**
     * Whether the numerator is a count (patients, lines, prescriptions), for which an exact Poisson
     * interval holds; days, boxes and euros are sums of very unequal sizes and get none.
     */
    public boolean countNumerator(Map<String, MeasureDefinition> measures) {
        Term n = numerator.orElseThrow();
        if (n.insured() || n.atLeast().isPresent()) {
            return true;
        }
        MeasureDefinition.ValueKind v = measures.get(n.measure().orElseThrow()).value();
        return v == MeasureDefinition.ValueKind.LINES || v == MeasureDefinition.ValueKind.PRESCRIPTIONS
                || v == MeasureDefinition.ValueKind.FLAG;
    }

    static IndicatorDefinition from(Section s, Map<String, MeasureDefinition> measures, AgeBands bands) {
        Family family = Family.parse(s);
        Optional<Term> num = s.has("numerator") ? Optional.of(Term.from(s.child("numerator"), measures)) : Optional.empty();
        Optional<Term> den = s.has("denominator") ? Optional.of(Term.from(s.child("denominator"), measures)) : Optional.empty();
        if ((family == Family.RATIO && (num.isEmpty() || den.isEmpty())) || (family == Family.GROWTH && num.isEmpty())) {
            throw new ConfigError(s.key("family") + " = " + family.name().toLowerCase().replace('_', '-')
                    + " needs " + (family == Family.GROWTH ? "a numerator" : "a numerator and a denominator"));
        }
        return new IndicatorDefinition(s.name(), s.string("label"), s.string("why"), s.string("unit"), family, num, den,
                s.has("filter") ? StrataFilter.from(s.child("filter"), bands) : StrataFilter.ALL,
                s.has("scale") ? s.number("scale", 1e-9, 1e9) : 1.0,
                s.bool("lower-is-better"),
                family == Family.SPELL_MEDIAN_BEYOND ? s.integer("days", 1, 3650) : 0,
                family == Family.SPELL_RETURN_SHARE ? s.integer("from", 1, 3650) : 0,
                family == Family.SPELL_RETURN_SHARE ? s.integer("to", 2, 3650) : 0,
                s.has("cpg-indicator") ? Optional.of(s.string("cpg-indicator")) : Optional.empty());
    }
}
