package fr.atypie.atypie;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventTable;
import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.indicators.MeasureDefinition;
import fr.atypie.indicators.PatientContributions;
import fr.atypie.indicators.Population;
import fr.atypie.indicators.StratifiedCube;
import fr.atypie.indicators.Windows;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Each prescriber's metrics month by month, against the peers on the same patients: the series a
 * profile sheet draws over 24 months. For each month, on the window of the {@code windowMonths}
 * care months ending there, a metric's observed numerator O and denominator N are those of
 * {@link PrescriberProfiles} over that window (patients seen in it for a weight metric), and the
 * expected E = Σ_s N_s · r_s at the window's rates r_s of the prescriber's peer group in each
 * stratum s (age band × sex × ALD at the care date). So O/N is the prescriber's value and E/N the
 * peers' mean at the same patient mix, as in the 12-month assessment, on a shorter window that
 * shows changes sooner.
 *
 * <p>The peer group is the one of the month's assessment and stays fixed over the series: the
 * activity band of a single month would not be comparable with the 12-month bands. A patient whose
 * age band or ALD changes within a window counts in both strata (rare; noted, not corrected).
 */
public final class PrescriberTrend {
    /** First day of the window's last care month (DateType). */
    public static final String MONTH = "month";
    /** The event columns {@link #series} reads from its contributions (the profiles' among them). */
    public static final List<String> CARRIED = List.of(PRESCRIBER, PATIENT, AGE, SEX, ALD);

    private PrescriberTrend() {}

    /** The measures a series reads: patients consulted, and each metric's numerator and denominator. */
    private static Map<String, MeasureDefinition> measures(IndicatorSettings indicators, List<Metric> metrics) {
        Map<String, MeasureDefinition> used = new LinkedHashMap<>();
        used.put(PrescriberProfiles.CONSULTED, indicators.measures().get(PrescriberProfiles.CONSULTED));
        for (Metric m : metrics) {
            used.put(m.numeratorMeasure(), indicators.measures().get(m.numeratorMeasure()));
            m.denominatorMeasure().ifPresent(d -> used.put(d, indicators.measures().get(d)));
        }
        return used;
    }

    /**
     * @param peerGroups {@code prescriber_id, peer_group} of the prescribers assessed this month in the
     *                   groups of interest: the peers whose rates are the reference (only they are kept)
     * @param first      last care month of the first window of the series
     * @param last       last care month of the last window (the refresh month)
     * @param windowMonths care months per window (1: month by month)
     * @param metrics    the metrics to follow (their measures only are read)
     * @return one row per prescriber, care month and metric with any patient: {@code prescriber_id,
     *         peer_group, month, metric} (the metric's id), {@code observed, denominator, expected,
     *         numerator_patients} (patients with a non-zero numerator, for secrecy)
     */
    public static Dataset<Row> series(Map<EventTable, Dataset<Row>> events, Dataset<Row> peerGroups, YearMonth first,
                                      YearMonth last, int windowMonths, IndicatorSettings indicators, List<Metric> metrics) {
        Windows windows = new Windows(first, last, windowMonths);
        return series(PatientContributions.of(events, measures(indicators, metrics).values(), CARRIED,
                windows.firstCareMonthNeeded(), last), peerGroups, first, last, windowMonths, indicators, metrics);
    }

    /** As above, from contributions built for (at least) these measures and months, carrying {@link #CARRIED}. */
    public static Dataset<Row> series(PatientContributions contributions, Dataset<Row> peerGroups, YearMonth first,
                                      YearMonth last, int windowMonths, IndicatorSettings indicators, List<Metric> metrics) {
        Windows windows = new Windows(first, last, windowMonths);
        Map<String, MeasureDefinition> used = measures(indicators, metrics);
        // Lines of the peers only, each in its stratum at the care date.
        List<String> peers = peerGroups.select(PRESCRIBER).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        List<Column> keys = List.of(col(PRESCRIBER), col(PATIENT), indicators.ageBands().bandOf(col(AGE)).as(Population.AGE_BAND),
                col(SEX), col(ALD));
        Dataset<Row> perPatient = contributions.windows(windows, used.values(), keys, col(PRESCRIBER).isInCollection(peers));

        Column inBase = coalesce(col(StratifiedCube.windowColumn(PrescriberProfiles.CONSULTED)), lit(0.0)).geq(1);
        List<Column> aggs = new ArrayList<>();
        aggs.add(count(when(inBase, lit(1))).as("base"));
        List<String> measures = new ArrayList<>(used.keySet());
        for (int i = 0; i < measures.size(); i++) {
            Column v = col(StratifiedCube.windowColumn(measures.get(i)));
            aggs.add(coalesce(sum(v), lit(0.0)).as("sum" + i));
            aggs.add(count(when(v.gt(0), lit(1))).as("patients" + i));
        }
        Dataset<Row> cube = perPatient.groupBy(PRESCRIBER, Windows.WINDOW_MONTH, Population.AGE_BAND, SEX, ALD)
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .join(peerGroups.select(PRESCRIBER, PrescriberProfiles.PEER_GROUP), PRESCRIBER);

        WindowSpec peerStratum = Window.partitionBy(PrescriberProfiles.PEER_GROUP, Windows.WINDOW_MONTH,
                Population.AGE_BAND, SEX, ALD);
        List<Column> perMetric = new ArrayList<>();
        // The metrics' columns, then all their peer rates in one window operator (as PrescriberProfiles).
        Map<String, Column> inStratum = new LinkedHashMap<>();
        Map<String, Column> peerRates = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            Column kept = m.filter().keeps(col(Population.AGE_BAND), col(ALD));
            int num = measures.indexOf(m.numeratorMeasure());
            Column den = m.denominatorMeasure().map(d -> col("sum" + measures.indexOf(d))).orElse(col("base").cast("double"));
            String p = "metric" + i + "_";
            inStratum.put(p + "num", when(kept, col("sum" + num)).otherwise(0.0));
            inStratum.put(p + "den", when(kept, den).otherwise(0.0));
            peerRates.put(p + "rate", sum(col(p + "num")).over(peerStratum).divide(sum(col(p + "den")).over(peerStratum)));
            perMetric.add(struct(lit(m.id()).as(PrescriberProfiles.METRIC),
                    col(p + "num").as(PrescriberProfiles.OBSERVED),
                    col(p + "den").as(PrescriberProfiles.DENOMINATOR),
                    coalesce(col(p + "den").multiply(col(p + "rate")), lit(0.0)).as(PrescriberProfiles.EXPECTED),
                    when(kept, col("patients" + num)).otherwise(0L).as(PrescriberProfiles.NUMERATOR_PATIENTS)));
        }
        return cube.withColumns(inStratum).withColumns(peerRates)
                .withColumn("m", explode(array(perMetric.toArray(Column[]::new))))
                .select(col(PRESCRIBER), col(PrescriberProfiles.PEER_GROUP), col(Windows.WINDOW_MONTH).as(MONTH), col("m.*"))
                .groupBy(PRESCRIBER, PrescriberProfiles.PEER_GROUP, MONTH, PrescriberProfiles.METRIC)
                .agg(sum(PrescriberProfiles.OBSERVED).as(PrescriberProfiles.OBSERVED),
                        sum(PrescriberProfiles.DENOMINATOR).as(PrescriberProfiles.DENOMINATOR),
                        sum(PrescriberProfiles.EXPECTED).as(PrescriberProfiles.EXPECTED),
                        sum(PrescriberProfiles.NUMERATOR_PATIENTS).as(PrescriberProfiles.NUMERATOR_PATIENTS))
                .where(col(PrescriberProfiles.DENOMINATOR).gt(0).or(col(PrescriberProfiles.OBSERVED).gt(0)));
    }
}
