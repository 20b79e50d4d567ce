package fr.atypie.snds;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The job's own selections among the SNDS codes, read from {@code atypie.dcir.codes}
 * (conf/dcir.conf): which natures of service (PRS_NAT_REF, IR_NAT_V) make consultations, sick-leave
 * and maternity allowances, pharmacy claims and transports; which specialties (IR_SPE_V) are
 * general practice; the insurance natures (RGO_ASU_NAT) of allowances; the qualifier of lines
 * reported for information only (DPN_QLF / PRS_DPN_QLP); the CPL_MAJ_TOP value from which a line is
 * a majoration. Validation accepts every code of the nomenclature; these lists only say which
 * lines make events. Typed and range-checked when the configuration is read, and checked against
 * the nomenclature the extract is validated with ({@link #requireKnown}): a code it lacks would
 * silently select nothing.
 */
public record CodeLists(Set<Integer> consultations, Set<Integer> sickLeaveIj, Set<Integer> maternityIj,
                        Set<Integer> pharmacy, Set<Integer> transports, Set<Integer> generalPractice,
                        Insurance insurance, int informationOnly, int majorationFrom) {

    /** The configuration section these lists are read from. */
    public static final String SECTION = "atypie.dcir.codes";

    /** RGO_ASU_NAT values of the allowances: sickness, maternity, work accident, occupational disease. */
    public record Insurance(int sickness, int maternity, int workAccident, int occupationalDisease) {
        /** Every insurance nature an allowance line may carry, sorted. */
        public Set<Integer> all() {
            return java.util.Collections.unmodifiableSortedSet(
                    new TreeSet<>(List.of(sickness, maternity, workAccident, occupationalDisease)));
        }

        /** The natures that make an IJ line sick leave: sickness, work accident, occupational disease. */
        public List<Integer> sickLeave() {
            return List.of(sickness, workAccident, occupationalDisease);
        }
    }

    public CodeLists {
        consultations = Set.copyOf(consultations);
        sickLeaveIj = Set.copyOf(sickLeaveIj);
        maternityIj = Set.copyOf(maternityIj);
        pharmacy = Set.copyOf(pharmacy);
        transports = Set.copyOf(transports);
        generalPractice = Set.copyOf(generalPractice);
    }

    public static CodeLists from(Section s) {
        Section ins = s.child("insurance");
        Insurance insurance = new Insurance(ins.integer("sickness", 0, 99), ins.integer("maternity", 0, 99),
                ins.integer("work-accident", 0, 99), ins.integer("occupational-disease", 0, 99));
        if (insurance.all().size() != 4) {
            throw new ConfigError(s.key("insurance") + ": the four insurance natures must differ, found " + insurance);
        }
        CodeLists c = new CodeLists(codes(s, "consultations", 9999), codes(s, "sick-leave-ij", 9999),
                codes(s, "maternity-ij", 9999), codes(s, "pharmacy", 9999), codes(s, "transports", 9999),
                codes(s, "general-practice", 99), insurance,
                s.integer("information-only", 0, 99), s.integer("majoration-from", 1, 9));
        // A nature in two lists would make two events of one line.
        Map<Integer, String> owner = new java.util.TreeMap<>();
        c.natureLists().forEach((name, codes) -> codes.forEach(code -> {
            String other = owner.putIfAbsent(code, name);
            if (other != null) {
                throw new ConfigError(s.key(name) + ": " + code + " is also in " + s.key(other)
                        + " (a line would make two events)");
            }
        }));
        return c;
    }

    private static Set<Integer> codes(Section s, String key, int max) {
        List<Integer> list = s.integers(key);
        if (list.isEmpty()) {
            throw new ConfigError(s.key(key) + " must not be empty");
        }
        for (int code : list) {
            if (code < 0 || code > max) {
                throw new ConfigError(s.key(key) + ": " + code + " is outside [0, " + max + "]");
            }
        }
        return new TreeSet<>(list);
    }

    /** The natures-of-service lists by their configuration key. */
    public Map<String, Set<Integer>> natureLists() {
        Map<String, Set<Integer>> m = new LinkedHashMap<>();
        m.put("consultations", consultations);
        m.put("sick-leave-ij", sickLeaveIj);
        m.put("maternity-ij", maternityIj);
        m.put("pharmacy", pharmacy);
        m.put("transports", transports);
        return m;
    }

    /** Every nature the job selects. */
    public Set<Integer> selectedNatures() {
        Set<Integer> all = new TreeSet<>();
        natureLists().values().forEach(all::addAll);
        return all;
    }

    /**
     * Every selected nature must be in IR_NAT_V and every general-practice specialty in IR_SPE_V
     * (a {@code ConfigError}, exit 3, naming each list and code otherwise).
     */
    public void requireKnown(Nomenclatures n) {
        List<String> problems = new ArrayList<>();
        natureLists().forEach((name, codes) -> Nomenclatures.missing(codes, n.natures()).forEach(code ->
                problems.add(SECTION + "." + name + ": " + code + " is not a nature of service of " + Nomenclatures.NATURES_TABLE)));
        Nomenclatures.missing(generalPractice, n.specialties()).forEach(code ->
                problems.add(SECTION + ".general-practice: " + code + " is not a specialty of " + Nomenclatures.SPECIALTIES_TABLE));
        if (!problems.isEmpty()) {
            throw new ConfigError(String.join("; ", problems) + " (checked against " + n.source() + ")");
        }
    }
}
