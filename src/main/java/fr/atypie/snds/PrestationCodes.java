package fr.atypie.snds;

/**
 * Single SNDS codes, named for the generator that writes them (facts of the SNDS nomenclatures).
 * The job's selections (which natures make which events, which specialties are general practice,
 * the insurance natures, the information-only qualifier, the majoration flag) are configuration:
 * {@link CodeLists}, {@code atypie.dcir.codes}.
 */
public final class PrestationCodes {
    private PrestationCodes() {}

    /** RGO_ASU_NAT values. */
    public static final int ASU_SICKNESS = 10;
    public static final int ASU_MATERNITY = 30;
    public static final int ASU_WORK_ACCIDENT = 40;
    public static final int ASU_OCCUPATIONAL_DISEASE = 41;

    /** DPN_QLF / PRS_DPN_QLP: line reported for information only (public hospital outpatient care). */
    public static final int INFORMATION_ONLY = 71;

    /** CPL_MAJ_TOP of an add-on / majoration line. */
    public static final int MAJORATION = 2;

    // Single natures of service (PRS_NAT_REF).
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
}
