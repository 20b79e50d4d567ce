package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.AGE;
import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.DEPT;
import static fr.atypie.events.EventColumns.FLUX_MONTH;
import static fr.atypie.events.EventColumns.PATIENT;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.when;

import fr.atypie.spark.SmallResults;
import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import fr.atypie.events.EventTable;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Savings against a trend, shown the way the 2017 inspection asked: the expected (trend) series
 * and the observed one side by side, month by month, and the gap. The savings of a 12-month
 * window are Σ (expected − observed) over its months, in millions of euros.
 *
 * <p>Late flux: the recent care months are not complete yet (about 80 % of a month arrives in its
 * own flux month, most of the rest within 6 months), while the months a year earlier that the trend
 * rests on are. Comparing them as they are would credit the late flux as savings. So the observed
 * amount of a recent month is corrected for completeness (chain ladder): with L its lag (latest
 * flux month − care month), it is divided by c(L) = the share of the amount of consolidated care
 * months (lag ≥ {@code consolidation-months}) carried by events whose latest line came within L
 * months, region-wide. The published trend shows the observed amount as it is and c(L).
 */
public final class TrendSavings {
    public static final String FAMILY = "savings";

    public enum Method { PREVIOUS_YEAR_GROWTH, LINEAR }

    /** @param ageMin only events of patients of at least this age (elderly iatrogenics: 75), 0 for all */
    public record Series(String name, String label, String measure, Optional<String> cpgIndicator, int ageMin) {
        public Series(String name, String label, String measure, Optional<String> cpgIndicator) {
            this(name, label, measure, cpgIndicator, 0);
        }
    }

    /** @param consolidationMonths lag after which a care month is complete; 0: no completeness correction */
    public record Settings(Method method, double yearlyGrowth, int fitMonths, List<Series> series, int consolidationMonths) {
        /** No savings series (a configuration without a savings section). */
        public static final Settings NONE = new Settings(Method.PREVIOUS_YEAR_GROWTH, 0, 12, List.of(), 0);

        public Settings(Method method, double yearlyGrowth, int fitMonths, List<Series> series) {
            this(method, yearlyGrowth, fitMonths, series, 0);
        }

        public static Settings from(Section s, Map<String, MeasureDefinition> measures) {
            Method method = Method.valueOf(s.string("method", List.of("previous-year-growth", "linear"))
                    .toUpperCase().replace('-', '_'));
            List<Series> series = new ArrayList<>();
            for (Section c : s.children("series")) {
                String m = c.string("measure");
                if (!measures.containsKey(m) || !measures.get(m).value().additive() || measures.get(m).value().needsPatientHistory()) {
                    throw new ConfigError(c.key("measure") + " = '" + m + "' is not an additive measure of atypie.indicators.measures");
                }
                series.add(new Series(c.name(), c.string("label"), m,
                        c.has("cpg-indicator") ? Optional.of(c.string("cpg-indicator")) : Optional.empty(),
                        c.has("age-min") ? c.integer("age-min", 0, 150) : 0));
            }
            return new Settings(method, s.number("yearly-growth", -0.5, 0.5), s.integer("fit-months", 6, 60), List.copyOf(series),
                    s.has("consolidation-months") ? s.integer("consolidation-months", 0, 60) : 0);
        }
    }

    /** One month of one series in one territory: observed, expected by the trend, and the gap. */
    /** @param completeness c(L) the observed amount is divided by (1 for consolidated months) */
    public record TrendPoint(String series, String level, String territory, YearMonth month, double observed,
                             Double expected, long patients, double completeness) {
        public TrendPoint(String series, String level, String territory, YearMonth month, double observed,
                          Double expected, long patients) {
            this(series, level, territory, month, observed, expected, patients, 1.0);
        }

        /** Expected − observed corrected for completeness. */
        public Double gap() {
            return expected == null ? null : expected - observed / completeness;
        }
    }

    public record Result(List<TrendPoint> points, List<IndicatorValue> savings) {}

    private TrendSavings() {}

    public static Result compute(Map<EventTable, Dataset<Row>> events, IndicatorSettings indicators, Windows windows,
                                 String region) {
        Settings settings = indicators.savings();
        List<TrendPoint> points = new ArrayList<>();
        List<IndicatorValue> savings = new ArrayList<>();
        for (Series s : settings.series()) {
            MeasureDefinition m = indicators.measures().get(s.measure());
            // territory -> month -> amount
            Map<String, TreeMap<YearMonth, Double>> monthly = new TreeMap<>();
            Map<String, Long> patients = new TreeMap<>(); // territory|month -> patients behind the amount
            Dataset<Row> rows = events.get(m.events());
            if (s.ageMin() > 0) {
                rows = rows.where(col(AGE).geq(s.ageMin()));
            }
            Dataset<Row> byMonth = rows.groupBy(DEPT, CARE_MONTH).agg(m.monthlyValue().as("v"),
                    count_distinct(when(m.filter().predicate(), col(PATIENT))).as("patients"));
            // In a fixed order: the region's months are sums of doubles, which depend on the order of their terms.
            for (Row r : SmallResults.sorted(byMonth, DEPT, CARE_MONTH)) {
                YearMonth month = YearMonth.from(((Date) r.getAs(CARE_MONTH)).toLocalDate());
                double v = r.isNullAt(r.fieldIndex("v")) ? 0.0 : ((Number) r.getAs("v")).doubleValue();
                long n = r.getAs("patients");
                monthly.computeIfAbsent(r.getAs(DEPT), d -> new TreeMap<>()).merge(month, v, Double::sum);
                monthly.computeIfAbsent(region, d -> new TreeMap<>()).merge(month, v, Double::sum);
                patients.merge(r.getAs(DEPT) + "|" + month, n, Long::sum);
                // A patient may count in two departments' months (a move): the region total is an upper bound.
                patients.merge(region + "|" + month, n, Long::sum);
            }
            Map<YearMonth, Double> completeness = settings.consolidationMonths() > 0 && !monthly.isEmpty()
                    ? completeness(rows, m, settings.consolidationMonths()) : Map.of();
            // Months without any amount inside the observed span are zeros, not gaps.
            YearMonth first = monthly.values().stream().map(TreeMap::firstKey).min(YearMonth::compareTo).orElse(null);
            YearMonth last = monthly.values().stream().map(TreeMap::lastKey).max(YearMonth::compareTo).orElse(null);
            for (TreeMap<YearMonth, Double> series : monthly.values()) {
                for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                    series.putIfAbsent(month, 0.0);
                }
            }
            for (var t : monthly.entrySet()) {
                String level = t.getKey().equals(region) ? IndicatorValue.REGION : IndicatorValue.DEPARTMENT;
                for (YearMonth w : windows.months()) {
                    YearMonth start = w.minusMonths(windows.length() - 1L);
                    double gap = 0;
                    boolean complete = true;
                    for (YearMonth month = start; !month.isAfter(w); month = month.plusMonths(1)) {
                        Double expected = expected(t.getValue(), month, start, settings);
                        double observed = t.getValue().getOrDefault(month, 0.0);
                        double c = completeness.getOrDefault(month, 1.0);
                        if (w.equals(windows.lastWindowMonth())) {
                            points.add(new TrendPoint(s.name(), level, t.getKey(), month, observed, expected,
                                    patients.getOrDefault(t.getKey() + "|" + month, 0L), c));
                        }
                        if (expected == null) {
                            complete = false;
                        } else {
                            gap += expected - observed / c;
                        }
                    }
                    if (complete) {
                        savings.add(new IndicatorValue(s.name(), level, t.getKey(), w, null, null, gap / 1e6, 0,
                                null, null, null, null, null, null, 0));
                    }
                }
            }
        }
        return new Result(points, RatioIndicators.withPrevious(savings, 12));
    }

    /**
     * c(L) per recent care month (lag L = latest flux month of the table − care month, below
     * {@code consolidation}): Σ over consolidated care months of the amount of events whose latest
     * flux came within L months of care, over their whole amount. Months with c ≤ 0 get 1 (no basis).
     */
    static Map<YearMonth, Double> completeness(Dataset<Row> rows, MeasureDefinition m, int consolidation) {
        // care month -> lag of the event's latest line -> amount
        Map<YearMonth, TreeMap<Integer, Double>> byLag = new TreeMap<>();
        YearMonth lastFlux = null;
        for (Row r : rows.groupBy(CARE_MONTH, FLUX_MONTH).agg(m.monthlyValue().as("v")).collectAsList()) {
            YearMonth care = YearMonth.from(((Date) r.getAs(CARE_MONTH)).toLocalDate());
            YearMonth flux = YearMonth.from(((Date) r.getAs(FLUX_MONTH)).toLocalDate());
            double v = r.isNullAt(r.fieldIndex("v")) ? 0.0 : ((Number) r.getAs("v")).doubleValue();
            int lag = (int) java.time.temporal.ChronoUnit.MONTHS.between(care, flux);
            byLag.computeIfAbsent(care, k -> new TreeMap<>()).merge(lag, v, Double::sum);
            lastFlux = lastFlux == null || flux.isAfter(lastFlux) ? flux : lastFlux;
        }
        return completeness(byLag, lastFlux, consolidation);
    }

    /** The chain-ladder shares c(L) from amounts by care month and lag (see {@link #completeness(Dataset, MeasureDefinition, int)}). */
    static Map<YearMonth, Double> completeness(Map<YearMonth, TreeMap<Integer, Double>> byLag, YearMonth lastFlux,
                                               int consolidation) {
        double[] within = new double[consolidation];
        double total = 0;
        for (var e : byLag.entrySet()) {
            if (java.time.temporal.ChronoUnit.MONTHS.between(e.getKey(), lastFlux) < consolidation) {
                continue;
            }
            for (var l : e.getValue().entrySet()) {
                total += l.getValue();
                for (int lag = Math.max(0, l.getKey()); lag < consolidation; lag++) {
                    within[lag] += l.getValue();
                }
            }
        }
        Map<YearMonth, Double> out = new TreeMap<>();
        if (!(total > 0)) {
            return out; // no consolidated month yet: no basis for a correction
        }
        for (YearMonth care : byLag.keySet()) {
            long lag = java.time.temporal.ChronoUnit.MONTHS.between(care, lastFlux);
            if (lag >= 0 && lag < consolidation && within[(int) lag] > 0) {
                out.put(care, Math.min(1.0, within[(int) lag] / total));
            }
        }
        return out;
    }

    /** The trend's value for {@code month}, fitted on months before {@code windowStart}; null if not enough history. */
    static Double expected(TreeMap<YearMonth, Double> series, YearMonth month, YearMonth windowStart, Settings s) {
        if (s.method() == Method.PREVIOUS_YEAR_GROWTH) {
            Double lastYear = series.get(month.minusMonths(12));
            return lastYear == null ? null : lastYear * (1 + s.yearlyGrowth());
        }
        // Least squares on the fit-months months before the window (x = month index).
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (YearMonth m = windowStart.minusMonths(s.fitMonths()); m.isBefore(windowStart); m = m.plusMonths(1)) {
            Double y = series.get(m);
            if (y == null) {
                return null;
            }
            double x = index(m);
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        return intercept + slope * index(month);
    }

    private static double index(YearMonth m) {
        return m.getYear() * 12.0 + m.getMonthValue();
    }
}
