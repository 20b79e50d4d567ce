package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.events.SickLeaveSpells.CENSORED;
import static fr.atypie.events.SickLeaveSpells.DURATION;
import static org.apache.spark.sql.functions.*;

import fr.atypie.indicators.IndicatorDefinition.Family;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Sick-leave spell indicators by department and region (sickness risk only). Each spell is
 * assigned to windows by a reference date: its end for closed-spell statistics, the day it
 * reached day {@code from} for the return cohort. Right-censored spells never count as closed;
 * they are reported in the {@code censored} column. Region values are computed on all spells
 * (a median is not an average of medians).
 */
public final class SpellIndicators {
    private SpellIndicators() {}

    public static List<IndicatorValue> compute(Dataset<Row> spells, IndicatorSettings settings, Windows windows,
                                               String regionCode) {
        Dataset<Row> sickness = spells.where(col(RISK).equalTo(RISK_SICKNESS));
        List<IndicatorValue> out = new ArrayList<>();
        for (IndicatorDefinition def : settings.catalogue()) {
            if (!def.family().fromSpells()) {
                continue;
            }
            Column referenceDate = def.family() == Family.SPELL_RETURN_SHARE
                    ? date_add(col(START_DATE), def.from() - 1)
                    : col(END_DATE);
            Dataset<Row> inWindows = windows.explode(
                    sickness.withColumn("ref_month", trunc(referenceDate, "month")), "ref_month");
            Dataset<Row> both = inWindows.unionByName(inWindows.withColumn(DEPT, lit(regionCode)));
            Dataset<Row> agg = both.groupBy(DEPT, Windows.WINDOW_MONTH).agg(aggregates(def));
            for (Row r : agg.orderBy(DEPT, Windows.WINDOW_MONTH).collectAsList()) {
                out.add(toValue(def, r, regionCode));
            }
        }
        return RatioIndicators.withPrevious(out, 12);
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
            case SPELL_RETURN_SHARE -> {
                Column reached = col(DURATION).geq(def.from());
                Column mature = reached.and(closed.or(col(DURATION).geq(def.to())));
                Column returned = mature.and(closed).and(col(DURATION).lt(def.to()));
                yield struct(
                        count(when(returned, lit(1))).cast("double").as("num"),
                        count(when(mature, lit(1))).cast("double").as("den"),
                        count_distinct(when(mature, col(PATIENT))).as("patients"),
                        count(when(reached.and(not(mature)), lit(1))).as("censored"),
                        lit(null).cast("double").as("value")).as("a");
            }
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
