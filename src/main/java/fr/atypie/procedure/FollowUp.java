package fr.atypie.procedure;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * The monthly follow-up of the prescribers under observation, MSO, MSAP or a penalty proposal:
 * for each, one row per month from the start of the step before the current one (the EC before an
 * observation, the observation before an MSO...) to the month, so that the team reads the
 * trajectory of the measured volume, and during an MSO its gap to the objective. The earlier months
 * come from the states the procedure carried ({@code WORK/state/procedure/YYYY-MM.tsv}).
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
     */
    public record Row(String prescriber, String theme, ProcedureStep currentStep, YearMonth currentSince,
                      YearMonth currentUntil, YearMonth month, ProcedureStep step, boolean criterion, Double ijDays,
                      Double objective, Double gap, Double gapPercent) {}

    /**
     * @param states  the month's states (all prescribers, all themes)
     * @param earlier the states of earlier months, any order (a month re-run never sees later ones)
     * @return the rows, by prescriber, theme and month; a month with no stored state (not run) has no row
     */
    public static List<Row> rows(List<ProcedureState> states, List<ProcedureState> earlier) {
        Map<String, TreeMap<YearMonth, ProcedureState>> history = new TreeMap<>();
        for (ProcedureState s : earlier) {
            history.computeIfAbsent(key(s), k -> new TreeMap<>()).put(s.month(), s);
        }
        List<Row> out = new ArrayList<>();
        List<ProcedureState> followed = states.stream().filter(ProcedureState::underProcedure)
                .sorted(Comparator.comparing(ProcedureState::prescriber).thenComparing(ProcedureState::theme)).toList();
        for (ProcedureState current : followed) {
            TreeMap<YearMonth, ProcedureState> past = history.getOrDefault(key(current), new TreeMap<>());
            YearMonth since = current.since().orElse(current.month());
            // The step before: every step from observation on follows one (EC, observation, MSO, MSAP), the
            // last state stored before this one began (the month before, unless that month was not run).
            Map.Entry<YearMonth, ProcedureState> before = past.lowerEntry(since);
            YearMonth from = before == null ? since : before.getValue().since().orElse(before.getKey());
            for (YearMonth m = from; !m.isAfter(current.month()); m = m.plusMonths(1)) {
                ProcedureState s = m.equals(current.month()) ? current : past.get(m);
                if (s == null) {
                    continue;
                }
                Double gap = s.ijDays() == null || s.objective() == null ? null : s.ijDays() - s.objective();
                Double percent = gap == null || s.objective() <= 0 ? null : 100 * gap / s.objective();
                out.add(new Row(current.prescriber(), current.theme(), current.step(), since, current.until().orElse(null),
                        m, s.step(), s.criterion(), s.ijDays(), s.objective(), gap, percent));
            }
        }
        return out;
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
