package fr.atypie.procedure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The legal criterion of art. L162-1-15 of the social security code, crude, as the law states
 * it: a doctor whose number of sick-leave prescriptions (arrêts prescribed) or number of IJ days
 * prescribed is significantly above the mean of doctors of comparable activity in the region or
 * in the fund (department). Comparable activity = the same peer group (specialty group × activity
 * band) as the case-mix view; the mean and standard deviation are over every doctor of that
 * group in the scope, the doctor included (the law's "moyenne des médecins"). Significantly
 * above: z = (value − mean) / SD ≥ {@code min-z} and value / mean ≥ {@code min-ratio}, with at
 * least {@code min-peers} doctors. No case mix here on purpose: it is the comparison a doctor
 * can be held to; the standardised view ({@code prescriber_metrics}) sits beside it.
 */
public final class LegalCriterion {
    private LegalCriterion() {}

    /** What the law counts. */
    public enum Measure {
        SICK_LEAVE_SPELLS("arrets-prescrits", "Arrêts de travail prescrits (12 mois)"),
        IJ_DAYS("jours-ij-prescrits", "Jours d'IJ prescrits (12 mois)");

        private final String code;
        private final String label;

        Measure(String code, String label) {
            this.code = code;
            this.label = label;
        }

        public String code() {
            return code;
        }

        public String label() {
            return label;
        }

        double of(PrescriberVolume v) {
            return this == SICK_LEAVE_SPELLS ? v.spells() : v.ijDays();
        }
    }

    /** Where the mean is taken: the region (ARS) or the fund (CPAM = department). */
    public enum Scope {
        REGION("région"), DEPARTMENT("caisse (département)");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One prescriber's sick-leave volume over a 12-month window.
     *
     * @param spells   sick-leave spells (sickness) the prescriber initiated, starting in the window
     * @param ijDays   paid IJ days of the sickness periods the prescriber prescribed, care in the window
     * @param patients distinct patients behind these periods (statistical secrecy)
     */
    public record PrescriberVolume(String prescriber, String dept, String peerGroup, long basePatients, long spells,
                                   double ijDays, long patients) {}

    /** One comparison: a prescriber, a measure, a scope. */
    public record Reading(PrescriberVolume volume, Measure measure, Scope scope, double value, int peers,
                          double peerMean, double peerSd, Double ratio, double excess, Double z, boolean meets) {
        public String prescriber() {
            return volume.prescriber();
        }

        /** "Jours d'IJ prescrits (12 mois) : 1 840 contre 900 en moyenne (région, 24 médecins), 2,04 fois, z 3,6." */
        public String describe() {
            return String.format(Locale.FRANCE, "%s : %,.0f contre %,.1f en moyenne (%s, %d médecins d'activité comparable)%s",
                    measure.label(), value, peerMean, scope.label(), peers,
                    ratio == null || z == null ? "" : String.format(Locale.FRANCE, ", %.2f fois la moyenne, z %.2f", ratio, z));
        }
    }

    public static List<Reading> compare(List<PrescriberVolume> volumes, ProcedureSettings.Criterion settings) {
        List<Reading> out = new ArrayList<>();
        for (Scope scope : Scope.values()) {
            Function<PrescriberVolume, String> key = scope == Scope.REGION ? PrescriberVolume::peerGroup
                    : v -> v.peerGroup() + "|" + v.dept();
            Map<String, List<PrescriberVolume>> groups = new TreeMap<>();
            volumes.forEach(v -> groups.computeIfAbsent(key.apply(v), k -> new ArrayList<>()).add(v));
            for (List<PrescriberVolume> group : groups.values()) {
                for (Measure m : Measure.values()) {
                    double mean = group.stream().mapToDouble(m::of).average().orElse(0);
                    // Sample standard deviation of the group (n − 1).
                    double ss = group.stream().mapToDouble(v -> (m.of(v) - mean) * (m.of(v) - mean)).sum();
                    double sd = group.size() > 1 ? Math.sqrt(ss / (group.size() - 1)) : 0;
                    boolean enough = group.size() >= settings.minPeers();
                    for (PrescriberVolume v : group) {
                        double x = m.of(v);
                        Double ratio = enough && mean > 0 ? x / mean : null;
                        Double z = enough && sd > 0 ? (x - mean) / sd : null;
                        boolean meets = ratio != null && z != null && ratio >= settings.minRatio() && z >= settings.minZ();
                        out.add(new Reading(v, m, scope, x, group.size(), mean, sd, ratio, Math.max(0, x - mean), z, meets));
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Reading::prescriber).thenComparing(Reading::measure).thenComparing(Reading::scope));
        return out;
    }

    /** The prescribers meeting the criterion on at least one measure and scope, with the first such reading. */
    public static Map<String, Reading> met(List<Reading> readings) {
        Map<String, Reading> met = new TreeMap<>();
        for (Reading r : readings) {
            if (r.meets()) {
                met.putIfAbsent(r.prescriber(), r);
            }
        }
        return met;
    }
}
