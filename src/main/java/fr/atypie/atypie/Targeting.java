package fr.atypie.atypie;

import fr.atypie.atypie.TargetingSettings.Action;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Action lists per department under capacity: candidates of each segment, minus prescribers
 * contacted recently or under procedure, ranked by expected avoidable amount, the first
 * {@code capacity} kept for the month.
 */
public final class Targeting {
    private Targeting() {}

    public record Result(List<TargetEntry> entries, List<PrescriberSegment> excluded) {}

    /** Whether a prescriber is left out of an action's list in a month. */
    @FunctionalInterface
    public interface Exclusion {
        boolean excludes(PrescriberSegment prescriber, Action action, YearMonth month);
    }

    /** Excludes whoever the history shows contacted in the last {@code exclusion-months}, or under procedure. */
    public static Result target(List<PrescriberSegment> segments, YearMonth month, TargetingSettings settings,
                                ContactHistory history) {
        return target(segments, month, settings, (Exclusion) (s, a, m) -> history.excludes(s.prescriber(), m, settings.exclusionMonths()));
    }

    public static Result target(List<PrescriberSegment> segments, YearMonth month, TargetingSettings settings,
                                Exclusion exclusion) {
        Map<String, List<PrescriberSegment>> byDeptAction = new TreeMap<>();
        List<PrescriberSegment> excluded = new ArrayList<>();
        for (PrescriberSegment s : segments) {
            Action action = actionFor(s.segment());
            if (action == null) {
                continue;
            }
            if (exclusion.excludes(s, action, month)) {
                excluded.add(s);
                continue;
            }
            byDeptAction.computeIfAbsent(s.dept() + "|" + action.name(), k -> new ArrayList<>()).add(s);
        }
        List<TargetEntry> entries = new ArrayList<>();
        for (Map.Entry<String, List<PrescriberSegment>> e : byDeptAction.entrySet()) {
            String dept = e.getKey().substring(0, e.getKey().indexOf('|'));
            Action action = Action.valueOf(e.getKey().substring(e.getKey().indexOf('|') + 1));
            double effect = settings.effects().get(action);
            List<PrescriberSegment> ranked = new ArrayList<>(e.getValue());
            ranked.sort(Comparator.comparingDouble(PrescriberSegment::excessAmount).reversed()
                    .thenComparing(PrescriberSegment::prescriber));
            int capacity = settings.capacity(dept).of(action);
            for (int i = 0; i < ranked.size(); i++) {
                entries.add(new TargetEntry(dept, action, i + 1, i < capacity, ranked.get(i),
                        ranked.get(i).excessAmount() * effect, effect, settings.effectSources().get(action)));
            }
        }
        return new Result(entries, excluded);
    }

    static Action actionFor(Segment s) {
        return switch (s) {
            case GAIN_POTENTIAL -> Action.DAM;
            case ATYPICAL -> Action.EC;
            case STRONGLY_ATYPICAL -> Action.MSO_MSAP;
            default -> null;
        };
    }
}
