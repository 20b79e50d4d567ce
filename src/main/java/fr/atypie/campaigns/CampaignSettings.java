package fr.atypie.campaigns;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section {@code atypie.campaigns} (conf/campaigns.conf): how a campaign is evaluated.
 *
 * @param baseMonths         trailing months of consultations that make a prescriber's patient base
 * @param afterWindows       after windows relative to M0
 * @param byRegion           match within the region (true) or the department (false), always within the specialty group
 * @param caliper            largest standardised distance of a usable control
 * @param minBasePatients    prescribers with a smaller mean pre-period base are left out
 * @param daysPerContact     staff days per contact, by action
 * @param placeboShiftMonths in-time placebo: M0 moved back by this many months, evaluated on pre-M0 data only
 * @param startLagMonths     a targeting list of month M becomes contacts starting in M + this lag ({@code atypie history})
 */
public record CampaignSettings(int minAge, int maxAge, int baseMonths, int beforeMonths, List<Window> afterWindows,
                               int anticipationMonths, int reboundMonths, boolean byRegion, int neighbours,
                               double caliper, int minBasePatients, long placeboSeed,
                               Map<CampaignContact.Action, Double> daysPerContact, int placeboShiftMonths,
                               int startLagMonths) {

    /** Months M0+first to M0+last (both included), labelled as in the configuration. */
    public record Window(String label, int first, int last) {
        public Window {
            if (last < first) {
                throw new IllegalArgumentException("window " + label + " ends before it starts");
            }
        }

        public int months() {
            return last - first + 1;
        }
    }

    public CampaignSettings {
        afterWindows = List.copyOf(afterWindows);
        daysPerContact = Map.copyOf(daysPerContact);
    }

    /**
     * Lengths of the blocks the panel counts patients paid over: each after window's, the
     * pre-period's, the anticipation's and the rebound's (the block measures compare like with like).
     */
    public java.util.Set<Integer> blockLengths() {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        afterWindows.forEach(w -> out.add(w.months()));
        out.add(beforeMonths);
        out.add(anticipationMonths);
        out.add(reboundMonths);
        return out;
    }

    public static CampaignSettings from(Section s) {
        int minAge = s.integer("min-age", 0, 120);
        int maxAge = s.integer("max-age", minAge, 120);
        List<Window> windows = new ArrayList<>();
        for (String w : s.strings("after-windows")) {
            String[] p = w.split("-");
            try {
                windows.add(new Window(w, Integer.parseInt(p[0].trim()), Integer.parseInt(p[p.length - 1].trim())));
            } catch (RuntimeException e) {
                throw new ConfigError(s.key("after-windows") + ": '" + w + "' is not a window FIRST-LAST of months after M0 (e.g. 1-3)");
            }
            if (windows.get(windows.size() - 1).first() < 0 || windows.get(windows.size() - 1).last() > 60) {
                throw new ConfigError(s.key("after-windows") + ": '" + w + "' must lie within months 0 to 60 after M0");
            }
        }
        if (windows.isEmpty()) {
            throw new ConfigError(s.key("after-windows") + " must list at least one window");
        }
        Section days = s.child("days-per-contact");
        Map<CampaignContact.Action, Double> perContact = new EnumMap<>(CampaignContact.Action.class);
        for (CampaignContact.Action a : CampaignContact.Action.values()) {
            perContact.put(a, days.number(a.name().toLowerCase(Locale.ROOT), 0, 100));
        }
        return new CampaignSettings(minAge, maxAge, s.integer("base-months", 1, 36), s.integer("before-months", 2, 36),
                windows, s.integer("anticipation-months", 1, 12), s.integer("rebound-months", 1, 24),
                s.string("match-within", List.of("department", "region")).equals("region"),
                s.integer("neighbours", 1, 10), s.number("caliper", 0.001, 100), s.integer("min-base-patients", 1, 100_000),
                s.longInt("placebo-seed", Long.MIN_VALUE, Long.MAX_VALUE), perContact,
                s.integer("placebo-shift-months", 1, 60), s.integer("start-lag-months", 0, 12));
    }
}
