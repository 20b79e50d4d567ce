package fr.atypie.events;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

/**
 * Builds sick-leave spells (arrêts) from paid IJ periods: a patient's consecutive or overlapping
 * periods of the same risk form one spell, tolerating a gap of up to {@code maxGapDays} days
 * between the end of one period and the start of the next (a short return to work followed by a
 * relapse is the same spell for the indicators). A spell whose last covered day is within that gap
 * of the data cut-off may still be running: it is right-censored, not closed, and its duration
 * is a lower bound.
 *
 * <p>Output columns: {@link #SPELL_COLUMNS}. The prescribers of a spell's parts are kept in start
 * order (initial prescriber first, then those who extended it).
 */
public final class SickLeaveSpells {
    public static final String SPELL_ID = "spell_id";
    public static final String DURATION = "duration_days";
    public static final String CENSORED = "censored";
    public static final String INITIAL_PRESCRIBER = "initial_prescriber_id";
    public static final String PRESCRIBERS = "prescriber_ids";
    public static final String PERIODS = "periods";
    public static final String[] SPELL_COLUMNS = {PATIENT, RISK, SPELL_ID, START_DATE, END_DATE,
        DURATION, PAID_DAYS, AMOUNT, PERIODS, INITIAL_PRESCRIBER, PRESCRIBERS, CENSORED,
        DEPT, AGE, SEX, ALD};

    private SickLeaveSpells() {}

    /**
     * Whether a period opens a spell (boolean): it starts after every earlier period of the patient
     * and risk has ended, plus one day, plus {@code maxGapDays}. The period that opens a spell is its
     * initial notice; later periods extend it. Ties on the start day are ordered by end, prescriber
     * and amount, so that the same periods always give the same openings.
     */
    public static final String OPENS_SPELL = "opens_spell";
    /** Metadata key of {@link #OPENS_SPELL}: the gap the openings were marked with. */
    private static final String MAX_GAP_DAYS = "max_gap_days";

    /**
     * The periods with {@link #OPENS_SPELL}. Mark the patient's whole history, before any filter by
     * prescriber or month: whether a period opens a spell depends on the periods before it, whoever
     * prescribed them. A spell already running on the first day of the extract opens on its first
     * period seen (the extract is left-truncated there).
     */
    public static Dataset<Row> markOpenings(Dataset<Row> periods, int maxGapDays) {
        Column coveredUntil = max(col(END_DATE)).over(byPatient().rowsBetween(Window.unboundedPreceding(), -1));
        // The gap travels with the column (its metadata): build() reuses a marking made with its own gap only.
        Metadata gap = new MetadataBuilder().putLong(MAX_GAP_DAYS, maxGapDays).build();
        return periods.withColumn(OPENS_SPELL, coveredUntil.isNull()
                .or(col(START_DATE).gt(date_add(coveredUntil, 1 + maxGapDays))), gap);
    }

    /** Whether the periods already carry {@link #OPENS_SPELL} marked with this gap (then there is no window to redo). */
    public static boolean markedWith(Dataset<Row> periods, int maxGapDays) {
        if (!java.util.Arrays.asList(periods.columns()).contains(OPENS_SPELL)) {
            return false;
        }
        Metadata m = periods.schema().apply(OPENS_SPELL).metadata();
        return m.contains(MAX_GAP_DAYS) && m.getLong(MAX_GAP_DAYS) == maxGapDays;
    }

    private static WindowSpec byPatient() {
        return Window.partitionBy(PATIENT, RISK).orderBy(col(START_DATE), col(END_DATE), col(PRESCRIBER), col(AMOUNT));
    }

    /**
     * @param periods    SICK_LEAVE_PERIODS events
     * @param cutoff     last day the extract covers (e.g. the end of the last care month read)
     * @param maxGapDays days without cover still bridged inside one spell (0 = strictly contiguous)
     */
    public static Dataset<Row> build(Dataset<Row> periods, java.time.LocalDate cutoff, int maxGapDays) {
        // Periods the caller marked already, with this gap (the monthly refresh marks them for every consumer), are not marked again.
        Dataset<Row> numbered = (markedWith(periods, maxGapDays) ? periods : markOpenings(periods, maxGapDays))
                .withColumn("spell_seq", sum(when(col(OPENS_SPELL), lit(1)).otherwise(lit(0))).over(
                        byPatient().rowsBetween(Window.unboundedPreceding(), Window.currentRow())));

        // The first period in the order of the openings: its prescriber is the one a spell count credits.
        Column firstByStart = struct(col(START_DATE), col(END_DATE), col(PRESCRIBER), col(DEPT), col(AGE), col(SEX), col(ALD));
        Dataset<Row> spells = numbered.groupBy(col(PATIENT), col(RISK), col("spell_seq"))
                .agg(min(START_DATE).as(START_DATE),
                        max(END_DATE).as(END_DATE),
                        ExactSums.micros(col(PAID_DAYS)).as(PAID_DAYS),
                        ExactSums.micros(col(AMOUNT)).as(AMOUNT),
                        count(lit(1)).as(PERIODS),
                        min(firstByStart).as("first"),
                        // Prescribers in order of their first period, duplicates removed.
                        array_distinct(transform(array_sort(collect_list(struct(col(START_DATE), col(PRESCRIBER)))),
                                s -> s.getField(PRESCRIBER))).as(PRESCRIBERS));

        java.sql.Date cut = java.sql.Date.valueOf(cutoff);
        return spells
                .withColumn(DURATION, datediff(col(END_DATE), col(START_DATE)).plus(1))
                .withColumn(CENSORED, col(END_DATE).geq(date_sub(lit(cut), maxGapDays)))
                .withColumn(INITIAL_PRESCRIBER, col("first").getField(PRESCRIBER))
                .withColumn(DEPT, col("first").getField(DEPT))
                .withColumn(AGE, col("first").getField(AGE))
                .withColumn(SEX, col("first").getField(SEX))
                .withColumn(ALD, col("first").getField(ALD))
                .withColumn(SPELL_ID, concat_ws("#", col(PATIENT), col(RISK), col("spell_seq").cast("string")))
                .select(SPELL_COLUMNS[0], java.util.Arrays.copyOfRange(SPELL_COLUMNS, 1, SPELL_COLUMNS.length));
    }
}
