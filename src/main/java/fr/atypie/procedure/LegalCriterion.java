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
 * band) as the case-mix view; the mean and standard deviation are those of the other doctors of
 * that group in the scope. Leaving the doctor out matters: with the doctor inside its own SD, z can
 * never exceed (n − 1)/√n (2.85 with 10 doctors), whatever the excess. Significantly
 * above: z = (value − mean) / SD ≥ {@code min-z} and value / mean ≥ {@code min-ratio}, with at
 * least {@code min-peers} other doctors. No case mix here on purpose: it is the comparison a doctor
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
                    for (PrescriberVolume v : group) {
                        out.add(read(v, m, scope, group, settings));
                    }
                }
            }
        }
        out.sort(Comparator.comparing(Reading::prescriber).thenComparing(Reading::measure).thenComparing(Reading::scope));
        return out;
    }

    /** The prescriber against the other doctors of its group (leave-one-out: a big prescriber does not raise its own bar). */
    private static Reading read(PrescriberVolume v, Measure m, Scope scope, List<PrescriberVolume> group,
                                ProcedureSettings.Criterion settings) {
        double x = m.of(v);
        int peers = group.size() - 1;
        double sum = 0;
        for (PrescriberVolume o : group) {
            sum += o == v ? 0 : m.of(o);
        }
        double mean = peers > 0 ? sum / peers : 0;
        double ss = 0;
        for (PrescriberVolume o : group) {
            ss += o == v ? 0 : (m.of(o) - mean) * (m.of(o) - mean);
        }
        // Sample standard deviation of the other doctors (n − 1).
        double sd = peers > 1 ? Math.sqrt(ss / (peers - 1)) : 0;
        boolean enough = peers >= settings.minPeers();
        Double ratio = enough && mean > 0 ? x / mean : null;
        Double z = enough && sd > 0 ? (x - mean) / sd : null;
        boolean meets = ratio != null && z != null && ratio >= settings.minRatio() && z >= settings.minZ();
        return new Reading(v, m, scope, x, peers, mean, sd, ratio, Math.max(0, x - mean), z, meets);
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
