package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.events.SickLeaveSpells.CENSORED;
import static fr.atypie.events.SickLeaveSpells.DURATION;
import static org.apache.spark.sql.functions.*;

import fr.atypie.spark.SmallResults;
import fr.atypie.indicators.IndicatorDefinition.Family;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sick-leave spell indicators by department and region (sickness risk only). Each spell is
 * assigned to windows by a reference date: its end for closed-spell statistics, the day it
 * reached day {@code from} for the return cohort (counted per insured person, see
 * {@link #returnCohort}). Right-censored spells never count as closed, and immature return
 * cohort members are left out; both are reported in the {@code censored} column. Region values are computed on all spells
 * (a median is not an average of medians).
 */
public final class SpellIndicators {
    private SpellIndicators() {}

    /**
     * @param spells  {@link fr.atypie.events.SickLeaveSpells} built with the same {@code cutoff}
     * @param cutoff  last day the data cover: a return cohort member is judged only once its day {@code to} is observed
     */
    public static List<IndicatorValue> compute(Dataset<Row> spells, IndicatorSettings settings, Windows windows,
                                               String regionCode, LocalDate cutoff) {
        Dataset<Row> sickness = spells.where(col(RISK).equalTo(RISK_SICKNESS));
        List<IndicatorValue> out = new ArrayList<>();
        for (IndicatorDefinition def : settings.catalogue()) {
            if (!def.family().fromSpells()) {
                continue;
            }
            Dataset<Row> inWindows = def.family() == Family.SPELL_RETURN_SHARE
                    ? returnCohort(sickness, def, windows, cutoff)
                    : windows.explode(sickness.withColumn("ref_month", trunc(col(END_DATE), "month")), "ref_month");
            // Each row once for its department and once for the region. Not a union of two copies: that plan
            // computes the cohort's window and join twice (AQE reuses no exchange above the cached spells).
            Dataset<Row> both = inWindows.withColumn(DEPT, explode(array(col(DEPT), lit(regionCode))));
            Dataset<Row> agg = both.groupBy(DEPT, Windows.WINDOW_MONTH).agg(aggregates(def));
            for (Row r : SmallResults.sorted(agg, DEPT, Windows.WINDOW_MONTH)) {
                out.add(toValue(def, r, regionCode));
            }
        }
        return RatioIndicators.withPrevious(out, 12);
    }

    private static final String MATURE = "mature";
    private static final String RETURNED = "returned";

    /**
     * The return cohort of each window, one row per insured person (the CPG counts insured people,
     * not spells): the person's first spell whose day {@code from} falls in the window. The person
     * is judged once day {@code to} of that spell is observed (on or before the cut-off), and has
     * returned when no sickness spell of theirs covers that day: a relapse that covers it (a new
     * spell after a short return) is not a return. Waiting for day {@code to} avoids keeping the
     * early returns of a recent cohort while its long spells are still running.
     */
    private static Dataset<Row> returnCohort(Dataset<Row> sickness, IndicatorDefinition def, Windows windows,
                                             LocalDate cutoff) {
        Dataset<Row> reached = sickness.where(col(DURATION).geq(def.from()))
                .withColumn("ref_month", trunc(date_add(col(START_DATE), def.from() - 1), "month"))
                .withColumn("day_to", date_add(col(START_DATE), def.to() - 1));
        Dataset<Row> first = windows.explode(reached, "ref_month")
                .withColumn("rank", row_number().over(org.apache.spark.sql.expressions.Window
                        .partitionBy(PATIENT, Windows.WINDOW_MONTH).orderBy(START_DATE, END_DATE)))
                .where(col("rank").equalTo(1))
                .select(PATIENT, DEPT, Windows.WINDOW_MONTH, "day_to");
        Dataset<Row> cover = sickness.select(col(PATIENT).as("c_patient"), col(START_DATE).as("c_start"),
                col(END_DATE).as("c_end"));
        Dataset<Row> covered = first.join(cover, col(PATIENT).equalTo(col("c_patient"))
                        .and(col("day_to").between(col("c_start"), col("c_end"))), "left")
                .groupBy(PATIENT, DEPT, Windows.WINDOW_MONTH, "day_to")
                .agg(count(col("c_patient")).as("covers"));
        return covered
                .withColumn(MATURE, col("day_to").leq(lit(java.sql.Date.valueOf(cutoff))))
                .withColumn(RETURNED, col("covers").equalTo(0))
                .drop("covers", "day_to");
    }

    private static Column aggregates(IndicatorDefinition def) {
        Column closed = not(col(CENSORED));
        return switch (def.family()) {
            case SPELL_MEAN_DURATION -> struct(
                    sum(when(closed, col(DURATION))).cast("double").as("num"),
                    count(when(closed, lit(1))).cast("double").as("den"),
                    count_distinct(when(closed, col(PATIENT))).as("patients"),
                    count(when(col(CENSORED), lit(1))).as("censored"),
                    lit(null).cast("double").as("value")).as("a");
            case SPELL_MEDIAN_BEYOND -> {
                Column longClosed = closed.and(col(DURATION).gt(def.days()));
                yield struct(
                        lit(null).cast("double").as("num"),
                        count(when(longClosed, lit(1))).cast("double").as("den"),
                        count_distinct(when(longClosed, col(PATIENT))).as("patients"),
                        count(when(col(CENSORED).and(col(DURATION).gt(def.days())), lit(1))).as("censored"),
                        percentile(when(longClosed, col(DURATION).minus(def.days())), lit(0.5)).as("value")).as("a");
            }
            case SPELL_RETURN_SHARE -> struct(
                    count(when(col(MATURE).and(col(RETURNED)), lit(1))).cast("double").as("num"),
                    count(when(col(MATURE), lit(1))).cast("double").as("den"),
                    count_distinct(when(col(MATURE), col(PATIENT))).as("patients"),
                    count(when(not(col(MATURE)), lit(1))).as("censored"),
                    lit(null).cast("double").as("value")).as("a");
            default -> throw new IllegalArgumentException(def.family() + " is not a spell family");
        };
    }

    private static IndicatorValue toValue(IndicatorDefinition def, Row r, String region) {
        Row a = r.getAs("a");
        Double num = a.getAs("num");
        Double den = a.getAs("den");
        Double value = a.getAs("value");
        if (def.family() != Family.SPELL_MEDIAN_BEYOND) {
            double scale = def.family() == Family.SPELL_RETURN_SHARE ? 100.0 : 1.0;
            value = den == null || den == 0 ? null : num / den * scale;
        }
        String territory = r.getAs(DEPT);
        YearMonth w = YearMonth.from(((Date) r.getAs(Windows.WINDOW_MONTH)).toLocalDate());
        return new IndicatorValue(def.name(), territory.equals(region) ? IndicatorValue.REGION : IndicatorValue.DEPARTMENT,
                territory, w, num, den, value, a.<Long>getAs("patients"), null, null, null, null, null, null,
                a.<Long>getAs("censored"));
    }
}
