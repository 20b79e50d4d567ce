package fr.atypie.snds;

import fr.atypie.errors.ConfigError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job's own selections among the SNDS nomenclatures (IR_NAT_V for PRS_NAT_REF, IR_SPE_V for
 * specialties, RGO_ASU_NAT, DPN_QLF). Validation accepts every code of the full nomenclature
 * ({@link Nomenclatures}); these lists only say which lines make events. Facts of the SNDS,
 * restated here, and checked against the nomenclature at start-up ({@link #requireKnown}).
 */
public final class PrestationCodes {
    private PrestationCodes() {}

    /** GP and specialist consultations and home visits: a patient seen builds the patient base. */
    public static final Set<Integer> CONSULTATIONS =
            Set.of(1109, 1110, 1111, 1112, 1113, 1114, 1209, 1210, 1211, 1212);

    /**
     * Daily allowances for incapacity to work (IJ): normal, reduced, increased, part-time, beyond
     * 3 and 6 months. The risk (sickness vs work accident / occupational disease) is RGO_ASU_NAT.
     */
    public static final Set<Integer> SICK_LEAVE_IJ =
            Set.of(6110, 6111, 6112, 6113, 6114, 6115, 6116, 6117, 6118, 6119);

    /** Maternity, paternity and adoption allowances: not sick leave, excluded from its indicators. */
    public static final Set<Integer> MATERNITY_IJ =
            Set.of(6121, 6122, 6123, 6124, 6210, 6211, 6212, 6213, 6221, 6222);

    /** Pharmacy claims at 100 %, 65 %, 30 %, 15 %: drug detail in ER_PHA_F. */
    public static final Set<Integer> PHARMACY = Set.of(3311, 3312, 3313, 3314, 3315, 3317);

    /** Patient transports: approved ambulance (4212), light sanitary vehicle VSL (4213), taxi (4214). */
    public static final Set<Integer> TRANSPORTS = Set.of(4212, 4213, 4214);

    /** RGO_ASU_NAT values. */
    public static final int ASU_SICKNESS = 10;
    public static final int ASU_MATERNITY = 30;
    public static final int ASU_WORK_ACCIDENT = 40;
    public static final int ASU_OCCUPATIONAL_DISEASE = 41;

    /** DPN_QLF / PRS_DPN_QLP: line reported for information only (public hospital outpatient care). */
    public static final int INFORMATION_ONLY = 71;

    /** CPL_MAJ_TOP at or above this value flags an add-on / majoration line. */
    public static final int MAJORATION_MIN = 2;

    /** PSP_SPE_COD / PFS_PRA_SPE values meaning general practice. */
    public static final Set<Integer> GENERAL_PRACTICE = Set.of(1, 22, 23);

    // Single natures, named for the stages (and the generator) that write or pick them.
    public static final int CONSULTATION_G = 1110;
    public static final int CONSULTATION_C = 1111;
    public static final int CONSULTATION_CS = 1112;
    public static final int VISIT_VG = 1210;
    public static final int IJ_NORMAL = 6111;
    /** Normal IJ beyond the third month of a spell. */
    public static final int IJ_NORMAL_BEYOND_3_MONTHS = 6112;
    public static final int IJ_MATERNITY = 6121;
    public static final int IJ_MATERNITY_EXTENDED = 6122;
    public static final int PHARMACY_100 = 3311;
    public static final int PHARMACY_65 = 3313;
    public static final int TRANSPORT_AMBULANCE = 4212;
    public static final int TRANSPORT_VSL = 4213;
    public static final int TRANSPORT_TAXI = 4214;

    /** The named selections of natures of service, as {@link #requireKnown} reports them. */
    public static final Map<String, Set<Integer>> NATURE_SELECTIONS = selections();

    private static Map<String, Set<Integer>> selections() {
        Map<String, Set<Integer>> m = new LinkedHashMap<>();
        m.put("consultations", CONSULTATIONS);
        m.put("sick-leave-ij", SICK_LEAVE_IJ);
        m.put("maternity-ij", MATERNITY_IJ);
        m.put("pharmacy", PHARMACY);
        m.put("transports", TRANSPORTS);
        return Map.copyOf(m);
    }

    /**
     * Every selected nature must be in IR_NAT_V and every general-practice specialty in IR_SPE_V:
     * a code the nomenclature lacks would silently select nothing.
     */
    public static void requireKnown(Nomenclatures n) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("consultations", "sick-leave-ij", "maternity-ij", "pharmacy", "transports")) {
            Set<Integer> missing = Nomenclatures.missing(NATURE_SELECTIONS.get(name), n.natures());
            if (!missing.isEmpty()) {
                problems.add("natures of service '" + name + "' " + missing + " are not in " + Nomenclatures.NATURES_TABLE);
            }
        }
        Set<Integer> gp = Nomenclatures.missing(GENERAL_PRACTICE, n.specialties());
        if (!gp.isEmpty()) {
            problems.add("general-practice specialties " + gp + " are not in " + Nomenclatures.SPECIALTIES_TABLE);
        }
        if (!problems.isEmpty()) {
            throw new ConfigError("the job's code selections do not match the nomenclatures (" + n.source() + "): "
                    + String.join("; ", problems));
        }
    }

    public static boolean isGeneralPractice(int specialty) {
        return GENERAL_PRACTICE.contains(specialty);
    }
}
