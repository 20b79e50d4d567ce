package fr.atypie.indicators.scorecard;

import fr.atypie.errors.InputError;
import fr.atypie.indicators.scorecard.CpgScoring.Direction;
import fr.atypie.indicators.scorecard.CpgScoring.Kind;
import fr.atypie.indicators.scorecard.CpgScoring.Weighted;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The CPG scorecard of each department (fund): indicator success, axis rates, final score and
 * rank inside its region. Departments × indicators is tiny, so this is plain Java over records;
 * {@link #resultsFrom} is the thin adapter from a Spark Dataset of indicator results.
 *
 * <p>A department gets a score only when every configured indicator has a result (measured, or
 * entered in {@code atypie.cpg.entered-results}): a partial score would rank funds on different
 * bases. Its axis rates are still given over the indicators present, and the missing ones are
 * listed. Ranks: by score descending inside the region, equal scores share a rank (1, 2, 2, 4),
 * listed by department code.
 */
public final class Scorecard {
    private Scorecard() {}

    /** One measured indicator value for one department. */
    public record IndicatorResult(String department, String indicator, double value) {}

    /** Where a result came from. */
    public enum Source { MEASURED, ENTERED }

    /** One indicator of one department's scorecard. {@code floor} is NaN outside rates, {@code objective} NaN for entered success rates. */
    public record IndicatorScore(String axis, String indicator, Kind kind, Direction direction, double result,
                                 double objective, double floor, double points, double success, Source source) {}

    /** One axis: its points and its rate over the indicators present (NaN when none); complete when none is missing. */
    public record AxisScore(String axis, String label, double points, double rate, boolean complete) {}

    /**
     * One department's scorecard. {@code score} and {@code rank} are NaN and 0 when indicators are
     * missing (listed in {@code missing}).
     */
    public record DepartmentScore(String region, String department, List<IndicatorScore> indicators,
                                  List<AxisScore> axes, double score, int rank, List<String> missing) {
        public boolean complete() {
            return missing.isEmpty();
        }
    }

    /** Scorecards of all departments, ranked together as one region (named ""). */
    public static List<DepartmentScore> compute(Collection<IndicatorResult> measured, CpgSettings cpg) {
        return compute(measured, null, cpg);
    }

    /**
     * Scorecards of the departments that have a measured or an entered result, ranked inside their
     * region ({@code regionOfDepartment}; null ranks all together). Sorted by region, rank, department.
     */
    public static List<DepartmentScore> compute(Collection<IndicatorResult> measured,
                                                Map<String, String> regionOfDepartment, CpgSettings cpg) {
        Map<String, Map<String, IndicatorResult>> byDept = new TreeMap<>();
        for (IndicatorResult r : measured) {
            if (cpg.indicator(r.indicator()).isEmpty()) {
                continue; // indicators outside the contract are published elsewhere, not scored
            }
            IndicatorResult previous = byDept.computeIfAbsent(r.department(), d -> new HashMap<>()).put(r.indicator(), r);
            if (previous != null) {
                throw new InputError("indicator results: department " + r.department() + " has two results for "
                        + r.indicator() + " (" + previous.value() + " and " + r.value() + ")");
            }
        }
        TreeSet<String> departments = new TreeSet<>(byDept.keySet());
        departments.addAll(cpg.enteredResults().keySet());

        List<DepartmentScore> unranked = new ArrayList<>();
        for (String dept : departments) {
            String region = "";
            if (regionOfDepartment != null) {
                region = regionOfDepartment.get(dept);
                if (region == null) {
                    throw new InputError("indicator results: department " + dept + " has no region");
                }
            }
            unranked.add(score(region, dept, byDept.getOrDefault(dept, Map.of()),
                    cpg.enteredResults().getOrDefault(dept, Map.of()), cpg));
        }
        return rank(unranked);
    }

    private static DepartmentScore score(String region, String dept, Map<String, IndicatorResult> measured,
                                         Map<String, Double> entered, CpgSettings cpg) {
        List<IndicatorScore> scores = new ArrayList<>();
        List<AxisScore> axes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (CpgSettings.Axis axis : cpg.axes()) {
            List<Weighted> present = new ArrayList<>();
            boolean complete = true;
            for (CpgSettings.Indicator ind : axis.indicators()) {
                IndicatorResult m = measured.get(ind.id());
                Double e = entered.get(ind.id());
                if (m != null && e != null) {
                    throw new InputError("indicator results: " + ind.id() + " of department " + dept
                            + " is both measured (" + m.value() + ") and entered (" + e
                            + ") in atypie.cpg.entered-results; remove one");
                }
                if (m == null && e == null) {
                    missing.add(ind.id());
                    complete = false;
                    continue;
                }
                double value = m != null ? m.value() : e;
                CpgSettings.Target t = cpg.target(dept, ind);
                double success;
                try {
                    success = CpgScoring.success(ind.kind(), ind.direction(), value, t.objective(), t.floor());
                } catch (IllegalArgumentException ex) {
                    throw new InputError("indicator results: " + ind.id() + " of department " + dept + ": " + ex.getMessage());
                }
                scores.add(new IndicatorScore(axis.id(), ind.id(), ind.kind(), ind.direction(), value,
                        ind.kind() == Kind.SUCCESS ? Double.NaN : t.objective(),
                        ind.kind() == Kind.RATE ? t.floor() : Double.NaN,
                        t.points(), success, m != null ? Source.MEASURED : Source.ENTERED));
                present.add(new Weighted(success, t.points()));
            }
            double rate = present.isEmpty() ? Double.NaN : CpgScoring.axisRate(present);
            axes.add(new AxisScore(axis.id(), axis.label(), axis.points(), rate, complete));
        }
        double score = missing.isEmpty()
                ? CpgScoring.finalScore(axes.stream().map(a -> new Weighted(a.rate(), a.points())).toList())
                : Double.NaN;
        return new DepartmentScore(region, dept, List.copyOf(scores), List.copyOf(axes), score, 0, List.copyOf(missing));
    }

    private static List<DepartmentScore> rank(List<DepartmentScore> scores) {
        Comparator<DepartmentScore> order = Comparator.comparing(DepartmentScore::region)
                .thenComparing(d -> d.complete() ? 0 : 1)
                .thenComparing(d -> d.complete() ? -d.score() : 0.0)
                .thenComparing(DepartmentScore::department);
        List<DepartmentScore> sorted = new ArrayList<>(scores);
        sorted.sort(order);
        List<DepartmentScore> out = new ArrayList<>();
        String region = null;
        int position = 0;
        int rank = 0;
        double previous = Double.NaN;
        for (DepartmentScore d : sorted) {
            if (!d.region().equals(region)) {
                region = d.region();
                position = 0;
                previous = Double.NaN;
            }
            if (!d.complete()) {
                out.add(d);
                continue;
            }
            position++;
            if (d.score() != previous) {
                rank = position;
                previous = d.score();
            }
            out.add(new DepartmentScore(d.region(), d.department(), d.indicators(), d.axes(), d.score(), rank, d.missing()));
        }
        return List.copyOf(out);
    }

    /**
     * Collects indicator results from a Dataset (one row per department and indicator; small).
     * Null departments, indicators or values are an input error naming the column and row count.
     */
    public static List<IndicatorResult> resultsFrom(Dataset<Row> results, String departmentColumn,
                                                    String indicatorColumn, String valueColumn) {
        for (String c : List.of(departmentColumn, indicatorColumn, valueColumn)) {
            if (!List.of(results.columns()).contains(c)) {
                throw new InputError("indicator results: column '" + c + "' is missing (columns: "
                        + String.join(", ", results.columns()) + ")");
            }
        }
        List<String> names = List.of(departmentColumn, indicatorColumn, valueColumn);
        List<IndicatorResult> out = new ArrayList<>();
        long badRows = 0;
        String firstNullColumn = null;
        for (Row r : results.select(departmentColumn, indicatorColumn, valueColumn).collectAsList()) {
            if (r.anyNull()) {
                badRows++;
                for (int i = 0; i < 3 && firstNullColumn == null; i++) {
                    firstNullColumn = r.isNullAt(i) ? names.get(i) : null;
                }
                continue;
            }
            out.add(new IndicatorResult(r.getString(0), r.getString(1), ((Number) r.get(2)).doubleValue()));
        }
        if (badRows > 0) {
            throw new InputError("indicator results: " + badRows + " row(s) with a null value (first in column '"
                    + firstNullColumn + "'); every department, indicator and value must be filled");
        }
        return out;
    }
}
