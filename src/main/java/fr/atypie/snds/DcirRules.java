package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.year;

import fr.atypie.spark.Columns;
import fr.atypie.spark.ExactSums;
import fr.atypie.spark.ScalaSeqs;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The DCIR rules SNDS users apply before counting anything, as pure Dataset → Dataset functions on
 * validated ER_PRS_F / ER_PHA_F rows (SNDS column names in, SNDS column names out).
 */
public final class DcirRules {
    /** Column the ALD rule adds (events keep the name as {@code ALD}). */
    public static final String ALD = "ald";
    /** Column of {@link #aldPeriods}: the patient's ALD periods, an array of (start, end). */
    public static final String ALD_PERIODS = "ald_periods";
    private static final String PERIOD_START = "start";
    private static final String PERIOD_END = "end";
    /** A drug line's claim (patient and 9 keys) as a 64-bit hash, while its boxes are added up. */
    private static final String CLAIM_HASH = "_claim_hash";
    /** Column the consolidation rule adds (events keep the name as {@code CONSOLIDATED}). */
    public static final String CONSOLIDATED = "consolidated";

    private DcirRules() {}

    /** Signed measures of ER_PRS_F: summed by netting. */
    public static final List<String> PRS_MEASURES = List.of(PRS_ACT_QTE, PRS_ACT_NBR, BSE_REM_MNT, PRS_PAI_MNT);

    /** BEN_AMA_COD codes 1000..1023 give the age in months below 2 years; 0..130 are years. */
    private static final int AMA_MONTHS_BASE = 1000;
    private static final int MAX_AGE = 130;

    /**
     * The columns that make two ER_PRS_F lines "the same service": every column but the 9 flux keys
     * (an original and its cancellation arrive in different fluxes) and the signed measures.
     */
    public static List<String> prsDescriptiveColumns() {
        List<String> out = new ArrayList<>(SndsTable.ER_PRS_F.columnNames());
        out.removeAll(JOIN_KEYS);
        out.removeAll(PRS_MEASURES);
        return out;
    }

    /**
     * Nets regularisations: identical lines (same {@link #prsDescriptiveColumns()}) are summed
     * measure by measure ({@link ExactSums#micros exactly}, to the micro-unit, so that the order of
     * the lines never moves a digit) and kept only when the summed quantity PRS_ACT_QTE is strictly positive.
     * An original and its full cancellation vanish, a partial cancellation leaves the net, and
     * lines repeated with count 0 (multi-employer or revalued IJ) collapse into one. The result has
     * the descriptive columns, the summed measures and FLX_DIS_DTD = the latest flux of the group
     * (the other flux keys no longer identify anything).
     */
    public static Dataset<Row> netPrestations(Dataset<Row> prs) {
        List<Column> aggs = new ArrayList<>();
        for (String m : PRS_MEASURES) {
            aggs.add(ExactSums.micros(col(m)).as(m));
        }
        aggs.add(max(col(FLX_DIS_DTD)).as(FLX_DIS_DTD));
        return prs.groupBy(Columns.named(prsDescriptiveColumns()))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .filter(col(PRS_ACT_QTE).gt(0));
    }

    /**
     * Nets drug lines: each ER_PHA_F line is joined to its ER_PRS_F line by the 9 keys, then lines
     * of the same service and the same CIP13 are summed (boxes PHA_ACT_QSN, and the claim's
     * BSE_REM_MNT shared among its drug lines in proportion to their boxes) and kept when the summed
     * boxes are strictly positive. Output: descriptive columns of the claim, PHA_PRS_C13,
     * PHA_ACT_QSN (int), BSE_REM_MNT and FLX_DIS_DTD (latest flux of the group).
     */
    public static Dataset<Row> netDrugLines(Dataset<Row> prs, Dataset<Row> pha) {
        List<String> drugCols = new ArrayList<>(JOIN_KEYS);
        drugCols.add(PHA_PRS_C13);
        drugCols.add(PHA_ACT_QSN);
        return netDispensedLines(pha.select(Columns.named(drugCols)).join(prs, ScalaSeqs.of(JOIN_KEYS), "inner"));
    }

    /**
     * As {@link #netDrugLines}, on drug lines already joined to their service line: the 9 keys,
     * PHA_PRS_C13, PHA_ACT_QSN, the line's {@link #prsDescriptiveColumns()} and its BSE_REM_MNT
     * (validation makes this join once; see {@code ValidatedExtract.dispensed}).
     */
    public static Dataset<Row> netDispensedLines(Dataset<Row> lines) {
        // A claim is one service line, so one patient: once the lines are partitioned by patient, the
        // claim's boxes and the netting (both keyed by columns that hold the patient) move no row again.
        List<String> claimKeys = new ArrayList<>(PATIENT_KEY);
        claimKeys.addAll(JOIN_KEYS);
        // The claim's 64-bit hash leads the window's keys (the claim is still all of them): the sort before
        // the window then orders nearly every pair of lines on that one long, not on 11 columns, text included.
        List<String> claimWindow = new ArrayList<>(List.of(CLAIM_HASH));
        claimWindow.addAll(claimKeys);
        WindowSpec claim = Window.partitionBy(Columns.named(claimWindow));
        Column boxes = abs(col(PHA_ACT_QSN)).cast(DataTypes.LongType);
        Column claimBoxes = sum(boxes).over(claim);
        // The claim's amount in micro-euros, shared in proportion to boxes and rounded to the micro-euro
        // line by line: the shares then add up exactly, in any order.
        Column share = floor(ExactSums.toMicros(col(BSE_REM_MNT)).multiply(boxes).cast(DataTypes.DoubleType)
                .divide(claimBoxes).plus(0.5)).cast(DataTypes.LongType);
        Dataset<Row> shared = lines.repartition(Columns.named(PATIENT_KEY))
                .withColumn(CLAIM_HASH, xxhash64(Columns.named(claimKeys)))
                .withColumn(BSE_REM_MNT, when(claimBoxes.gt(0), share).otherwise(lit(0L)));
        List<String> groupCols = new ArrayList<>(prsDescriptiveColumns());
        groupCols.add(PHA_PRS_C13);
        return shared.groupBy(Columns.named(groupCols))
                .agg(sum(col(PHA_ACT_QSN)).cast(DataTypes.IntegerType).as(PHA_ACT_QSN),
                        ExactSums.fromMicros(sum(col(BSE_REM_MNT))).as(BSE_REM_MNT),
                        max(col(FLX_DIS_DTD)).as(FLX_DIS_DTD))
                .filter(col(PHA_ACT_QSN).gt(0));
    }

    /** Drops lines reported for information only (DPN_QLF or PRS_DPN_QLP = 71 by default): public outpatient care. */
    public static Dataset<Row> excludeInformationOnly(Dataset<Row> prs, CodeLists codes) {
        Column info = coalesce(col(DPN_QLF).equalTo(codes.informationOnly()), lit(false))
                .or(coalesce(col(PRS_DPN_QLP).equalTo(codes.informationOnly()), lit(false)));
        return prs.filter(not(info));
    }

    /** Drops add-on / majoration lines (CPL_MAJ_TOP ≥ 2 by default): they would count a consultation twice. */
    public static Dataset<Row> excludeMajorations(Dataset<Row> prs, CodeLists codes) {
        return prs.filter(not(coalesce(col(CPL_MAJ_TOP).geq(codes.majorationFrom()), lit(false))));
    }

    /** IJ paid days: the count PRS_ACT_NBR (0 on duplicate lines), never the quantity PRS_ACT_QTE. */
    public static Column ijPaidDays() {
        return col(PRS_ACT_NBR);
    }

    /**
     * Age in whole years at the care date. BEN_AMA_COD wins when it holds a valid code: the fund
     * computes it at the care date from the full birth date (1000..1023 = months below 2 years,
     * 0..130 = years). Otherwise care year − birth year (BEN_NAI_ANN, a year only: may be one year
     * too high before the birthday).
     */
    public static Column ageAtCare(Column amaCod, Column birthYear, Column careDate) {
        Column fromYear = year(careDate).minus(birthYear.cast(DataTypes.IntegerType));
        return when(amaCod.between(AMA_MONTHS_BASE, AMA_MONTHS_BASE + 23),
                        floor(amaCod.minus(AMA_MONTHS_BASE).divide(12)).cast(DataTypes.IntegerType))
                .when(amaCod.between(0, MAX_AGE), amaCod)
                .otherwise(fromYear)
                .cast(DataTypes.IntegerType);
    }

    /**
     * Adds boolean {@link #ALD}: whether an IR_IMB_R period of the patient covers the
     * date in {@code careDateCol} (end null, or 1600-01-01 as the SNDS writes "no end", is open).
     */
    public static Dataset<Row> withAldAtCare(Dataset<Row> lines, String careDateCol, Dataset<Row> imb) {
        return lines.join(broadcast(aldPeriods(imb)), ScalaSeqs.of(PATIENT_KEY), "left")
                .withColumn(ALD, aldAt(col(ALD_PERIODS), col(careDateCol)))
                .drop(ALD_PERIODS);
    }

    /**
     * Each patient's ALD periods as one array of (start, end) in {@link #ALD_PERIODS} (end null when
     * open): one small row per patient, joined to lines without multiplying them, read by {@link #aldAt}.
     */
    public static Dataset<Row> aldPeriods(Dataset<Row> imb) {
        return imb.groupBy(Columns.named(PATIENT_KEY)).agg(collect_list(struct(col(IMB_ALD_DTD).as(PERIOD_START),
                unlessNoDate(col(IMB_ALD_DTF)).as(PERIOD_END))).as(ALD_PERIODS));
    }

    /**
     * The date the SNDS writes for "none": an ALD period's end {@code IMB_ALD_DTF} when the period is
     * open, a beneficiary's death date {@code BEN_DCD_DTE} while alive (users select the living with
     * {@code BEN_DCD_DTE = DATE '1600-01-01'}).
     */
    public static final Date NO_DATE = Date.valueOf("1600-01-01");

    /**
     * A service line's last day of care: {@code EXE_SOI_DTF}, or its first day {@code EXE_SOI_DTD}
     * where the end is null or {@link #NO_DATE} (a line without care end is one day long).
     */
    public static Column careEnd() {
        return coalesce(unlessNoDate(col(EXE_SOI_DTF)), col(EXE_SOI_DTD));
    }

    /** {@code date}, null where it is {@link #NO_DATE}. */
    public static Column unlessNoDate(Column date) {
        return when(date.equalTo(lit(NO_DATE)), lit(null).cast(DataTypes.DateType)).otherwise(date);
    }

    /** Whether one of {@code periods} (from {@link #aldPeriods}; null: none) covers {@code date}. */
    public static Column aldAt(Column periods, Column date) {
        return coalesce(exists(periods, p -> date.geq(p.getField(PERIOD_START))
                .and(p.getField(PERIOD_END).isNull().or(date.leq(p.getField(PERIOD_END))))), lit(false));
    }

    /**
     * Adds boolean {@link #CONSOLIDATED}: whether the month in {@code careMonthCol}
     * (a date, first of the month) is consolidated under {@code window}.
     */
    public static Dataset<Row> markConsolidated(Dataset<Row> events, String careMonthCol, FluxWindow window) {
        Column latest = lit(Date.valueOf(window.latestFlux().atDay(1)));
        return events.withColumn(CONSOLIDATED,
                trunc(col(careMonthCol), "month").leq(add_months(latest, -window.consolidationMonths())));
    }
}
