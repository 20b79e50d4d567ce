package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventTable;
import fr.atypie.spark.Columns;
import fr.atypie.spark.ExactSums;
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

    /** Helper column of distinct counts: the item counted (an ATC code). */
    private static final String DISTINCT_ITEM = "_distinct_item";

    private StratifiedCube() {}

    public static String sumOf(String measure) {
        return "sum__" + safe(measure);
    }

    public static String patientsAtLeast(String measure, int k) {
        return "patients_ge" + k + "__" + safe(measure);
    }

    static String monthlyColumn(String measure) {
        return "m__" + safe(measure);
    }

    /** Column of a measure's window value in {@link #measureWindows}'s output. */
    public static String windowColumn(String measure) {
        return "w__" + safe(measure);
    }

    private static String safe(String name) {
        return name.replace('-', '_');
    }

    /**
     * Per patient and care month, every measure of the settings that has a monthly value (null where
     * the patient had none). Distinct counts are left to {@link #patientWindows}.
     */
    public static Dataset<Row> patientMonths(Map<EventTable, Dataset<Row>> events, IndicatorSettings settings) {
        return measureMonths(events, settings.measures().values(), List.of(PATIENT));
    }

    /** Per patient and window month, every measure of the settings rolled up over the window's months. */
    public static Dataset<Row> patientWindows(Dataset<Row> patientMonths, Map<EventTable, Dataset<Row>> events,
                                              Windows windows, IndicatorSettings settings) {
        return measureWindows(patientMonths, events, windows, settings.measures().values(), List.of(PATIENT));
    }

    /**
     * Per {@code keys} (e.g. patient, or prescriber and patient) and care month, the monthly value of
     * each measure, in columns named by {@link #monthlyColumn}. Every key and month with an event of
     * a measure's table gets a row, also when that table only feeds distinct counts (no column then).
     */
    public static Dataset<Row> measureMonths(Map<EventTable, Dataset<Row>> events, Collection<MeasureDefinition> measures,
                                             List<String> keys) {
        Map<EventTable, List<MeasureDefinition>> byTable = new EnumMap<>(EventTable.class);
        measures.forEach(m -> byTable.computeIfAbsent(m.events(), t -> new ArrayList<>()).add(m));
        Column[] groupKeys = Columns.named(keys, CARE_MONTH);
        List<MeasureDefinition> monthly = measures.stream().filter(m -> !m.countsDistinctItems()).toList();
        Dataset<Row> all = null;
        for (Map.Entry<EventTable, List<MeasureDefinition>> e : byTable.entrySet()) {
            List<Column> aggs = e.getValue().stream().filter(m -> !m.countsDistinctItems())
                    .map(m -> m.monthlyValue().as(monthlyColumn(m.name()))).toList();
            Dataset<Row> table = events.get(e.getKey());
            Dataset<Row> part = aggs.isEmpty() ? table.select(groupKeys).distinct()
                    : table.groupBy(groupKeys).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
            all = all == null ? part : all.unionByName(part, true);
        }
        if (monthly.isEmpty()) {
            return all.distinct();
        }
        // Each measure comes from exactly one table, so at most one non-null value per key and month.
        // Only numbers here: an array column would turn this and every later aggregation into a
        // sort-based object aggregation, many times slower.
        List<Column> merged = monthly.stream()
                .map(m -> first(col(monthlyColumn(m.name())), true).as(monthlyColumn(m.name()))).toList();
        return all.groupBy(groupKeys).agg(merged.get(0), merged.subList(1, merged.size()).toArray(Column[]::new));
    }

    /**
     * Rolls monthly measure values up to each window month, per {@code keys}, in {@link #windowColumn}s.
     * A distinct count (molecules over the window) is counted from the distinct (keys, month, item)
     * of its events, exploded to their windows: one more row per key and window, summed in.
     */
    public static Dataset<Row> measureWindows(Dataset<Row> months, Map<EventTable, Dataset<Row>> events, Windows windows,
                                              Collection<MeasureDefinition> measures, List<String> keys) {
        Column[] windowKeys = Columns.named(keys, WINDOW_MONTH);
        Dataset<Row> rows = windows.explode(months, CARE_MONTH).drop(CARE_MONTH);
        for (MeasureDefinition m : measures) {
            if (m.countsDistinctItems()) {
                List<Column> itemColumns = new ArrayList<>(List.of(Columns.named(keys, CARE_MONTH)));
                itemColumns.add(m.item().as(DISTINCT_ITEM));
                Dataset<Row> items = events.get(m.events()).select(itemColumns.toArray(Column[]::new)).distinct();
                Dataset<Row> counted = windows.explode(items, CARE_MONTH).groupBy(windowKeys)
                        .agg(count_distinct(col(DISTINCT_ITEM)).cast("double").as(monthlyColumn(m.name())));
                rows = rows.unionByName(counted, true);
            }
        }
        List<Column> aggs = measures.stream()
                .map(m -> m.windowValue(monthlyColumn(m.name())).as(windowColumn(m.name()))).toList();
        return rows.groupBy(windowKeys).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
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
            Column v = coalesce(col(windowColumn(m)), lit(0.0));
            aggs.add(ExactSums.micros(v).as(sumOf(m)));
            for (int k : thresholds(m, settings.catalogue())) {
                aggs.add(count(when(v.geq(k), lit(1))).as(patientsAtLeast(m, k)));
            }
        }
        Column[] keys = Columns.named(STRATUM_KEYS);
        return joined.groupBy(keys).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).orderBy(keys);
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
