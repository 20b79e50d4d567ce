package fr.atypie.indicators;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The insured population of each 12-month window: the denominators of per-insured indicators and
 * the standardisation strata of every patient. A beneficiary counts in the window ending in month
 * M if alive at the start of that window; the stratum is taken at the window's end: age reached
 * in M's year (the SNDS gives the birth year only), sex, and ALD if any exemption period overlaps
 * the window.
 */
public final class Population {
    public static final String WINDOW_MONTH = Windows.WINDOW_MONTH;
    public static final String AGE_BAND = "age_band";
    /** Columns: patient_id, window_month, dept, sex, age, age_band, ald. */
    public static final String[] COLUMNS = {EventColumns.PATIENT, WINDOW_MONTH, EventColumns.DEPT,
        EventColumns.SEX, EventColumns.AGE, AGE_BAND, EventColumns.ALD};

    private Population() {}

    /**
     * @param beneficiaries IR_BEN_R (validated)
     * @param ald           IR_IMB_R (validated)
     * @param windows       the window months to compute
     */
    public static Dataset<Row> byWindow(Dataset<Row> beneficiaries, Dataset<Row> ald, Windows windows, AgeBands bands) {
        Column patient = concat_ws(":", col(BEN_NIR_PSA), col(BEN_RNG_GEM).cast("string"));
        Dataset<Row> people = beneficiaries
                .select(patient.as(EventColumns.PATIENT),
                        col(BEN_RES_DPT).as(EventColumns.DEPT),
                        col(BEN_SEX_COD).as(EventColumns.SEX),
                        col(BEN_NAI_ANN).cast("int").as("birth_year"),
                        col(BEN_DCD_DTE).as("death_date"))
                .dropDuplicates(EventColumns.PATIENT);
        Dataset<Row> perWindow = people.crossJoin(windows.asDataset(beneficiaries.sparkSession()))
                .where(col("death_date").isNull().or(col("death_date").geq(col(Windows.WINDOW_START))))
                .withColumn(EventColumns.AGE, year(col(WINDOW_MONTH)).minus(col("birth_year")))
                .withColumn(AGE_BAND, bands.bandOf(col(EventColumns.AGE)));

        Dataset<Row> aldPeriods = ald.select(patient.as(EventColumns.PATIENT),
                col(IMB_ALD_DTD).as("ald_start"), col(IMB_ALD_DTF).as("ald_end"));
        Dataset<Row> aldByWindow = perWindow.select(EventColumns.PATIENT, WINDOW_MONTH, Windows.WINDOW_START, Windows.WINDOW_END)
                .join(aldPeriods, EventColumns.PATIENT)
                .where(col("ald_start").leq(col(Windows.WINDOW_END))
                        .and(col("ald_end").isNull().or(col("ald_end").geq(col(Windows.WINDOW_START)))))
                .select(EventColumns.PATIENT, WINDOW_MONTH).distinct()
                .withColumn(EventColumns.ALD, lit(true));

        return perWindow.join(aldByWindow, new String[] {EventColumns.PATIENT, WINDOW_MONTH}, "left")
                .withColumn(EventColumns.ALD, coalesce(col(EventColumns.ALD), lit(false)))
                .select(COLUMNS[0], java.util.Arrays.copyOfRange(COLUMNS, 1, COLUMNS.length));
    }

}
