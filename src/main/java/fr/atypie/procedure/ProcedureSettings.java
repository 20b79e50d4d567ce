package fr.atypie.procedure;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import fr.atypie.atypie.TargetingSettings;
import java.util.List;
import java.util.Map;

/** The typed {@code atypie.procedure} section (conf/procedure.conf). */
public record ProcedureSettings(Criterion criterion, Steps steps, Trend trend, List<Integer> longSickLeaveDays,
                                Weekly weekly) {

    /** Thresholds of the legal criterion (art. L162-1-15), with where the words and the numbers come from. */
    public record Criterion(String source, String thresholdSource, double minZ, double minRatio, int minPeers) {}

    /** Lengths of the steps and the persistence rule. */
    public record Steps(int persistenceAfterMonths, boolean ecAfterDamOnly, int followMonths, int observationMonths,
                        int msoMonths, int msapMonths, double msoReduction) {}

    public record Trend(long minSpells, double minRatio, double minZ) {}

    /**
     * The weekly run on sick-leave flows ({@code atypie signals --week}).
     *
     * @param lookbackMonths  flux months read, the latest included: spells must start inside them to be dated
     * @param risingWeeks     a prescriber under procedure is signalled when its weekly spells rose this many weeks in a row
     * @param recentWeeks     trend signal: spells of these last weeks ...
     * @param baselineWeeks   ... against those of the weeks before them
     * @param defaultCapacity optional signals a department's team can take in a week
     * @param capacityByDept  overrides, by department code as in BEN_RES_DPT
     */
    public record Weekly(int lookbackMonths, int risingWeeks, int recentWeeks, int baselineWeeks, int defaultCapacity,
                         Map<String, Integer> capacityByDept) {
        public int capacity(String dept) {
            return dept == null ? defaultCapacity : capacityByDept.getOrDefault(dept, defaultCapacity);
        }

        static Weekly from(Section w, List<Integer> days) {
            int lookback = w.integer("lookback-months", 2, 36);
            int rising = w.integer("rising-weeks", 1, 12);
            int recent = w.integer("recent-weeks", 1, 12);
            int baseline = w.integer("baseline-weeks", 1, 52);
            // The longest day signalled (90) and the weeks compared must fall within the months read, with a month to spare.
            int longest = Math.max(days.get(days.size() - 1), 7 * Math.max(rising + 1, recent + baseline));
            int needed = (int) Math.ceil(longest / 30.0) + 1;
            if (lookback < needed) {
                throw new ConfigError(w.key("lookback-months") + " = " + lookback + " is too short: day "
                        + days.get(days.size() - 1) + " of a spell and " + Math.max(rising + 1, recent + baseline)
                        + " weeks compared need at least " + needed + " months");
            }
            Map<String, Integer> byDept = TargetingSettings.departments(w, "capacity",
                    w.map("capacity", c -> c.integer("alerts", 0, 100_000)));
            return new Weekly(lookback, rising, recent, baseline, w.child("default-capacity").integer("alerts", 0, 100_000),
                    byDept);
        }
    }

    public static ProcedureSettings from(Section s) {
        Section c = s.child("legal-criterion");
        Section st = s.child("steps");
        Section t = s.child("trend");
        List<Integer> days = s.child("long-sick-leave").integers("days");
        if (days.isEmpty() || days.stream().anyMatch(d -> d < 2 || d > 3 * 365)) {
            throw new ConfigError(s.key("long-sick-leave.days") + " must list days between 2 and 1095, got " + days);
        }
        return new ProcedureSettings(
                new Criterion(c.string("source"), c.string("threshold-source"), c.number("min-z", 0, 10),
                        c.number("min-ratio", 1, 100), c.integer("min-peers", 2, 100_000)),
                new Steps(st.integer("persistence-after-months", 1, 12), st.bool("ec-after-dam-only"),
                        st.integer("follow-months", 1, 36), st.integer("observation-months", 1, 12),
                        st.integer("mso-months", 1, 12), st.integer("msap-months", 1, 6),
                        st.number("mso-reduction", 0, 1)),
                new Trend(t.longInt("min-spells", 1, 1_000_000), t.number("min-ratio", 1, 100), t.number("min-z", 0, 10)),
                days.stream().sorted().distinct().toList(),
                Weekly.from(s.child("weekly"), days.stream().sorted().distinct().toList()));
    }
}
