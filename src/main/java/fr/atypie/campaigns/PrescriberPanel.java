package fr.atypie.campaigns;

import static fr.atypie.events.EventColumns.AGE;
import static fr.atypie.events.EventColumns.ALD;
import static fr.atypie.events.EventColumns.AMOUNT;
import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.DEPT;
import static fr.atypie.events.EventColumns.PAID_DAYS;
import static fr.atypie.events.EventColumns.PATIENT;
import static fr.atypie.events.EventColumns.PRESCRIBER;
import static fr.atypie.events.EventColumns.PRESCRIBER_SPECIALTY;
import static fr.atypie.events.EventColumns.RISK;
import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static fr.atypie.events.EventColumns.SEX;
import static fr.atypie.events.EventColumns.START_DATE;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
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
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Prescriber × month panel of the sick-leave measures a campaign is evaluated on, computed with
 * Spark from the events and collected to the driver (a few small rows per prescriber and month).
 *
 * <p>Patient base of prescriber P in month M: the working-age patients (age at the consultation
 * within [min-age, max-age]) seen in consultation by P in the {@code base-months} months ending at
 * M. Sick leave is attributed as detection attributes it ({@code PrescriberProfiles}): an IJ
 * period (sickness risk, work accidents left out) counts for the prescriber on its line, in its
 * care month, for a patient of that prescriber's base. So the panel holds, per month: the base
 * patients paid IJ on P's prescriptions, their paid days and euros; the base patients starting a
 * spell whose first period P prescribed; for each block length L (after windows, pre-period,
 * anticipation, rebound), the base patients paid on P's prescriptions over the L months ending at
 * M (the CNAM "part des patients actifs ayant perçu des IJ" over L months); and the case mix: the
 * IJ patients the base would have at the region's monthly rate of each stratum (age by decade ×
 * sex × ALD, at the patient's last consultation), all prescribers' patients pooled.
 *
 * <p>Circumvention cohorts: for each anchor month A (a contact month, or a shifted one for the
 * in-time placebo), P's base in A − 1; for those patients the panel counts, month by month, the
 * IJ days prescribed on other prescribers' lines.
 */
public final class PrescriberPanel {
    static final String MONTH = "month";
    static final String BASE = "base_patients";
    static final String IJ_PATIENTS = "ij_patients";
    static final String IJ_DAYS = "ij_days";
    static final String IJ_AMOUNT = "ij_amount";
    static final String NEW_SPELLS = "new_spell_patients";
    static final String EXPECTED = "expected_ij_patients";
    static final String LENGTH = "block_months";
    static final String PAID_OVER = "paid_patients_over";
    static final String ANCHOR = "anchor";
    static final String OTHER_DAYS = "other_ij_days";
    static final String OTHER_PATIENTS = "other_ij_patients";
    static final String COHORT = "cohort_patients";
    private static final String IJ_PRESCRIBER = "ij_prescriber";
    private static final String STRATUM = "stratum";

    private PrescriberPanel() {}

    /**
     * One prescriber's month.
     *
     * @param base        working-age patients in the base
     * @param ijPatients  base patients paid IJ on the prescriber's prescriptions in the month
     * @param ijDays      their paid days on those prescriptions
     * @param ijAmount    their euros on those prescriptions
     * @param newSpells   base patients starting a spell whose first period the prescriber prescribed
     * @param expected    case mix: IJ patients expected in the month at the region's stratum rates
     * @param paidOver    block length L → base patients paid on the prescriber's prescriptions over the L months ending here
     */
    public record Month(long base, long ijPatients, double ijDays, double ijAmount, long newSpells, double expected,
                        Map<Integer, Long> paidOver) {
        public static final Month EMPTY = new Month(0, 0, 0, 0, 0, 0, Map.of());

        public Month {
            paidOver = Map.copyOf(paidOver);
        }

        /** Patients paid over the {@code months} months ending here; NaN when that length was not computed. */
        public double paidOver(int months) {
            Long n = paidOver.get(months);
            return n == null ? Double.NaN : n;
        }
    }

    /** IJ days other prescribers prescribed to a cohort in one month, and the cohort patients behind them. */
    public record Other(double days, long patients) {
        public static final Other NONE = new Other(0, 0);
    }

    /** A circumvention cohort: P's base in the month before its anchor, and others' IJ to it by month. */
    public record Cohort(long size, Map<YearMonth, Other> months) {
        public static final Cohort NONE = new Cohort(0, Map.of());

        public Cohort {
            months = Collections.unmodifiableMap(new TreeMap<>(months));
        }

        public Other month(YearMonth m) {
            return months.getOrDefault(m, Other.NONE);
        }
    }

    /** One prescriber's stratum attributes, months (sorted) and circumvention cohorts by anchor. */
    public record Series(String prescriber, String specialtyGroup, String dept, Map<YearMonth, Month> months,
                         Map<YearMonth, Cohort> cohorts) {
        public Series {
            months = Collections.unmodifiableMap(new TreeMap<>(months));
            cohorts = Collections.unmodifiableMap(new TreeMap<>(cohorts));
        }

        public Month month(YearMonth m) {
            return months.getOrDefault(m, Month.EMPTY);
        }

        public Cohort cohort(YearMonth anchor) {
            return cohorts.getOrDefault(anchor, Cohort.NONE);
        }
    }

    /**
     * @param consultations   CONSULTATIONS events
     * @param periods         SICK_LEAVE_PERIODS events
     * @param anchors         months whose circumvention cohort (base in anchor − 1) is followed
     * @param first           first panel month
     * @param last            last panel month
     * @param spellMaxGapDays gap bridged inside one spell (atypie.indicators.spell-max-gap-days)
     */
    public static Map<String, Series> build(Dataset<Row> consultations, Dataset<Row> periods, Set<YearMonth> anchors,
                                            YearMonth first, YearMonth last, CampaignSettings s, int spellMaxGapDays,
                                            Set<Integer> generalPractice) {
        Column firstDay = lit(Windows.firstDay(first));
        Column lastDay = lit(Windows.firstDay(last));
        Set<Integer> lengths = s.blockLengths();
        int longest = lengths.stream().max(Integer::compare).orElse(1);
        Column cohortMonths = lit(false);
        for (YearMonth a : anchors) {
            cohortMonths = cohortMonths.or(col(MONTH).equalTo(lit(Windows.firstDay(a.minusMonths(1)))));
        }

        // Each consultation month puts the patient in the base of that month and the next base-months − 1,
        // with the age, sex and ALD status of the latest consultation (the case-mix stratum).
        Dataset<Row> base = consultations
                .filter(col(AGE).between(s.minAge(), s.maxAge()))
                .withColumn(MONTH, explode(sequence(col(CARE_MONTH),
                        add_months(col(CARE_MONTH), s.baseMonths() - 1), expr("interval 1 month"))))
                .filter(col(MONTH).between(firstDay, lastDay).or(cohortMonths))
                .groupBy(PRESCRIBER, PATIENT, MONTH)
                .agg(max(struct(col(CARE_MONTH), col(AGE), col(SEX), col(ALD))).as("last"))
                .select(col(PRESCRIBER), col(PATIENT), col(MONTH), concat_ws("|", floor(col("last.age").divide(10)),
                        col("last.sex"), col("last.ald")).as(STRATUM))
                .cache();
        Dataset<Row> inRange = base.filter(col(MONTH).between(firstDay, lastDay));

        // Paid periods by the prescriber on the line, in their care month.
        Dataset<Row> sickness = periods.filter(col(RISK).equalTo(RISK_SICKNESS).and(col(PRESCRIBER).isNotNull()));
        Dataset<Row> lines = sickness
                .select(col(PRESCRIBER).as(IJ_PRESCRIBER), col(PATIENT), col(CARE_MONTH).as(MONTH), col(PAID_DAYS), col(AMOUNT))
                .filter(col(MONTH).between(lit(Windows.firstDay(first.minusMonths(longest - 1))), lastDay))
                .cache();
        Dataset<Row> own = inRange.join(lines, ScalaSeqs.of(List.of(PATIENT, MONTH)))
                .filter(col(PRESCRIBER).equalTo(col(IJ_PRESCRIBER)))
                .groupBy(PRESCRIBER, MONTH)
                .agg(countDistinct(PATIENT).as(IJ_PATIENTS), sum(PAID_DAYS).as(IJ_DAYS), sum(AMOUNT).as(IJ_AMOUNT));

        Dataset<Row> starts = SickLeaveSpells.build(sickness, last.atEndOfMonth(), spellMaxGapDays)
                .select(col(PATIENT), col(SickLeaveSpells.INITIAL_PRESCRIBER).as(IJ_PRESCRIBER),
                        trunc(col(START_DATE), "month").as(MONTH));
        Dataset<Row> newSpells = inRange.join(starts, ScalaSeqs.of(List.of(PATIENT, MONTH)))
                .filter(col(PRESCRIBER).equalTo(col(IJ_PRESCRIBER)))
                .groupBy(PRESCRIBER, MONTH).agg(countDistinct(PATIENT).as(NEW_SPELLS));

        // Case mix: the region's monthly rate of patients paid IJ (any prescriber) per stratum of base patient-months.
        Dataset<Row> paidAny = lines.select(PATIENT, MONTH).distinct().withColumn("paid", lit(1));
        Dataset<Row> rates = inRange.join(paidAny, ScalaSeqs.of(List.of(PATIENT, MONTH)), "left")
                .groupBy(STRATUM).agg(sum(coalesce(col("paid"), lit(0))).divide(count(lit(1))).as("rate"));
        Dataset<Row> expected = inRange.join(rates, STRATUM).groupBy(PRESCRIBER, MONTH).agg(sum("rate").as(EXPECTED));

        Dataset<Row> panel = inRange.groupBy(PRESCRIBER, MONTH).agg(count(lit(1)).as(BASE))
                .join(own, ScalaSeqs.of(List.of(PRESCRIBER, MONTH)), "left")
                .join(newSpells, ScalaSeqs.of(List.of(PRESCRIBER, MONTH)), "left")
                .join(expected, ScalaSeqs.of(List.of(PRESCRIBER, MONTH)), "left")
                .select(col(PRESCRIBER), col(MONTH), col(BASE), coalesce(col(IJ_PATIENTS), lit(0L)).as(IJ_PATIENTS),
                        coalesce(col(IJ_DAYS), lit(0.0)).as(IJ_DAYS), coalesce(col(IJ_AMOUNT), lit(0.0)).as(IJ_AMOUNT),
                        coalesce(col(NEW_SPELLS), lit(0L)).as(NEW_SPELLS), coalesce(col(EXPECTED), lit(0.0)).as(EXPECTED));

        // Patients of the base at the end of a block of L months, paid on the prescriber's prescriptions in the block.
        Dataset<Row> paidMonths = lines.select(col(IJ_PRESCRIBER).as(PRESCRIBER), col(PATIENT), col(MONTH).as("paid_month"))
                .distinct();
        Dataset<Row> blocks = null;
        for (int length : new TreeSet<>(lengths)) {
            Dataset<Row> b = paidMonths
                    .withColumn(MONTH, explode(sequence(col("paid_month"), add_months(col("paid_month"), length - 1),
                            expr("interval 1 month"))))
                    .join(inRange, ScalaSeqs.of(List.of(PRESCRIBER, PATIENT, MONTH)))
                    .groupBy(PRESCRIBER, MONTH).agg(countDistinct(PATIENT).as(PAID_OVER))
                    .withColumn(LENGTH, lit(length));
            blocks = blocks == null ? b : blocks.unionByName(b);
        }

        // Circumvention: each anchor's cohort (base in anchor − 1) and the IJ days others prescribed to it.
        Dataset<Row> cohorts = null;
        for (YearMonth a : anchors) {
            Dataset<Row> c = base.filter(col(MONTH).equalTo(lit(Windows.firstDay(a.minusMonths(1)))))
                    .select(col(PRESCRIBER), col(PATIENT)).withColumn(ANCHOR, lit(Windows.firstDay(a)));
            cohorts = cohorts == null ? c : cohorts.unionByName(c);
        }
        List<Row> cohortSizes = List.of();
        List<Row> otherRows = List.of();
        if (cohorts != null) {
            cohortSizes = cohorts.groupBy(PRESCRIBER, ANCHOR).agg(count(lit(1)).as(COHORT)).collectAsList();
            otherRows = cohorts.join(lines.filter(col(MONTH).between(firstDay, lastDay)), PATIENT)
                    .filter(col(PRESCRIBER).notEqual(col(IJ_PRESCRIBER)))
                    .groupBy(PRESCRIBER, ANCHOR, MONTH)
                    .agg(sum(PAID_DAYS).as(OTHER_DAYS), countDistinct(PATIENT).as(OTHER_PATIENTS))
                    .collectAsList();
        }

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
        List<Row> blockRows = blocks == null ? List.of() : blocks.collectAsList();
        base.unpersist();
        lines.unpersist();
        return assemble(rows, blockRows, lengths, cohortSizes, otherRows);
    }

    private static Map<String, Series> assemble(List<Row> rows, List<Row> blockRows, Set<Integer> lengths,
                                                List<Row> cohortSizes, List<Row> otherRows) {
        Map<String, Map<YearMonth, Map<Integer, Long>>> paid = new TreeMap<>();
        for (Row r : blockRows) {
            paid.computeIfAbsent(r.getString(r.fieldIndex(PRESCRIBER)), k -> new TreeMap<>())
                    .computeIfAbsent(month(r, MONTH), k -> new TreeMap<>())
                    .put(r.getInt(r.fieldIndex(LENGTH)), r.getLong(r.fieldIndex(PAID_OVER)));
        }
        Map<String, Map<YearMonth, Long>> sizes = new TreeMap<>();
        for (Row r : cohortSizes) {
            sizes.computeIfAbsent(r.getString(r.fieldIndex(PRESCRIBER)), k -> new TreeMap<>())
                    .put(month(r, ANCHOR), r.getLong(r.fieldIndex(COHORT)));
        }
        Map<String, Map<YearMonth, Map<YearMonth, Other>>> others = new TreeMap<>();
        for (Row r : otherRows) {
            others.computeIfAbsent(r.getString(r.fieldIndex(PRESCRIBER)), k -> new TreeMap<>())
                    .computeIfAbsent(month(r, ANCHOR), k -> new TreeMap<>())
                    .put(month(r, MONTH), new Other(r.getDouble(r.fieldIndex(OTHER_DAYS)), r.getLong(r.fieldIndex(OTHER_PATIENTS))));
        }
        Map<String, Series> out = new TreeMap<>();
        Map<YearMonth, Month> months = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String p = r.getString(r.fieldIndex(PRESCRIBER));
            YearMonth m = month(r, MONTH);
            // Every computed length is present: a block without a paid patient counts 0.
            Map<Integer, Long> over = new TreeMap<>(paid.getOrDefault(p, Map.of()).getOrDefault(m, Map.of()));
            lengths.forEach(l -> over.putIfAbsent(l, 0L));
            months.put(m, new Month(r.getLong(r.fieldIndex(BASE)), r.getLong(r.fieldIndex(IJ_PATIENTS)),
                    r.getDouble(r.fieldIndex(IJ_DAYS)), r.getDouble(r.fieldIndex(IJ_AMOUNT)),
                    r.getLong(r.fieldIndex(NEW_SPELLS)), r.getDouble(r.fieldIndex(EXPECTED)), over));
            if (i == rows.size() - 1 || !rows.get(i + 1).getString(r.fieldIndex(PRESCRIBER)).equals(p)) {
                Map<YearMonth, Cohort> cohorts = new TreeMap<>();
                sizes.getOrDefault(p, Map.of()).forEach((a, n) ->
                        cohorts.put(a, new Cohort(n, others.getOrDefault(p, Map.of()).getOrDefault(a, Map.of()))));
                out.put(p, new Series(p, r.getString(r.fieldIndex(Prescribers.SPECIALTY_GROUP)), r.getString(r.fieldIndex(DEPT)),
                        months, cohorts));
                months = new TreeMap<>();
            }
        }
        return out;
    }

    private static YearMonth month(Row r, String column) {
        return YearMonth.from(r.getDate(r.fieldIndex(column)).toLocalDate());
    }

    private static Column expr(String sql) {
        return org.apache.spark.sql.functions.expr(sql);
    }
}
