package fr.atypie.procedure;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * The monthly follow-up of the prescribers under observation, MSO, MSAP or a penalty proposal:
 * for each, one row per month from the start of the step before the current one (the EC before an
 * observation, the observation before an MSO...) to the month, so that the team reads the
 * trajectory of the measured volume, and during an MSO its gap to the objective. The earlier months
 * come from the states the procedure carried ({@code WORK/state/procedure/YYYY-MM.tsv}).
 *
 * <p>Beside the trajectory, the two measures the campaign evaluation computes for procedures
 * ({@code atypie.campaigns.anticipation-months} and {@code rebound-months}), here on the
 * prescriber's own 12-month IJ days: the <b>anticipation</b>, the change over the
 * {@code anticipation-months} before the observation began (M0, the procedure's first month, as in
 * the evaluation), and the <b>rebound</b>, the change since the last month of the procedure, for
 * {@code rebound-months} after it closed. A prescriber whose procedure closed within the last
 * {@code rebound-months} stays in the follow-up (current step NONE) for its rebound to be read.
 */
public final class FollowUp {
    private FollowUp() {}

    /**
     * One month of a followed prescriber's trajectory.
     *
     * @param currentStep  the prescriber's step in the follow-up's month, with its first and last month
     * @param step         the step that month
     * @param ijDays       12-month IJ days prescribed, as measured that month
     * @param objective    the MSO objective in force that month (none before the MSO, none after it)
     * @param gap          ijDays − objective (negative: within the objective)
     * @param gapPercent   100 × gap / objective
     * @param anticipation ijDays(M0 − 1) − ijDays(M0 − 1 − anticipation-months), M0 the observation's first month
     *                     (the prescriber's, repeated on each of its rows; null when a month is not stored)
     * @param anticipationPercent 100 × anticipation / ijDays(M0 − 1 − anticipation-months)
     * @param rebound      on the months after a closed procedure: ijDays that month − ijDays of the procedure's last month
     * @param reboundPercent 100 × rebound / ijDays of the procedure's last month
     */
    public record Row(String prescriber, String theme, ProcedureStep currentStep, YearMonth currentSince,
                      YearMonth currentUntil, YearMonth month, ProcedureStep step, boolean criterion, Double ijDays,
                      Double objective, Double gap, Double gapPercent, Double anticipation, Double anticipationPercent,
                      Double rebound, Double reboundPercent) {}

    /**
     * The windows of anticipation and rebound, in months (those of {@code atypie.campaigns}); 0 leaves the
     * measure out.
     */
    public record Windows(int anticipationMonths, int reboundMonths) {
        public static final Windows NONE = new Windows(0, 0);

        public Windows {
            if (anticipationMonths < 0 || reboundMonths < 0) {
                throw new IllegalArgumentException("anticipation and rebound months must not be negative");
            }
        }
    }

    /** The trajectory alone, without anticipation, rebound or the closed procedures' rebound watch. */
    public static List<Row> rows(List<ProcedureState> states, List<ProcedureState> earlier) {
        return rows(states.isEmpty() ? null : states.get(0).month(), states, earlier, Map.of(), Windows.NONE);
    }

    /**
     * @param month   the follow-up's month
     * @param states  the month's states (all prescribers, all themes)
     * @param earlier the states of earlier months, any order (a month re-run never sees later ones)
     * @param ijDaysNow the month's 12-month IJ days by prescriber (sick-leave theme), for a closed procedure's
     *                  prescriber, who has no stored state this month
     * @return the rows, by prescriber, theme and month; a month with no stored state (not run) has no row
     */
    public static List<Row> rows(YearMonth month, List<ProcedureState> states, List<ProcedureState> earlier,
                                 Map<String, Double> ijDaysNow, Windows windows) {
        Map<String, TreeMap<YearMonth, ProcedureState>> history = new TreeMap<>();
        for (ProcedureState s : earlier) {
            history.computeIfAbsent(key(s), k -> new TreeMap<>()).put(s.month(), s);
        }
        Map<String, ProcedureState> ofMonth = new TreeMap<>();
        states.forEach(s -> ofMonth.put(key(s), s));
        List<Row> out = new ArrayList<>();
        for (ProcedureState current : states.stream().filter(ProcedureState::underProcedure)
                .sorted(Comparator.comparing(ProcedureState::prescriber).thenComparing(ProcedureState::theme)).toList()) {
            TreeMap<YearMonth, ProcedureState> past = new TreeMap<>(history.getOrDefault(key(current), new TreeMap<>()));
            YearMonth since = current.since().orElse(current.month());
            // The step before: every step from observation on follows one (EC, observation, MSO, MSAP), the
            // last state stored before this one began (the month before, unless that month was not run).
            Map.Entry<YearMonth, ProcedureState> before = past.lowerEntry(since);
            YearMonth from = before == null ? since : before.getValue().since().orElse(before.getKey());
            past.put(current.month(), current);
            Double[] anticipation = anticipation(past, windows.anticipationMonths());
            for (YearMonth m = from; !m.isAfter(current.month()); m = m.plusMonths(1)) {
                ProcedureState s = past.get(m);
                if (s != null) {
                    out.add(row(current.prescriber(), current.theme(), current.step(), since, current.until().orElse(null),
                            s, anticipation, null));
                }
            }
        }
        if (month != null && windows.reboundMonths() > 0) {
            out.addAll(closed(history, ofMonth, month, ijDaysNow, windows));
        }
        out.sort(Comparator.comparing(Row::prescriber).thenComparing(Row::theme).thenComparing(Row::month));
        return out;
    }

    /**
     * The prescribers whose procedure closed within the last {@code rebound-months}: no state under a step this
     * month, the last one stored (month L) under a step, and the month no later than L + rebound-months. Rows:
     * the last step's stored months, then this month (step NONE) with its rebound against L. States of NONE are
     * not stored: the months between L and this month have no row.
     */
    private static List<Row> closed(Map<String, TreeMap<YearMonth, ProcedureState>> history,
                                    Map<String, ProcedureState> ofMonth, YearMonth month, Map<String, Double> ijDaysNow,
                                    Windows windows) {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<YearMonth, ProcedureState>> e : history.entrySet()) {
            ProcedureState now = ofMonth.get(e.getKey());
            if (now != null && now.underProcedure()) {
                continue;
            }
            TreeMap<YearMonth, ProcedureState> past = new TreeMap<>(e.getValue().headMap(month));
            if (past.isEmpty()) {
                continue;
            }
            ProcedureState last = past.lastEntry().getValue();
            YearMonth end = last.month();
            if (!last.underProcedure() || month.isAfter(end.plusMonths(windows.reboundMonths()))) {
                continue;
            }
            String theme = last.theme();
            Double days = now != null ? now.ijDays()
                    : ProcedureTracking.SICK_LEAVE.equals(theme) ? ijDaysNow.get(last.prescriber()) : null;
            // This month's step: none, or a DAM visit or EC that started the ladder again.
            ProcedureStep step = now == null ? ProcedureStep.NONE : now.step();
            ProcedureState closing = new ProcedureState(last.prescriber(), theme, month, step,
                    Optional.empty(), Optional.empty(), now != null && now.criterion(), false, days, null, false, false, "", "");
            past.put(month, closing);
            Double[] anticipation = anticipation(past, windows.anticipationMonths());
            YearMonth from = last.since().orElse(end);
            YearMonth watchFrom = end.plusMonths(1);
            YearMonth watchTo = end.plusMonths(windows.reboundMonths());
            for (Map.Entry<YearMonth, ProcedureState> m : past.tailMap(from, true).entrySet()) {
                out.add(row(last.prescriber(), theme, step, watchFrom, watchTo, m.getValue(), anticipation,
                        m.getKey().isAfter(end) ? last : null));
            }
        }
        return out;
    }

    /** {anticipation, percent} over the months before the latest observation's first month; nulls when not stored. */
    private static Double[] anticipation(TreeMap<YearMonth, ProcedureState> states, int months) {
        if (months <= 0) {
            return new Double[] {null, null};
        }
        YearMonth m0 = null;
        for (ProcedureState s : states.descendingMap().values()) {
            if (s.step() == ProcedureStep.OBSERVATION) {
                m0 = s.since().orElse(s.month());
                break;
            }
        }
        if (m0 == null) {
            return new Double[] {null, null};
        }
        ProcedureState late = states.get(m0.minusMonths(1));
        ProcedureState early = states.get(m0.minusMonths(1L + months));
        if (late == null || early == null || late.ijDays() == null || early.ijDays() == null) {
            return new Double[] {null, null};
        }
        double change = late.ijDays() - early.ijDays();
        return new Double[] {change, early.ijDays() > 0 ? 100 * change / early.ijDays() : null};
    }

    private static Row row(String prescriber, String theme, ProcedureStep currentStep, YearMonth since, YearMonth until,
                           ProcedureState s, Double[] anticipation, ProcedureState end) {
        Double gap = s.ijDays() == null || s.objective() == null ? null : s.ijDays() - s.objective();
        Double percent = gap == null || s.objective() <= 0 ? null : 100 * gap / s.objective();
        Double rebound = end == null || s.ijDays() == null || end.ijDays() == null ? null : s.ijDays() - end.ijDays();
        Double reboundPercent = rebound == null || end.ijDays() <= 0 ? null : 100 * rebound / end.ijDays();
        return new Row(prescriber, theme, currentStep, since, until, s.month(), s.step(), s.criterion(), s.ijDays(),
                s.objective(), gap, percent, anticipation[0], anticipation[1], rebound, reboundPercent);
    }

    private static final Pattern STATE_FILE = Pattern.compile("\\d{4}-\\d{2}\\.tsv");

    /** The states carried in {@code work} for the months before {@code month} (later ones, from a re-run of an earlier month, left out). */
    public static List<ProcedureState> earlier(Store work, YearMonth month) throws IOException {
        List<ProcedureState> out = new ArrayList<>();
        Store folder = ProcedureTracking.stateFile(work, month).parent();
        for (FileStatus f : folder.list()) {
            String name = f.getPath().getName();
            if (STATE_FILE.matcher(name).matches() && YearMonth.parse(name.substring(0, 7)).isBefore(month)) {
                out.addAll(ProcedureTracking.read(folder.child(name)).values());
            }
        }
        return out;
    }

    private static String key(ProcedureState s) {
        return s.prescriber() + "|" + s.theme();
    }
}
