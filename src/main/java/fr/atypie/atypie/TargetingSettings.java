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
                Capacity.from(s.child("default-capacity")), Map.copyOf(s.map("capacity", Capacity::from)));
    }

    public Capacity capacity(String dept) {
        return capacityByDept.getOrDefault(dept, defaultCapacity);
    }
}
