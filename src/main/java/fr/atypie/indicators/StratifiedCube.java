package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventTable;
import fr.atypie.events.Population;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The stratified cube every ratio indicator is read from: one row per department × window month ×
 * age band × sex × ALD, with the insured count and, per measure, its sum and the number of patients
 * reaching each threshold the catalogue uses. Built in three steps, each a single Spark
 * aggregation: events → patient-months → patient-windows (12-month roll-up) → strata.
 *
 * <p>The cube carries no patient identifier and is small (departments × windows × ~36 strata), so
 * indicators are computed from it on the driver, exactly.
 */
public final class StratifiedCube {
    public static final String INSURED = "insured";
    public static final String AGE_BAND = Population.AGE_BAND;
    public static final String WINDOW_MONTH = Windows.WINDOW_MONTH;
    public static final List<String> STRATUM_KEYS = List.of(DEPT, WINDOW_MONTH, AGE_BAND, SEX, ALD);

    private StratifiedCube() {}

    public static String sumOf(String measure) {
        return "sum__" + safe(measure);
    }

    public static String patientsAtLeast(String measure, int k) {
        return "patients_ge" + k + "__" + safe(measure);
    }

    private static String monthly(String measure) {
        return "m__" + safe(measure);
    }

    private static String windowed(String measure) {
        return "w__" + safe(measure);
    }

    private static String safe(String name) {
        return name.replace('-', '_');
    }

    /** Per patient and care month, every measure of the settings (null where the patient had none). */
    public static Dataset<Row> patientMonths(Map<EventTable, Dataset<Row>> events, IndicatorSettings settings) {
        Map<EventTable, List<MeasureDefinition>> byTable = new EnumMap<>(EventTable.class);
        settings.measures().values().forEach(m -> byTable.computeIfAbsent(m.events(), t -> new ArrayList<>()).add(m));
        Dataset<Row> all = null;
        for (Map.Entry<EventTable, List<MeasureDefinition>> e : byTable.entrySet()) {
            List<Column> aggs = e.getValue().stream().map(m -> m.monthlyValue().as(monthly(m.name()))).toList();
            Dataset<Row> part = events.get(e.getKey()).groupBy(PATIENT, CARE_MONTH)
                    .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
            all = all == null ? part : all.unionByName(part, true);
        }
        // Each measure comes from exactly one table, so at most one non-null value per patient-month.
        List<Column> merged = settings.measures().keySet().stream()
                .map(m -> first(col(monthly(m)), true).as(monthly(m))).toList();
        return all.groupBy(PATIENT, CARE_MONTH).agg(merged.get(0), merged.subList(1, merged.size()).toArray(Column[]::new));
    }

    /** Per patient and window month, every measure rolled up over the window's months. */
    public static Dataset<Row> patientWindows(Dataset<Row> patientMonths, Windows windows, IndicatorSettings settings) {
        List<Column> aggs = settings.measures().values().stream()
                .map(m -> m.windowValue(monthly(m.name())).as(windowed(m.name()))).toList();
        return windows.explode(patientMonths, CARE_MONTH).groupBy(PATIENT, WINDOW_MONTH)
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    }

    /**
     * Joins patient-windows to the insured population and aggregates to strata. Patients with
     * claims but absent from IR_BEN_R cannot be placed in a stratum: they are left out here and
     * counted by {@link #patientsOutsidePopulation}.
     */
    public static Dataset<Row> build(Dataset<Row> population, Dataset<Row> patientWindows, IndicatorSettings settings) {
        Dataset<Row> joined = population.join(patientWindows, new String[] {PATIENT, WINDOW_MONTH}, "left");
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(lit(1)).as(INSURED));
        for (String m : settings.measures().keySet()) {
            Column v = coalesce(col(windowed(m)), lit(0.0));
            aggs.add(sum(v).as(sumOf(m)));
            for (int k : thresholds(m, settings.catalogue())) {
                aggs.add(count(when(v.geq(k), lit(1))).as(patientsAtLeast(m, k)));
            }
        }
        List<Column> keys = STRATUM_KEYS.stream().map(org.apache.spark.sql.functions::col).toList();
        return joined.groupBy(keys.toArray(Column[]::new))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .orderBy(keys.toArray(Column[]::new));
    }

    /** Patient-windows with claims whose patient is not in the insured population of that window. */
    public static long patientsOutsidePopulation(Dataset<Row> population, Dataset<Row> patientWindows) {
        return patientWindows.join(population, new String[] {PATIENT, WINDOW_MONTH}, "left_anti").count();
    }

    /** Thresholds the catalogue asks of a measure; 1 always (patients with any), for secrecy. */
    static Collection<Integer> thresholds(String measure, List<IndicatorDefinition> catalogue) {
        TreeSet<Integer> ks = new TreeSet<>(List.of(1));
        for (IndicatorDefinition i : catalogue) {
            for (var term : List.of(i.numerator(), i.denominator())) {
                term.filter(t -> t.measure().filter(measure::equals).isPresent())
                        .flatMap(IndicatorDefinition.Term::atLeast).ifPresent(ks::add);
            }
        }
        return ks;
    }
}
