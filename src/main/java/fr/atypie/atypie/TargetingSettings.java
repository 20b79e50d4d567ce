package fr.atypie.atypie;

import fr.atypie.settings.Section;
import java.util.Map;

/**
 * The typed {@code atypie.targeting} section: action effects and where they come from, exclusions,
 * capacities per department.
 *
 * @param effects       expected share of the excess an action avoids
 * @param effectSources where each effect comes from: the configured source, or the campaign
 *                      evaluation it was measured on ({@link #withMeasured})
 * @param measuredEffectWindow the after window of a campaign evaluation whose effect replaces the configured one
 */
public record TargetingSettings(Map<Action, Double> effects, Map<Action, String> effectSources, String measuredEffectWindow,
                                int exclusionMonths, Capacity defaultCapacity, Map<String, Capacity> capacityByDept) {

    /** Actions that consume team capacity. */
    public enum Action {
        DAM("dam", "Visites DAM"), EC("ec", "Échanges confraternels"), MSO_MSAP("mso-msap", "MSO-MSAP");

        private final String key;
        private final String label;

        Action(String key, String label) {
            this.key = key;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    /** How many prescribers a department's teams can take on per action for one refresh. */
    public record Capacity(int dam, int ec, int msoMsap) {
        static Capacity from(Section s) {
            return new Capacity(s.integer("dam", 0, 100_000), s.integer("ec", 0, 100_000), s.integer("mso-msap", 0, 100_000));
        }

        public int of(Action a) {
            return switch (a) {
                case DAM -> dam;
                case EC -> ec;
                case MSO_MSAP -> msoMsap;
            };
        }
    }

    public static TargetingSettings from(Section s) {
        Section e = s.child("effects");
        Section src = s.child("effect-sources");
        Map<Action, Double> effects = new java.util.EnumMap<>(Action.class);
        Map<Action, String> sources = new java.util.EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            effects.put(a, e.number(a.key(), 0, 1));
            sources.put(a, src.string(a.key()));
        }
        return new TargetingSettings(Map.copyOf(effects), Map.copyOf(sources), s.string("measured-effect-window"),
                s.integer("exclusion-months", 0, 120),
                Capacity.from(s.child("default-capacity")), departments(s, "capacity", s.map("capacity", Capacity::from)));
    }

    /** The same settings with the effects measured on the region's own campaigns where there are some. */
    public TargetingSettings withMeasured(Map<Action, Double> measured, Map<Action, String> sources) {
        Map<Action, Double> e = new java.util.EnumMap<>(effects);
        Map<Action, String> src = new java.util.EnumMap<>(effectSources);
        e.putAll(measured);
        src.putAll(sources);
        return new TargetingSettings(Map.copyOf(e), Map.copyOf(src), measuredEffectWindow, exclusionMonths, defaultCapacity,
                capacityByDept);
    }

    /**
     * Capacity overrides keyed as the extract spells departments ({@code BEN_RES_DPT}: three
     * characters, "034", "02A"): "34" becomes "034", "2a" "02A"; anything else, or two keys for
     * one department, is a configuration error (an override silently ignored would send the
     * department's teams the default number of contacts).
     */
    public static <T> Map<String, T> departments(Section s, String key, Map<String, T> byKey) {
        Map<String, T> out = new java.util.TreeMap<>();
        for (Map.Entry<String, T> e : byKey.entrySet()) {
            String k = e.getKey().trim().toUpperCase(java.util.Locale.ROOT);
            String dept;
            if (k.matches("\\d{1,3}")) {
                dept = "0".repeat(3 - k.length()) + k;
            } else if (k.matches("0?2[AB]")) {
                dept = k.length() == 2 ? "0" + k : k;
            } else {
                throw new fr.atypie.errors.ConfigError(s.key(key) + ": key \"" + e.getKey()
                        + "\" is not a department code (three characters, e.g. \"034\", \"02A\")");
            }
            if (out.put(dept, e.getValue()) != null) {
                throw new fr.atypie.errors.ConfigError(s.key(key) + ": department " + dept + " is given twice");
            }
        }
        return Map.copyOf(out);
    }

    public Capacity capacity(String dept) {
        return capacityByDept.getOrDefault(dept, defaultCapacity);
    }
}
