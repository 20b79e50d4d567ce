package fr.atypie.atypie;

import fr.atypie.settings.Section;
import java.util.Map;

/** The typed {@code atypie.targeting} section: action effects, exclusions, capacities per department. */
public record TargetingSettings(Map<Action, Double> effects, int exclusionMonths, Capacity defaultCapacity,
                                Map<String, Capacity> capacityByDept) {

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
        Map<Action, Double> effects = Map.of(
                Action.DAM, e.number("dam", 0, 1), Action.EC, e.number("ec", 0, 1),
                Action.MSO_MSAP, e.number("mso-msap", 0, 1));
        return new TargetingSettings(effects, s.integer("exclusion-months", 0, 120),
                Capacity.from(s.child("default-capacity")), departments(s, s.map("capacity", Capacity::from)));
    }

    /**
     * Capacity overrides keyed as the extract spells departments ({@code BEN_RES_DPT}: three
     * characters, "034", "02A"): "34" becomes "034", "2a" "02A"; anything else, or two keys for
     * one department, is a configuration error (an override silently ignored would send the
     * department's teams the default number of contacts).
     */
    static Map<String, Capacity> departments(Section s, Map<String, Capacity> byKey) {
        Map<String, Capacity> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Capacity> e : byKey.entrySet()) {
            String k = e.getKey().trim().toUpperCase(java.util.Locale.ROOT);
            String dept;
            if (k.matches("\\d{1,3}")) {
                dept = "0".repeat(3 - k.length()) + k;
            } else if (k.matches("0?2[AB]")) {
                dept = k.length() == 2 ? "0" + k : k;
            } else {
                throw new fr.atypie.errors.ConfigError(s.key("capacity") + ": key \"" + e.getKey()
                        + "\" is not a department code (three characters, e.g. \"034\", \"02A\")");
            }
            if (out.put(dept, e.getValue()) != null) {
                throw new fr.atypie.errors.ConfigError(s.key("capacity") + ": department " + dept + " is given twice");
            }
        }
        return Map.copyOf(out);
    }

    public Capacity capacity(String dept) {
        return capacityByDept.getOrDefault(dept, defaultCapacity);
    }
}
