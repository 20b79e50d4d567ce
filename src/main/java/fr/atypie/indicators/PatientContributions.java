package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.PATIENT;
import static fr.atypie.events.EventColumns.PRESCRIBER;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import fr.atypie.events.EventTable;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.spark.Columns;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/**
 * The events of every measure's table as one narrow table moved once to their patient's partition
 * and sorted by patient there: per event, the columns {@code carried} (the patient and the keys the
 * roll-ups group by, or what they are computed from), the care month's number, one presence flag per
 * table and each measure's contribution ({@link MeasureDefinition#contribution}, per prescriber and
 * month as well where that differs). {@link #windows} rolls a set of measures up to windows over any
 * keys among those columns, with no exchange.
 *
 * <p>Why one table: the indicators (per patient), the prescriber profiles (per prescriber and patient)
 * and the prescribers' trend (per prescriber, patient and stratum) read the same events. Each built its
 * own narrow rows, moved them by patient and sorted them: three exchanges and sorts of every event (and
 * three markings of the sick-leave spells upstream). A refresh builds this once, {@link #persist}ed, for
 * all three: about 6 % off a monthly refresh at scale 0.05, nothing measurable on a full build, where the
 * table's build and cache cost what the later roll-ups save (docs/operators.md).
 */
public final class PatientContributions {
    /** Prefix of a contribution per prescriber and month, where it differs from the per-patient one. */
    private static final String PER_PRESCRIBER = "p__";

    private final Dataset<Row> rows;
    private final Map<String, MeasureDefinition> measures;
    private final TreeSet<EventTable> tables;
    private final YearMonth firstCare;
    private final YearMonth lastCare;

    private PatientContributions(Dataset<Row> rows, Map<String, MeasureDefinition> measures, TreeSet<EventTable> tables,
                                 YearMonth firstCare, YearMonth lastCare) {
        this.rows = rows;
        this.measures = measures;
        this.tables = tables;
        this.firstCare = firstCare;
        this.lastCare = lastCare;
    }

    /**
     * The contributions of {@code measures} from the events of care months {@code firstCare} to
     * {@code lastCare}, with the event columns {@code carried} ({@code patient_id} among them).
     * Spells are counted from {@link SickLeaveSpells#OPENS_SPELL}: mark the periods on the patients'
     * whole history first.
     */
    public static PatientContributions of(Map<EventTable, Dataset<Row>> events, Collection<MeasureDefinition> measures,
                                          List<String> carried, YearMonth firstCare, YearMonth lastCare) {
        if (!carried.contains(PATIENT)) {
            throw new IllegalArgumentException("contributions are kept per patient: " + carried + " lacks " + PATIENT);
        }
        Map<String, MeasureDefinition> byName = new LinkedHashMap<>();
        measures.forEach(m -> byName.put(m.name(), m));
        TreeSet<EventTable> tables = new TreeSet<>();
        measures.forEach(m -> tables.add(m.events()));
        // Only where the per-prescriber contribution differs (prescriptions: a day's bit, not a text).
        List<MeasureDefinition> perPrescriber = measures.stream().filter(PatientContributions::differsPerPrescriber).toList();
        Column covered = col(CARE_MONTH).between(Windows.firstDay(firstCare), Windows.firstDay(lastCare));
        Dataset<Row> all = null;
        for (EventTable t : tables) {
            Dataset<Row> table = events.get(t);
            requireMarkedSpells(t, table, measures);
            List<Column> cols = new ArrayList<>(List.of(Columns.named(carried)));
            cols.add(Windows.monthIndex(col(CARE_MONTH)).as(WindowRollUp.CARE_INDEX));
            for (EventTable u : tables) {
                cols.add((u == t ? lit(true) : lit(null).cast("boolean")).as(StratifiedCube.presenceColumn(u)));
            }
            for (MeasureDefinition m : measures) {
                cols.add(own(m, t, m.contribution(false), m.contributionType(false)).as(StratifiedCube.contributionColumn(m)));
            }
            for (MeasureDefinition m : perPrescriber) {
                cols.add(own(m, t, m.contribution(true), m.contributionType(true)).as(perPrescriberColumn(m)));
            }
            Dataset<Row> part = table.where(covered).select(cols.toArray(Column[]::new));
            all = all == null ? part : all.union(part);
        }
        // Sorted by the patient alone: one 64-bit key (or text), which Spark radix-sorts without comparing
        // rows; WindowRollUp groups a patient's few rows by key and month itself.
        return new PatientContributions(all.repartition(col(PATIENT)).sortWithinPartitions(col(PATIENT)), byName, tables,
                firstCare, lastCare);
    }

    /** The contributions kept (memory, then local disk) for several roll-ups; {@link #unpersist} when done. */
    public PatientContributions persist() {
        return new PatientContributions(rows.persist(), measures, tables, firstCare, lastCare);
    }

    public void unpersist() {
        rows.unpersist();
    }

    /**
     * Per {@code keys} and window month, every measure of {@code rolledUp} rolled up over the window's
     * months ({@link StratifiedCube#measureWindows}'s output), from the rows {@code where} keeps.
     *
     * @param keys columns computed from the carried ones, each named ({@code patient_id} among them);
     *             with {@code prescriber_id}, prescriptions are counted per prescriber and month
     */
    public Dataset<Row> windows(Windows windows, Collection<MeasureDefinition> rolledUp, List<Column> keys, Column where) {
        if (windows.firstCareMonthNeeded().isBefore(firstCare) || windows.lastWindowMonth().isAfter(lastCare)) {
            throw new IllegalArgumentException("windows " + windows.firstWindowMonth() + " to " + windows.lastWindowMonth()
                    + " need care months outside the contributions' " + firstCare + " to " + lastCare);
        }
        List<MeasureDefinition> asked = List.copyOf(rolledUp);
        TreeSet<EventTable> used = new TreeSet<>();
        for (MeasureDefinition m : asked) {
            if (!measures.containsKey(m.name())) {
                throw new IllegalArgumentException("measure " + m.name() + " is not among the contributions " + measures.keySet());
            }
            used.add(m.events());
        }
        List<Column> selected = new ArrayList<>(keys);
        selected.add(col(WindowRollUp.CARE_INDEX));
        used.forEach(t -> selected.add(col(StratifiedCube.presenceColumn(t))));
        Dataset<Row> keyed = rows.select(keys.toArray(Column[]::new));
        List<String> keyNames = List.of(keyed.columns());
        boolean byPrescriber = keyNames.contains(PRESCRIBER);
        for (MeasureDefinition m : asked) {
            String column = byPrescriber && differsPerPrescriber(m) ? perPrescriberColumn(m) : StratifiedCube.contributionColumn(m);
            selected.add(col(column).as(StratifiedCube.contributionColumn(m)));
        }
        // Only the months the windows cover and the rows of the measures' tables: as if built for them alone.
        Column inWindows = col(WindowRollUp.CARE_INDEX).between(Windows.index(windows.firstCareMonthNeeded()),
                Windows.index(windows.lastWindowMonth()));
        Column ofTables = used.stream().map(t -> col(StratifiedCube.presenceColumn(t)).isNotNull()).reduce(Column::or).orElseThrow();
        // Filters and projections keep each partition's rows in their order: a patient's rows stay together.
        Dataset<Row> contributions = rows.where(inWindows.and(ofTables).and(where)).select(selected.toArray(Column[]::new));
        WindowRollUp rollUp = WindowRollUp.of(contributions.schema(), keyNames, asked, byPrescriber, windows,
                m -> StratifiedCube.presenceColumn(m.events()), StratifiedCube::contributionColumn);
        return contributions.mapPartitions(rollUp, Encoders.row(rollUp.outputSchema()));
    }

    /** Spells are counted on periods marked on each patient's whole history: a table not marked yet is a caller's bug. */
    static void requireMarkedSpells(EventTable t, Dataset<Row> table, Collection<MeasureDefinition> measures) {
        for (MeasureDefinition m : measures) {
            if (m.events() == t && m.value().needsPatientHistory()
                    && !List.of(table.columns()).contains(SickLeaveSpells.OPENS_SPELL)) {
                throw new IllegalStateException(m.name() + " counts spells: mark the " + t + " events with "
                        + "SickLeaveSpells.markOpenings on the patients' whole history first");
            }
        }
    }

    private static boolean differsPerPrescriber(MeasureDefinition m) {
        return m.value() == MeasureDefinition.ValueKind.PRESCRIPTIONS;
    }

    private static String perPrescriberColumn(MeasureDefinition m) {
        return PER_PRESCRIBER + StratifiedCube.contributionColumn(m).substring(3);
    }

    /** {@code contribution} on the events of the measure's table, null on the others'. */
    private static Column own(MeasureDefinition m, EventTable t, Column contribution, DataType type) {
        return m.events() == t ? contribution : lit(null).cast(type);
    }
}
