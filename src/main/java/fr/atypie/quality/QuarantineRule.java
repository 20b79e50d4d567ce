package fr.atypie.quality;

/**
 * Why a row was quarantined. A row carries the first rule (in the order each table checks them)
 * that caught it; {@link #code()} is what the quarantine's {@code rule} column and the report hold.
 */
public enum QuarantineRule {
    /** One of the 9 join keys, or a referential's key, is null or blank. */
    MISSING_KEY,
    /** BEN_NIR_PSA null or blank, or BEN_RNG_GEM null. */
    MISSING_PATIENT,
    /** A code outside its nomenclature: PRS_NAT_REF (IR_NAT_V), specialty (IR_SPE_V), RGO_ASU_NAT of IJ, sex, department, CIP13. */
    UNKNOWN_CODE,
    /** Missing care start, care before the earliest year, start after end, impossible birth or ALD dates. */
    IMPOSSIBLE_DATE,
    /** Care starting after the end of the flux month that brought the line. */
    CARE_AFTER_FLUX,
    /** Quantity, count or amount null (nothing to net). */
    MISSING_MEASURE,
    /** No prescriber (or doctor seen for consultations) where the events need one. */
    MISSING_PRESCRIBER,
    /** Patient absent from the (validated) beneficiary referential IR_BEN_R. */
    UNKNOWN_BENEFICIARY,
    /** Key already held by another row (ER_PRS_F 9-key, patient, practitioner, CIP13): first one kept. */
    DUPLICATE_KEY,
    /** Negative line whose identical original is nowhere in the data read: it cancels nothing. */
    UNMATCHED_REGULARISATION,
    /** ER_PHA_F line without a kept pharmacy ER_PRS_F line under the same 9 keys. */
    ORPHAN_DRUG_LINE,
    /** A value that fits no lossless coercion to its contract type (a fraction for an int, text that is no date...). */
    UNCOERCIBLE_VALUE,
    /** A flux line whose FLX_DIS_DTD is not in the month of its {@code flux_month=} folder. */
    FLUX_DATE_MISMATCH,
    /** A flux date before DCIR's earliest care year or after the current month. */
    IMPLAUSIBLE_FLUX_DATE;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
