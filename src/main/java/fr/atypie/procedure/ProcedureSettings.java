package fr.atypie.procedure;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.List;

/** The typed {@code atypie.procedure} section (conf/procedure.conf). */
public record ProcedureSettings(Criterion criterion, Steps steps, Trend trend, List<Integer> longSickLeaveDays) {

    /** Thresholds of the legal criterion (art. L162-1-15), with where the words and the numbers come from. */
    public record Criterion(String source, String thresholdSource, double minZ, double minRatio, int minPeers) {}

    /** Lengths of the steps and the persistence rule. */
    public record Steps(int persistenceAfterMonths, boolean ecAfterDamOnly, int followMonths, int observationMonths,
                        int msoMonths, int msapMonths, double msoReduction) {}

    public record Trend(long minSpells, double minRatio, double minZ) {}

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
                days.stream().sorted().distinct().toList());
    }
}
