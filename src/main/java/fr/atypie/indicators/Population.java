package fr.atypie.indicators;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventColumns;
import fr.atypie.quality.Departments;
import fr.atypie.snds.DcirRules;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The insured population of each 12-month window: the denominators of per-insured indicators and
 * the standardisation strata of every patient. A beneficiary counts in the window ending in month
 * M if alive at the start of that window; the stratum is taken at the window's end: age reached
 * in M's year (the SNDS gives the birth year only), sex, and ALD if any exemption period overlaps
 * the window.
 *
 * <p>It is kept as one small row per beneficiary ({@link Insured#patients()}), never as the
 * beneficiaries × windows rows: broadcast, it gives the stratum of any patient-window where that
 * row lies, so patient-level tables are never moved to meet it.
 */
public final class Population {
    public static final String WINDOW_MONTH = Windows.WINDOW_MONTH;
    public static final String AGE_BAND = "age_band";
    /** Columns of {@link Insured#byWindow()}: patient_id, window_month, dept, sex, age, age_band, ald. */
    public static final String[] COLUMNS = {EventColumns.PATIENT, WINDOW_MONTH, EventColumns.DEPT,
        EventColumns.SEX, EventColumns.AGE, AGE_BAND, EventColumns.ALD};

    private static final String BIRTH_YEAR = "_pop_birth_year";
    private static final String DEATH = "_pop_death_date";
    private static final String ALD_PERIODS = "_pop_ald_periods";
    private static final String START = "start";
    private static final String END = "end";

    private Population() {}

    /**
     * The insured of some windows.
     *
     * @param patients one row per beneficiary: patient_id, dept (as in IR_BEN_R), sex, birth year,
     *                 death date and ALD periods (an array of start and end dates as in IR_IMB_R)
     */
    public record Insured(Dataset<Row> patients, Windows windows, AgeBands bands) {
        /** One row per beneficiary × window where insured, with {@link #COLUMNS}. */
        public Dataset<Row> byWindow() {
            // The beneficiary's row carries its strata's inputs: not joined back to the broadcast population
            // (the cube broadcasts it once, for the claims' patient-windows).
            Dataset<Row> rows = patients
                    .crossJoin(broadcast(windows.asDataset(patients.sparkSession()).select(WINDOW_MONTH)));
            return strata(rows).select(COLUMNS[0], java.util.Arrays.copyOfRange(COLUMNS, 1, COLUMNS.length));
        }

        /**
         * Rows keyed by patient_id and window_month, with dept, sex, age, age_band and ald of that
         * window added; rows whose patient is not insured in that window are left out.
         */
        public Dataset<Row> withStrata(Dataset<Row> rows) {
            requireSameKey(rows);
            return strata(rows.join(broadcast(patients), EventColumns.PATIENT));
        }

        /** Rows with a window_month and the population's columns: those alive at the window's start, with their strata. */
        private Dataset<Row> strata(Dataset<Row> rows) {
            Column windowStart = add_months(col(WINDOW_MONTH), -(windows.length() - 1));
            Column windowEnd = last_day(col(WINDOW_MONTH));
            Column overlaps = coalesce(exists(col(ALD_PERIODS), p -> p.getField(START).leq(windowEnd)
                    .and(p.getField(END).isNull().or(p.getField(END).geq(windowStart)))), lit(false));
            Column age = year(col(WINDOW_MONTH)).minus(col(BIRTH_YEAR));
            return rows
                    .where(col(DEATH).isNull().or(col(DEATH).geq(windowStart)))
                    .withColumn(EventColumns.AGE, age)
                    .withColumn(AGE_BAND, bands.bandOf(age))
                    .withColumn(EventColumns.ALD, overlaps)
                    .drop(BIRTH_YEAR, DEATH, ALD_PERIODS);
        }

        /** Rows keyed by patient_id and window_month whose patient is not insured in that window. */
        public long outside(Dataset<Row> rows) {
            requireSameKey(rows);
            Dataset<Row> known = patients.select(col(EventColumns.PATIENT), col(DEATH), lit(true).as(KNOWN));
            return rows.select(EventColumns.PATIENT, WINDOW_MONTH)
                    .join(broadcast(known), new String[] {EventColumns.PATIENT}, "left")
                    .where(col(KNOWN).isNull().or(col(DEATH).lt(add_months(col(WINDOW_MONTH), -(windows.length() - 1)))))
                    .count();
        }

        /** The same population with its patients keyed by {@code keys} (as the rows it will meet). */
        public Insured keyedBy(PatientKeys keys) {
            return new Insured(patients.withColumn(EventColumns.PATIENT, keys.of(col(EventColumns.PATIENT))), windows, bands);
        }

        /** Spark would compare a string pseudonym with a long key by casting it, finding no patient: refused. */
        private void requireSameKey(Dataset<Row> rows) {
            var mine = patients.schema().apply(EventColumns.PATIENT).dataType();
            var theirs = rows.schema().apply(EventColumns.PATIENT).dataType();
            if (!mine.equals(theirs)) {
                throw new IllegalArgumentException("patients keyed by " + theirs.simpleString() + " met a population keyed by "
                        + mine.simpleString() + ": key both with the same PatientKeys");
            }
        }

        /** The same population over other windows. */
        public Insured over(Windows other) {
            return new Insured(patients, other, bands);
        }

        public Insured persist() {
            return new Insured(patients.persist(), windows, bands);
        }

        public void unpersist() {
            patients.unpersist();
        }
    }

    private static final String KNOWN = "_pop_known";

    /** The beneficiaries' {@code patient_id}s (as the events write them), one column, for {@link PatientKeys#forPatients}. */
    public static Dataset<Row> patientIds(Dataset<Row> beneficiaries) {
        return beneficiaries.select(patientId().as(EventColumns.PATIENT));
    }

    private static Column patientId() {
        return concat_ws(":", col(BEN_NIR_PSA), col(BEN_RNG_GEM).cast("string"));
    }

    /**
     * @param beneficiaries IR_BEN_R (validated)
     * @param ald           IR_IMB_R (validated)
     * @param windows       the window months to compute
     */
    public static Insured byWindow(Dataset<Row> beneficiaries, Dataset<Row> ald, Windows windows, AgeBands bands) {
        Column patient = patientId();
        Dataset<Row> people = beneficiaries
                .select(patient.as(EventColumns.PATIENT),
                        Departments.normalised(col(BEN_RES_DPT)).as(EventColumns.DEPT),   // as the events carry it
                        col(BEN_SEX_COD).as(EventColumns.SEX),
                        col(BEN_NAI_ANN).cast("int").as(BIRTH_YEAR),
                        DcirRules.unlessNoDate(col(BEN_DCD_DTE)).as(DEATH))
                .dropDuplicates(EventColumns.PATIENT);
        Dataset<Row> periods = ald.groupBy(patient.as(EventColumns.PATIENT))
                .agg(collect_list(struct(col(IMB_ALD_DTD).as(START), DcirRules.unlessNoDate(col(IMB_ALD_DTF)).as(END)))
                        .as(ALD_PERIODS));
        return new Insured(people.join(periods, new String[] {EventColumns.PATIENT}, "left"), windows, bands);
    }
}
