package fr.atypie.procedure;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.SickLeaveSpells;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The weekly run on sick-leave flows ({@code atypie signals --week}, the "requête unique"): the
 * sickness spells each prescriber initiated, week by week, up to the week of the run, and the
 * signals drawn from them. Mandatory signals: every prescriber under procedure (observation, MSO,
 * MSAP, penalty proposed) whose weekly spells rose {@code rising-weeks} weeks in a row (the insured
 * reaching day 60/90 in the week are the other mandatory signal, {@link LongSickLeave}). Optional
 * signals: the trend on the weekly flows (spells of the last {@code recent-weeks} weeks against the
 * {@code baseline-weeks} before, standardised on the region's growth, the test and thresholds of
 * {@link TrendAtypie}), for prescribers not under procedure, ranked by z within their department and
 * kept within the department's weekly capacity.
 */
public final class WeeklyFlows {
    public static final String WEEK_INDEX = "week_index";

    private WeeklyFlows() {}

    /** Seven days, {@code first} to {@code last}. */
    public record Week(LocalDate first, LocalDate last) {
        public static Week ending(LocalDate last) {
            return new Week(last.minusDays(6), last);
        }

        /** The week {@code k} weeks before this one. */
        public Week minus(int k) {
            return new Week(first.minusDays(7L * k), last.minusDays(7L * k));
        }
    }

    /**
     * A prescriber's spells initiated in each of the weeks, oldest first (the last: the run's week), and the distinct
     * patients behind them (for secrecy).
     */
    public record Flow(String prescriber, long[] spells, long patients) {
        public long sum(int from, int to) {
            return Arrays.stream(spells, from, to).sum();
        }

        String shown(int from) {
            return Arrays.stream(spells, from, spells.length).mapToObj(Long::toString).collect(Collectors.joining(", "));
        }
    }

    public enum Kind { MANDATORY, OPTIONAL }

    /** One signal for a team: mandatory ones are all within capacity; optional ones are ranked per department. */
    public record Signal(String dept, Kind kind, String code, String prescriber, int rank, boolean withinCapacity,
                         String weeklySpells, Double z, long patients, String reason) {}

    /** Sickness spells initiated in the {@code weeks} weeks ending with {@code week}, per prescriber and week. */
    public static Map<String, Flow> flows(Dataset<Row> spells, Week week, int weeks) {
        Date first = Date.valueOf(week.minus(weeks - 1).first());
        Date last = Date.valueOf(week.last());
        Dataset<Row> started = spells.where(col(RISK).equalTo(RISK_SICKNESS)
                        .and(col(SickLeaveSpells.INITIAL_PRESCRIBER).isNotNull())
                        .and(col(START_DATE).between(first, last)))
                .withColumn(WEEK_INDEX, lit(weeks - 1).minus(floor(datediff(lit(last), col(START_DATE)).divide(7)).cast("int")));
        Map<String, Flow> out = new TreeMap<>();
        for (Row r : started.groupBy(SickLeaveSpells.INITIAL_PRESCRIBER).agg(countDistinct(PATIENT)).collectAsList()) {
            out.put(r.getString(0), new Flow(r.getString(0), new long[weeks], r.getLong(1)));
        }
        for (Row r : started.groupBy(SickLeaveSpells.INITIAL_PRESCRIBER, WEEK_INDEX).count().collectAsList()) {
            out.get(r.getString(0)).spells()[r.getInt(1)] = r.getLong(2);
        }
        return out;
    }

    /**
     * Mandatory: the prescribers under procedure whose weekly spells rose strictly, week after week, over the last
     * {@code risingWeeks} + 1 weeks.
     *
     * @param underProcedure the latest carried procedure states under a step, by prescriber
     */
    public static List<Signal> rising(Map<String, ProcedureState> underProcedure, Map<String, Flow> flows,
                                      Map<String, String> deptOf, int risingWeeks) {
        List<Signal> out = new ArrayList<>();
        for (ProcedureState st : underProcedure.values()) {
            Flow f = flows.get(st.prescriber());
            if (f == null || f.spells().length < risingWeeks + 1) {
                continue;
            }
            int from = f.spells().length - risingWeeks - 1;
            boolean rose = true;
            for (int i = from + 1; i < f.spells().length; i++) {
                rose &= f.spells()[i] > f.spells()[i - 1];
            }
            if (rose) {
                String weekly = f.shown(from);
                out.add(new Signal(deptOf.get(st.prescriber()), Kind.MANDATORY, "PROCEDURE_RISING", st.prescriber(), 0, true,
                        weekly, null, f.patients(), String.format(Locale.FRANCE, "%s depuis %s : arrêts initiés par semaine %s "
                                + "sur les %d dernières semaines, en hausse chaque semaine.", st.step().label(),
                                st.since().map(Object::toString).orElse("?"), weekly, risingWeeks + 1)));
            }
        }
        return ranked(out, d -> Integer.MAX_VALUE);
    }

    /**
     * Optional: the trend on the weekly flows, for the prescribers not in {@code leftOut} (under procedure: the
     * procedure applies), ranked by z within the department, the first {@code capacity(dept)} within capacity.
     */
    public static List<Signal> trend(Map<String, Flow> flows, Map<String, String> deptOf, Set<String> leftOut,
                                     int recentWeeks, int baselineWeeks, ProcedureSettings.Trend thresholds,
                                     ToIntFunction<String> capacity) {
        List<TrendAtypie.Volumes> volumes = new ArrayList<>();
        for (Flow f : flows.values()) {
            int n = f.spells().length;
            if (n < recentWeeks + baselineWeeks) {
                throw new IllegalArgumentException("flows of " + n + " weeks, " + (recentWeeks + baselineWeeks) + " needed");
            }
            volumes.add(new TrendAtypie.Volumes(f.prescriber(), deptOf.get(f.prescriber()), f.sum(n - recentWeeks, n),
                    f.sum(n - recentWeeks - baselineWeeks, n - recentWeeks), 0, 0, f.patients()));
        }
        List<Signal> out = new ArrayList<>();
        for (TrendAtypie.Signal s : TrendAtypie.assess(volumes, thresholds)) {
            TrendAtypie.Volumes v = s.volumes();
            if (!s.flagged() || leftOut.contains(v.prescriber())) {
                continue;
            }
            Flow f = flows.get(v.prescriber());
            out.add(new Signal(v.dept(), Kind.OPTIONAL, "TREND", v.prescriber(), 0, false,
                    f.shown(f.spells().length - recentWeeks - baselineWeeks), s.z(), v.patients(),
                    String.format(Locale.FRANCE, "Arrêts initiés : %d sur les %d dernières semaines contre %d sur les %d "
                                    + "précédentes (x%.2f à durée égale) quand la région fait x%.2f : %.2f fois la croissance "
                                    + "régionale (z %.2f).", v.spellsNow(), recentWeeks, v.spellsBefore(), baselineWeeks,
                            s.growth() * baselineWeeks / recentWeeks, s.regionGrowth() * baselineWeeks / recentWeeks,
                            s.relativeGrowth(), s.z())));
        }
        out.sort(Comparator.comparing((Signal s) -> String.valueOf(s.dept())).thenComparing(s -> -s.z())
                .thenComparing(Signal::prescriber));
        return ranked(out, capacity);
    }

    /** Ranks within each department in the list's order, within capacity up to {@code capacity(dept)}. */
    private static List<Signal> ranked(List<Signal> signals, ToIntFunction<String> capacity) {
        List<Signal> sorted = new ArrayList<>(signals);
        if (sorted.stream().allMatch(s -> s.kind() == Kind.MANDATORY)) {
            sorted.sort(Comparator.comparing((Signal s) -> String.valueOf(s.dept())).thenComparing(Signal::prescriber));
        }
        Map<String, Integer> rank = new TreeMap<>();
        List<Signal> out = new ArrayList<>();
        for (Signal s : sorted) {
            int r = rank.merge(String.valueOf(s.dept()), 1, Integer::sum);
            out.add(new Signal(s.dept(), s.kind(), s.code(), s.prescriber(), r,
                    s.kind() == Kind.MANDATORY || r <= capacity.applyAsInt(s.dept()), s.weeklySpells(), s.z(), s.patients(),
                    s.reason()));
        }
        return out;
    }
}
