package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.ALD;
import static fr.atypie.events.EventColumns.DEPT;
import static fr.atypie.events.EventColumns.SEX;

import fr.atypie.indicators.IndicatorDefinition.Family;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import org.apache.spark.sql.Row;

/**
 * Ratio and growth indicators computed exactly on the driver from the collected stratified cube:
 * crude values by department and region, and indirect standardisation of each department on the
 * region (reference rate of each stratum over the whole region, same window).
 */
public final class RatioIndicators {
    /** Exact interval of a standardised ratio O/E (see stats.PoissonInterval). */
    public interface RatioInterval {
        double[] of(double observed, double expected);
    }

    private RatioIndicators() {}

    /** A cube row, typed. */
    record Cell(String dept, YearMonth window, int ageBand, int sex, boolean ald, Map<String, Double> values) {
        double get(String column) {
            Double v = values.get(column);
            if (v == null) {
                throw new IllegalStateException("cube has no column " + column);
            }
            return v;
        }
    }

    static List<Cell> cells(List<Row> cube) {
        List<Cell> out = new ArrayList<>();
        for (Row r : cube) {
            Map<String, Double> values = new TreeMap<>();
            for (String f : r.schema().fieldNames()) {
                if (!StratifiedCube.STRATUM_KEYS.contains(f)) {
                    values.put(f, ((Number) r.getAs(f)).doubleValue());
                }
            }
            YearMonth w = YearMonth.from(((Date) r.getAs(StratifiedCube.WINDOW_MONTH)).toLocalDate());
            out.add(new Cell(r.getAs(DEPT), w, r.<Integer>getAs(StratifiedCube.AGE_BAND), r.<Integer>getAs(SEX),
                    r.<Boolean>getAs(ALD), values));
        }
        return out;
    }

    /** Every ratio and growth indicator of the catalogue, for every window of the cube. */
    public static List<IndicatorValue> compute(List<Row> cube, IndicatorSettings settings, String regionCode,
                                               RatioInterval interval) {
        List<Cell> cells = cells(cube);
        List<IndicatorValue> out = new ArrayList<>();
        for (IndicatorDefinition def : settings.catalogue()) {
            if (def.family() == Family.RATIO) {
                out.addAll(ratio(def, cells, regionCode, interval, settings.measures()));
            } else if (def.family() == Family.GROWTH) {
                out.addAll(growth(def, cells, regionCode));
            }
        }
        return out;
    }

    private static List<IndicatorValue> ratio(IndicatorDefinition def, List<Cell> cells, String region,
                                              RatioInterval interval, Map<String, MeasureDefinition> measures) {
        String num = def.numeratorColumn();
        String den = def.denominator().orElseThrow().cubeColumn();
        String pat = def.numeratorPatientsColumn();
        boolean shareOfPatients = def.countedOn().isPresent() && def.numerator().orElseThrow().atLeast().isPresent();
        boolean count = def.countNumerator(measures);
        // window -> territory -> [numerator, denominator, patients]; window -> stratum -> same, regional.
        Map<YearMonth, Map<String, double[]>> byTerritory = new TreeMap<>();
        Map<YearMonth, Map<String, double[]>> byStratum = new TreeMap<>();
        for (Cell c : cells) {
            if (!def.filter().keeps(c.ageBand(), c.ald())) {
                continue;
            }
            double[] v = {c.get(num), c.get(den), c.get(pat)};
            if (shareOfPatients && v[0] > v[1]) {
                throw new IllegalStateException("indicator " + def.name() + ", department " + c.dept() + ", window "
                        + c.window() + ": " + v[0] + " patients in the numerator but " + v[1] + " in the denominator");
            }
            add(byTerritory.computeIfAbsent(c.window(), w -> new TreeMap<>()), c.dept(), v);
            add(byTerritory.get(c.window()), region, v);
            add(byStratum.computeIfAbsent(c.window(), w -> new TreeMap<>()), stratum(c), v);
        }
        List<IndicatorValue> out = new ArrayList<>();
        for (var w : byTerritory.entrySet()) {
            Map<String, double[]> territories = w.getValue();
            double[] regional = territories.get(region);
            Double regionalValue = value(regional, def.scale());
            // Expected numerator of each department at the regional stratum rates.
            Map<String, Double> expected = new TreeMap<>();
            Map<String, double[]> strata = byStratum.get(w.getKey());
            for (Cell c : cells) {
                if (c.window().equals(w.getKey()) && def.filter().keeps(c.ageBand(), c.ald())) {
                    double[] s = strata.get(stratum(c));
                    double rate = s[1] > 0 ? s[0] / s[1] : 0.0;
                    expected.merge(c.dept(), c.get(den) * rate, Double::sum);
                }
            }
            for (var t : territories.entrySet()) {
                double[] v = t.getValue();
                boolean isRegion = t.getKey().equals(region);
                IndicatorValue iv = new IndicatorValue(def.name(), isRegion ? IndicatorValue.REGION : IndicatorValue.DEPARTMENT,
                        t.getKey(), w.getKey(), v[0], v[1], value(v, def.scale()), Math.round(v[2]),
                        null, null, null, null, null, null, 0);
                Double e = isRegion ? Double.valueOf(v[0]) : expected.get(t.getKey());
                if (e != null && e > 0) {
                    // No Poisson interval on days or euros (not counts): the ratio is published without one.
                    double[] ci = count ? interval.of(v[0], e) : new double[] {Double.NaN, Double.NaN};
                    Double std = regionalValue == null ? null : v[0] / e * regionalValue;
                    iv = iv.withStandardisation(e, v[0] / e, ci[0], ci[1], std);
                }
                out.add(iv);
            }
        }
        return withPrevious(out, 12);
    }

    private static List<IndicatorValue> growth(IndicatorDefinition def, List<Cell> cells, String region) {
        String num = def.numerator().orElseThrow().cubeColumn();
        String pat = def.numerator().orElseThrow().patientsColumn();
        Map<YearMonth, Map<String, double[]>> byTerritory = new TreeMap<>();
        for (Cell c : cells) {
            if (def.filter().keeps(c.ageBand(), c.ald())) {
                double[] v = {c.get(num), 0, c.get(pat)};
                add(byTerritory.computeIfAbsent(c.window(), w -> new TreeMap<>()), c.dept(), v);
                add(byTerritory.get(c.window()), region, v);
            }
        }
        List<IndicatorValue> out = new ArrayList<>();
        for (var w : byTerritory.entrySet()) {
            Map<String, double[]> before = byTerritory.get(w.getKey().minusMonths(12));
            for (var t : w.getValue().entrySet()) {
                double now = t.getValue()[0];
                Double prev = before == null || !before.containsKey(t.getKey()) ? null : before.get(t.getKey())[0];
                Double growth = prev == null || prev == 0 ? null : (now / prev - 1) * 100;
                out.add(new IndicatorValue(def.name(), t.getKey().equals(region) ? IndicatorValue.REGION : IndicatorValue.DEPARTMENT,
                        t.getKey(), w.getKey(), now, prev, growth, Math.round(t.getValue()[2]),
                        null, null, null, null, null, null, 0));
            }
        }
        return withPrevious(out, 12);
    }

    /** Fills each value's previous-window value (same indicator and territory, {@code lag} months before). */
    static List<IndicatorValue> withPrevious(List<IndicatorValue> values, int lag) {
        Map<String, IndicatorValue> index = new TreeMap<>();
        for (IndicatorValue v : values) {
            index.put(key(v.indicator(), v.territory(), v.windowMonth()), v);
        }
        List<IndicatorValue> out = new ArrayList<>();
        for (IndicatorValue v : values) {
            IndicatorValue prev = index.get(key(v.indicator(), v.territory(), v.windowMonth().minusMonths(lag)));
            out.add(prev == null ? v : v.withPrevious(prev.value()));
        }
        return out;
    }

    private static String key(String indicator, String territory, YearMonth w) {
        return indicator + "|" + territory + "|" + w;
    }

    private static String stratum(Cell c) {
        return c.ageBand() + "|" + c.sex() + "|" + c.ald();
    }

    private static void add(Map<String, double[]> m, String key, double[] v) {
        DoubleBinaryOperator plus = Double::sum;
        double[] acc = m.computeIfAbsent(key, k -> new double[v.length]);
        for (int i = 0; i < v.length; i++) {
            acc[i] = plus.applyAsDouble(acc[i], v[i]);
        }
    }

    private static Double value(double[] v, double scale) {
        return v[1] > 0 ? v[0] / v[1] * scale : null;
    }
}
