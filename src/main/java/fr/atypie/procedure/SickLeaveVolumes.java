package fr.atypie.procedure;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.SickLeaveSpells;
import fr.atypie.spark.ExactSums;
import java.sql.Date;
import java.time.YearMonth;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the law counts for each prescriber over a 12-month window (sickness only; work accidents
 * and maternity left out): sick-leave spells the prescriber initiated that start in the window
 * ({@link #SPELLS}), paid IJ days of the periods the prescriber prescribed with care in the window
 * ({@link #IJ_DAYS}), and the distinct patients behind those periods ({@link #PATIENTS}, for
 * secrecy). One row per prescriber with at least one of them.
 */
public final class SickLeaveVolumes {
    public static final String SPELLS = "spells";
    public static final String IJ_DAYS = "ij_days";
    public static final String PATIENTS = "patients";

    private SickLeaveVolumes() {}

    /**
     * @param periods SICK_LEAVE_PERIODS events
     * @param spells  spells built by {@link SickLeaveSpells#build}
     * @param last    last month of the window
     */
    public static Dataset<Row> byPrescriber(Dataset<Row> periods, Dataset<Row> spells, YearMonth last, int months) {
        Date first = Date.valueOf(last.minusMonths(months - 1L).atDay(1));
        Date end = Date.valueOf(last.atEndOfMonth());
        Column sickness = col(RISK).equalTo(RISK_SICKNESS);
        Dataset<Row> started = spells
                .where(sickness.and(col(START_DATE).between(first, end)).and(col(SickLeaveSpells.INITIAL_PRESCRIBER).isNotNull()))
                .groupBy(col(SickLeaveSpells.INITIAL_PRESCRIBER).as(PRESCRIBER))
                .agg(count(lit(1)).as(SPELLS));
        Dataset<Row> days = periods
                .where(sickness.and(col(CARE_MONTH).between(first, end)).and(col(PRESCRIBER).isNotNull()))
                .groupBy(PRESCRIBER)
                .agg(ExactSums.micros(col(PAID_DAYS)).as(IJ_DAYS), countDistinct(PATIENT).as(PATIENTS));
        return started.join(days, new String[] {PRESCRIBER}, "full_outer")
                .select(col(PRESCRIBER), coalesce(col(SPELLS), lit(0L)).as(SPELLS),
                        coalesce(col(IJ_DAYS), lit(0.0)).as(IJ_DAYS), coalesce(col(PATIENTS), lit(0L)).as(PATIENTS))
                .orderBy(PRESCRIBER);
    }
}
