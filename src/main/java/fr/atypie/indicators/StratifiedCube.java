package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventTable;
import fr.atypie.spark.Columns;
import fr.atypie.spark.ExactSums;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The stratified cube every ratio indicator is read from: one row per department × window month ×
 * age band × sex × ALD, with the insured count and, per measure, its sum and the number of patients
 * reaching each threshold the catalogue uses. Built in two steps: events → patient-windows (months
 * added up and rolled up to 12-month windows in one pass per patient, {@link #measureWindows}) →
 * strata (one Spark aggregation).
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

    /** Column {@code column} counted only on the patients of the denominator term {@code on} (measure ≥ k). */
    public static String among(IndicatorDefinition.Term on, String column) {
        return "among_ge" + on.atLeast().orElseThrow() + "_" + safe(on.measure().orElseThrow()) + "__" + column;
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

    /** Per patient and window month, every measure of the settings rolled up over the window's months. */
    public static Dataset<Row> patientWindows(Map<EventTable, Dataset<Row>> events, Windows windows,
                                              IndicatorSettings settings) {
        return measureWindows(events, windows, settings.measures().values(), List.of(PATIENT));
    }

    /** As above, from contributions built for every measure of the settings (and more runs' roll-ups). */
    public static Dataset<Row> patientWindows(PatientContributions contributions, Windows windows, IndicatorSettings settings) {
        return contributions.windows(windows, settings.measures().values(), List.of(col(PATIENT)), lit(true));
    }

    /**
     * Per {@code keys} (patient_id among them: e.g. patient, or prescriber and patient) and care month,
     * the monthly value of each measure, in columns named by {@link #monthlyColumn}. Every key and
     * month with an event of a measure's table gets a row, also when that table only feeds distinct
     * counts (no column then). The relational definition of the monthly values, with
     * {@link #measureWindowsByAggregation}; the job reads windows from {@link #measureWindows}.
     *
     * <p>The events of every table go through one exchange, by patient, as narrow rows (the keys, the
     * month, each measure's contribution); the monthly aggregation after it is made within each
     * partition, and the result stays partitioned by patient.
     */
    public static Dataset<Row> measureMonths(Map<EventTable, Dataset<Row>> events, Collection<MeasureDefinition> measures,
                                             List<String> keys) {
        List<MeasureDefinition> monthly = measures.stream().filter(m -> !m.countsDistinctItems()).toList();
        Column[] groupKeys = Columns.named(keys, CARE_MONTH);
        // Per prescriber and month, a prescription is a day of the month (MeasureDefinition.contribution).
        boolean byPrescriber = keys.contains(PRESCRIBER);
        Dataset<Row> contributions = byPatient(events, measures, keys, monthly, m -> m.contribution(byPrescriber),
                m -> m.contributionType(byPrescriber));
        if (monthly.isEmpty()) {
            return contributions.select(groupKeys).distinct();
        }
        List<Column> aggs = monthly.stream()
                .map(m -> m.monthlyValue(col(contributionColumn(m)), col(presenceColumn(m.events())), byPrescriber)
                        .as(monthlyColumn(m.name())))
                .toList();
        return contributions.groupBy(groupKeys).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    }

    /**
     * The events of the measures' tables as one narrow table partitioned by patient: the keys, the
     * care month, one presence flag per table and, per measure of {@code valued}, its contribution.
     */
    private static Dataset<Row> byPatient(Map<EventTable, Dataset<Row>> events, Collection<MeasureDefinition> measures,
                                          List<String> keys, List<MeasureDefinition> valued,
                                          java.util.function.Function<MeasureDefinition, Column> contribution,
                                          java.util.function.Function<MeasureDefinition, DataType> type) {
        if (!keys.contains(PATIENT)) {
            throw new IllegalArgumentException("measures are kept per patient: " + keys + " lacks " + PATIENT);
        }
        TreeSet<EventTable> tables = new TreeSet<>();
        measures.forEach(m -> tables.add(m.events()));
        Dataset<Row> all = null;
        for (EventTable t : tables) {
            List<Column> cols = new ArrayList<>(List.of(Columns.named(keys, CARE_MONTH)));
            for (EventTable u : tables) {
                cols.add((u == t ? lit(true) : lit(null).cast("boolean")).as(presenceColumn(u)));
            }
            for (MeasureDefinition m : valued) {
                Column c = contribution.apply(m);
                cols.add((m.events() == t ? c : lit(null).cast(type.apply(m))).as(contributionColumn(m)));
            }
            Dataset<Row> table = events.get(t);
            PatientContributions.requireMarkedSpells(t, table, valued);
            Dataset<Row> part = table.select(cols.toArray(Column[]::new));
            all = all == null ? part : all.union(part);
        }
        return all.repartition(col(PATIENT));
    }

    static String contributionColumn(MeasureDefinition m) {
        return "c__" + safe(m.name());
    }

    static String presenceColumn(EventTable t) {
        return "t__" + t.name();
    }

    /**
     * Per {@code keys} (patient_id among them) and window month, every measure rolled up over the
     * window's months, in {@link #windowColumn}s (the keys, window_month, then the measures in their
     * order): a row for each window holding a month with an event of a measure's table.
     *
     * <p>The events of every table go through one exchange by patient as narrow rows
     * ({@link PatientContributions}), are sorted by patient within each partition, and each key's months
     * are added up and rolled up to its windows in one pass over the patient's rows ({@link WindowRollUp}):
     * the same values as {@link #measureWindowsByAggregation} on {@link #measureMonths}, without a
     * hash map of every key × window. The rows come out grouped by patient, not partitioned.
     */
    public static Dataset<Row> measureWindows(Map<EventTable, Dataset<Row>> events, Windows windows,
                                              Collection<MeasureDefinition> measures, List<String> keys) {
        // Only the care months a window covers: no window's value reads another month (spells are marked
        // on the patient's whole history before), so the rest need not move. The profiles' two 12-month
        // windows six months apart read 18 care months of a 24-month store, and a longer store no further back.
        return PatientContributions.of(events, measures, keys, windows.firstCareMonthNeeded(), windows.lastWindowMonth())
                .windows(windows, measures, List.of(Columns.named(keys)), lit(true));
    }

    /**
     * The relational definition of {@link #measureWindows}, which the tests hold it equal to: rolls
     * monthly measure values ({@link #measureMonths}) up to each window month, per {@code keys}.
     * A distinct count (molecules over the window) is counted from the distinct (keys, month, item)
     * of its events, exploded to their windows. When {@code months} comes partitioned by patient (as
     * {@link #measureMonths} leaves it), the twelve copies of each month never leave their partition.
     */
    static Dataset<Row> measureWindowsByAggregation(Dataset<Row> months, Map<EventTable, Dataset<Row>> events,
                                                    Windows windows, Collection<MeasureDefinition> measures,
                                                    List<String> keys) {
        Column[] windowKeys = Columns.named(keys, WINDOW_MONTH);
        List<MeasureDefinition> monthly = measures.stream().filter(m -> !m.countsDistinctItems()).toList();
        List<MeasureDefinition> distinct = measures.stream().filter(MeasureDefinition::countsDistinctItems).toList();
        Dataset<Row> exploded = windows.explode(months, CARE_MONTH).drop(CARE_MONTH);
        Dataset<Row> rows;
        if (monthly.isEmpty()) {
            rows = exploded.select(windowKeys).distinct();
        } else {
            List<Column> aggs = monthly.stream()
                    .map(m -> m.windowValue(monthlyColumn(m.name())).as(windowColumn(m.name()))).toList();
            rows = exploded.groupBy(windowKeys).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
        }
        if (distinct.isEmpty()) {
            return rows;
        }
        // Distinct items, counted per window from the events (one row per key and window), joined in.
        Dataset<Row> items = byPatient(events, distinct, keys, distinct, MeasureDefinition::item, m -> DataTypes.StringType);
        List<String> joinKeys = new ArrayList<>(keys);
        joinKeys.add(WINDOW_MONTH);
        for (MeasureDefinition m : distinct) {
            List<Column> itemColumns = new ArrayList<>(List.of(Columns.named(keys, CARE_MONTH)));
            itemColumns.add(col(contributionColumn(m)).as(DISTINCT_ITEM));
            Dataset<Row> counted = windows.explode(items.select(itemColumns.toArray(Column[]::new))
                            .where(col(DISTINCT_ITEM).isNotNull()).distinct(), CARE_MONTH)
                    .groupBy(windowKeys).agg(count_distinct(col(DISTINCT_ITEM)).cast("double").as(windowColumn(m.name())));
            rows = rows.join(counted, fr.atypie.spark.ScalaSeqs.of(joinKeys), "left")
                    .withColumn(windowColumn(m.name()), coalesce(col(windowColumn(m.name())), lit(0.0)));
        }
        // Columns in the measures' order, as one aggregation would give them.
        List<Column> ordered = new ArrayList<>(List.of(windowKeys));
        measures.forEach(m -> ordered.add(col(windowColumn(m.name()))));
        return rows.select(ordered.toArray(Column[]::new));
    }

    /**
     * Patient-windows and the insured population, aggregated to strata. Patients with claims but
     * absent from IR_BEN_R (or dead before the window) cannot be placed in a stratum: they are left
     * out here and counted by {@link #patientsOutsidePopulation}. Insured patients without claims
     * count in {@link #INSURED} with zero for every measure.
     */
    public static Dataset<Row> build(Population.Insured population, Dataset<Row> patientWindows, IndicatorSettings settings) {
        Column[] keys = Columns.named(STRATUM_KEYS);
        Dataset<Row> insured = population.byWindow().groupBy(keys).agg(count(lit(1)).as(INSURED));
        List<Column> aggs = new ArrayList<>();
        List<Column> merged = new ArrayList<>();
        merged.add(coalesce(sum(col(INSURED)), lit(0L)).as(INSURED));
        for (String m : settings.measures().keySet()) {
            Column v = coalesce(col(windowColumn(m)), lit(0.0));
            aggs.add(ExactSums.micros(v).as(sumOf(m)));
            merged.add(coalesce(max(col(sumOf(m))), lit(0.0)).as(sumOf(m)));
            for (int k : thresholds(m, settings.catalogue())) {
                aggs.add(count(when(v.geq(k), lit(1))).as(patientsAtLeast(m, k)));
                merged.add(coalesce(max(col(patientsAtLeast(m, k))), lit(0L)).as(patientsAtLeast(m, k)));
            }
        }
        // Numerators counted on the denominator's patients only (IndicatorDefinition.countedOn); the
        // denominators' thresholds are at least 1, so insured patients without claims add nothing.
        java.util.Set<String> among = new TreeSet<>();
        for (IndicatorDefinition d : settings.catalogue()) {
            if (d.countedOn().isEmpty()) {
                continue;
            }
            IndicatorDefinition.Term on = d.countedOn().get();
            IndicatorDefinition.Term num = d.numerator().orElseThrow();
            Column in = coalesce(col(windowColumn(on.measure().orElseThrow())), lit(0.0)).geq(on.atLeast().orElseThrow());
            Column v = coalesce(col(windowColumn(num.measure().orElseThrow())), lit(0.0));
            if (among.add(d.numeratorColumn())) {
                aggs.add(num.atLeast().isPresent()
                        ? count(when(in.and(v.geq(num.atLeast().get())), lit(1))).cast("double").as(d.numeratorColumn())
                        : ExactSums.micros(when(in, v).otherwise(0.0)).as(d.numeratorColumn()));
                merged.add(coalesce(max(col(d.numeratorColumn())), lit(0.0)).as(d.numeratorColumn()));
            }
            if (among.add(d.numeratorPatientsColumn())) {
                aggs.add(count(when(in.and(v.geq(num.atLeast().orElse(1))), lit(1))).as(d.numeratorPatientsColumn()));
                merged.add(coalesce(max(col(d.numeratorPatientsColumn())), lit(0L)).as(d.numeratorPatientsColumn()));
            }
        }
        // Thresholds are at least 1: an insured patient without claims (all zeros) adds nothing to them.
        Dataset<Row> measured = population.withStrata(patientWindows).groupBy(keys)
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
        return insured.unionByName(measured, true).groupBy(keys)
                .agg(merged.get(0), merged.subList(1, merged.size()).toArray(Column[]::new)).orderBy(keys);
    }

    /** Patient-windows with claims whose patient is not in the insured population of that window. */
    public static long patientsOutsidePopulation(Population.Insured population, Dataset<Row> patientWindows) {
        return population.outside(patientWindows);
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
