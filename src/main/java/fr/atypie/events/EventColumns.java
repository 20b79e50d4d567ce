package fr.atypie.events;

import fr.atypie.snds.DcirRules;

/**
 * Column names of the typed event tables that ingestion produces and every later stage reads
 * ({@link EventTable}). These are the job's own names (lower case), not SNDS names: by this point
 * DCIR rules are applied (netting, filters, IJ day counts, age and ALD at the care date).
 */
public final class EventColumns {
    private EventColumns() {}

    /** Internal pseudonym of the patient (BEN_NIR_PSA:BEN_RNG_GEM). Never written to an output. */
    public static final String PATIENT = "patient_id";
    public static final String CARE_DATE = "care_date";
    /** First day of the care month (DateType). */
    public static final String CARE_MONTH = "care_month";
    /** First day of the latest flux month that brought a line of this event (DateType). */
    public static final String FLUX_MONTH = "flux_month";
    /** Patient's department of residence (BEN_RES_DPT, e.g. "034"). */
    public static final String DEPT = "dept";
    /** Age in whole years at the care date. */
    public static final String AGE = "age";
    /** 1 man, 2 woman. */
    public static final String SEX = "sex";
    /** Whether the patient had an ALD exemption covering the care date. */
    public static final String ALD = DcirRules.ALD;
    /** Prescriber (PFS_PRE_NUM), or the doctor seen for consultations (PFS_EXE_NUM). */
    public static final String PRESCRIBER = "prescriber_id";
    /** Prescriber's specialty code (PSP_SPE_COD, or DA_PRA_R's PFS_PRA_SPE for consultations). */
    public static final String PRESCRIBER_SPECIALTY = "prescriber_specialty";
    /** Netted amount reimbursed (BSE_REM_MNT), euros. */
    public static final String AMOUNT = "amount";

    // Sick-leave periods (one IJ line after netting).
    public static final String START_DATE = "start_date";
    public static final String END_DATE = "end_date";
    /** Paid days from PRS_ACT_NBR (0 on multi-employer or revaluation duplicates). */
    public static final String PAID_DAYS = "paid_days";
    /** "sickness" or "work_accident" (RGO_ASU_NAT 10 vs 40/41). */
    public static final String RISK = "risk";

    // Dispensations (one drug line after netting).
    public static final String CIP13 = "cip13";
    public static final String ATC = "atc";
    public static final String GENERIC_GROUP = "generic_group";
    /** 0 outside generic groups, 1 princeps (reference drug), 2 generic. */
    public static final String GENERIC_TYPE = "generic_type";
    public static final String BOXES = "boxes";
    /**
     * FINESS of the establishment whose practitioner prescribed the care executed in town
     * (ETB_PRE_FIN, trimmed), null when the prescription is not a hospital's.
     */
    public static final String ESTABLISHMENT = "establishment";
    /** Prescribed at hospital (ETB_PRE_FIN filled), dispensed in town. */
    public static final String HOSPITAL_PRESCRIPTION = "hospital_prescription";

    /**
     * Whether the care month is consolidated (latest flux ≥ care month + window), added on demand by
     * {@code DcirRules.markConsolidated}; not part of the event schemas.
     */
    public static final String CONSOLIDATED = DcirRules.CONSOLIDATED;

    public static final String RISK_SICKNESS = "sickness";
    public static final String RISK_WORK_ACCIDENT = "work_accident";
}
