package fr.atypie.campaigns;

import static fr.atypie.events.EventColumns.AGE;
import static fr.atypie.events.EventColumns.AMOUNT;
import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.DEPT;
import static fr.atypie.events.EventColumns.PAID_DAYS;
import static fr.atypie.events.EventColumns.PATIENT;
import static fr.atypie.events.EventColumns.PRESCRIBER;
import static fr.atypie.events.EventColumns.PRESCRIBER_SPECIALTY;
import static fr.atypie.events.EventColumns.RISK;
import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static fr.atypie.events.EventColumns.START_DATE;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import fr.atypie.atypie.Prescribers;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.indicators.Windows;
import fr.atypie.spark.ScalaSeqs;
import java.time.YearMonth;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Prescriber × month panel of the sick-leave measures a campaign is evaluated on, computed with
 * Spark from the events and collected to the driver (one small row per prescriber and month).
 *
 * <p>Patient base of prescriber P in month M: the working-age patients (age at the consultation
 * within [min-age, max-age]) seen in consultation by P in the {@code base-months} months ending at
 * M. Sick leave counted for P in M: sickness spells (work accidents left out) that start in M,
 * initiated by P, for a patient of P's base in M. The circumvention cohort is fixed: the base of
 * P in M0 − 1 (patients of P before the campaign); for them the panel also counts the IJ days of
 * spells initiated by any other prescriber, month by month.
 */
public final class PrescriberPanel {
    static final String MONTH = "month";
    static final String BASE = "base_patients";
    static final String IJ_PATIENTS = "ij_patients";
    static final String IJ_DAYS = "ij_days";
    static final String IJ_AMOUNT = "ij_amount";
    static final String OTHER_DAYS = "other_ij_days";
    static final String OTHER_PATIENTS = "other_ij_patients";
    static final String COHORT = "cohort_patients";

    private PrescriberPanel() {}

    /**
     * One prescriber's month: base size, own new spells (patients, paid days, euros), others' IJ
     * days for the cohort and the cohort patients behind them (patient counts serve statistical secrecy).
     */
    public record Month(long base, long ijPatients, double ijDays, double ijAmount, double otherDays, long otherPatients) {}

    /** One prescriber's stratum attributes and months (sorted); cohort = base in M0 − 1. */
    public record Series(String prescriber, String specialtyGroup, String dept, long cohort, Map<YearMonth, Month> months) {
        public Series {
            months = Collections.unmodifiableMap(new TreeMap<>(months));
        }

        public Month month(YearMonth m) {
            return months.getOrDefault(m, new Month(0, 0, 0, 0, 0, 0));
        }
    }

    /**
     * @param consultations CONSULTATIONS events
     * @param periods       SICK_LEAVE_PERIODS events
     * @param m0            campaign month
     * @param first         first panel month
     * @param last          last panel month
     * @param spellMaxGapDays gap bridged inside one spell (atypie.indicators.spell-max-gap-days)
     */
    public static Map<String, Series> build(Dataset<Row> consultations, Dataset<Row> periods, YearMonth m0,
                                            YearMonth first, YearMonth last, CampaignSettings s, int spellMaxGapDays,
                                            Set<Integer> generalPractice) {
        Column firstDay = lit(Windows.firstDay(first));
        Column lastDay = lit(Windows.firstDay(last));
        Column cohortMonth = lit(Windows.firstDay(m0.minusMonths(1)));

        Dataset<Row> seen = consultations
                .filter(col(AGE).between(s.minAge(), s.maxAge()))
                .select(col(PRESCRIBER), col(PATIENT), col(CARE_MONTH))
                .distinct();
        // Each consultation month puts the patient in the base of that month and the next base-months − 1.
        Dataset<Row> base = seen
                .withColumn(MONTH, explode(sequence(col(CARE_MONTH),
                        add_months(col(CARE_MONTH), s.baseMonths() - 1), expr("interval 1 month"))))
                .filter(col(MONTH).between(firstDay, lastDay).or(col(MONTH).equalTo(cohortMonth)))
                .select(PRESCRIBER, PATIENT, MONTH)
                .distinct()
                .cache();

        Dataset<Row> spells = SickLeaveSpells.build(periods.filter(col(RISK).equalTo(RISK_SICKNESS)),
                        last.atEndOfMonth(), spellMaxGapDays)
                .select(col(PATIENT), col(SickLeaveSpells.INITIAL_PRESCRIBER).as("ij_prescriber"),
                        trunc(col(START_DATE), "month").as(MONTH), col(PAID_DAYS), col(AMOUNT))
                .filter(col(MONTH).between(firstDay, lastDay))
                .cache();

        Dataset<Row> own = base.join(spells, base.col(PATIENT).equalTo(spells.col(PATIENT))
                                .and(base.col(MONTH).equalTo(spells.col(MONTH)))
                                .and(base.col(PRESCRIBER).equalTo(spells.col("ij_prescriber"))))
                .groupBy(base.col(PRESCRIBER), base.col(MONTH))
                .agg(countDistinct(base.col(PATIENT)).as(IJ_PATIENTS), sum(PAID_DAYS).as(IJ_DAYS), sum(AMOUNT).as(IJ_AMOUNT));

        Dataset<Row> cohort = base.filter(col(MONTH).equalTo(cohortMonth)).select(PRESCRIBER, PATIENT);
        Dataset<Row> other = cohort.join(spells, cohort.col(PATIENT).equalTo(spells.col(PATIENT))
                                .and(cohort.col(PRESCRIBER).notEqual(spells.col("ij_prescriber"))))
                .groupBy(cohort.col(PRESCRIBER), spells.col(MONTH))
                .agg(sum(PAID_DAYS).as(OTHER_DAYS), countDistinct(cohort.col(PATIENT)).as(OTHER_PATIENTS));
        Dataset<Row> cohortSize = cohort.groupBy(PRESCRIBER).agg(count(lit(1)).as(COHORT));

        Dataset<Row> panel = base.filter(col(MONTH).between(firstDay, lastDay))
                .groupBy(PRESCRIBER, MONTH).agg(count(lit(1)).as(BASE))
                .join(own, ScalaSeqs.of(List.of(PRESCRIBER, MONTH)), "left")
                .join(other, ScalaSeqs.of(List.of(PRESCRIBER, MONTH)), "full_outer")
                .join(cohortSize, ScalaSeqs.of(List.of(PRESCRIBER)), "left")
                .select(col(PRESCRIBER), col(MONTH), coalesce(col(BASE), lit(0L)).as(BASE),
                        coalesce(col(IJ_PATIENTS), lit(0L)).as(IJ_PATIENTS), coalesce(col(IJ_DAYS), lit(0.0)).as(IJ_DAYS),
                        coalesce(col(IJ_AMOUNT), lit(0.0)).as(IJ_AMOUNT), coalesce(col(OTHER_DAYS), lit(0.0)).as(OTHER_DAYS),
                        coalesce(col(OTHER_PATIENTS), lit(0L)).as(OTHER_PATIENTS),
                        coalesce(col(COHORT), lit(0L)).as(COHORT));

        // Stratum of a prescriber: specialty group, and the department most of the patients live in (ties: lowest code).
        Dataset<Row> depts = consultations.groupBy(PRESCRIBER, DEPT).agg(count(lit(1)).as("n"))
                .withColumn("rank", row_number().over(Window.partitionBy(PRESCRIBER).orderBy(col("n").desc(), col(DEPT))))
                .filter(col("rank").equalTo(1)).select(PRESCRIBER, DEPT);
        Dataset<Row> specialties = consultations.groupBy(PRESCRIBER, PRESCRIBER_SPECIALTY).agg(count(lit(1)).as("n"))
                .withColumn("rank", row_number().over(Window.partitionBy(PRESCRIBER)
                        .orderBy(col("n").desc(), col(PRESCRIBER_SPECIALTY))))
                .filter(col("rank").equalTo(1))
                .select(col(PRESCRIBER), when(col(PRESCRIBER_SPECIALTY).isin(generalPractice.toArray()),
                        lit(Prescribers.GENERAL_PRACTICE)).otherwise(org.apache.spark.sql.functions.concat(lit("specialty-"),
                        org.apache.spark.sql.functions.lpad(col(PRESCRIBER_SPECIALTY).cast("string"), 2, "0")))
                        .as(Prescribers.SPECIALTY_GROUP));
        List<Row> rows = panel.join(depts, ScalaSeqs.of(List.of(PRESCRIBER))).join(specialties, ScalaSeqs.of(List.of(PRESCRIBER)))
                .orderBy(PRESCRIBER, MONTH).collectAsList();
        base.unpersist();
        spells.unpersist();

        Map<String, Series> out = new TreeMap<>();
        Map<YearMonth, Month> months = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            YearMonth m = YearMonth.from(r.getDate(r.fieldIndex(MONTH)).toLocalDate());
            months.put(m, new Month(r.getLong(r.fieldIndex(BASE)), r.getLong(r.fieldIndex(IJ_PATIENTS)),
                    r.getDouble(r.fieldIndex(IJ_DAYS)), r.getDouble(r.fieldIndex(IJ_AMOUNT)), r.getDouble(r.fieldIndex(OTHER_DAYS)),
                    r.getLong(r.fieldIndex(OTHER_PATIENTS))));
            String p = r.getString(r.fieldIndex(PRESCRIBER));
            if (i == rows.size() - 1 || !rows.get(i + 1).getString(r.fieldIndex(PRESCRIBER)).equals(p)) {
                out.put(p, new Series(p, r.getString(r.fieldIndex(Prescribers.SPECIALTY_GROUP)), r.getString(r.fieldIndex(DEPT)),
                        r.getLong(r.fieldIndex(COHORT)), months));
                months = new TreeMap<>();
            }
        }
        return out;
    }

    private static Column expr(String sql) {
        return org.apache.spark.sql.functions.expr(sql);
    }
}
