package fr.atypie.synth;

import org.apache.avro.util.Utf8;

/**
 * One claim before it is given its flux month and join keys: the service line of ER_PRS_F,
 * an optional majoration line beside it, and for pharmacy claims its drug lines (ER_PHA_F).
 * Filled by {@link PatientSimulator}, written (and possibly regularised) by {@link ClaimWriter}.
 */
final class Claim {
    // Identifiers as pre-encoded UTF-8: parquet-avro then copies bytes instead of encoding strings.
    int nature;
    int start;
    int end;
    Utf8 executant;
    Utf8 prescriber;
    Integer prescriberSpecialty;
    Utf8 hospital;
    double quantity;
    double count;
    double base;
    double paid;
    int insurance;
    int informationOnly;
    Utf8 revaluation;
    /** Amount of a majoration line in the same claim (CPL_MAJ_TOP = 2); 0 for none. */
    double majoration;
    /** Months of delay at least before this line can arrive (revaluations come late). */
    int minLagMonths;
    long[] cips = new long[4];
    int[] boxes = new int[4];
    int drugs;

    Claim reset(int nature, int start, int end) {
        this.nature = nature;
        this.start = start;
        this.end = end;
        executant = null;
        prescriber = null;
        prescriberSpecialty = null;
        hospital = null;
        quantity = 1;
        count = 1;
        base = 0;
        paid = 0;
        insurance = fr.atypie.snds.PrestationCodes.ASU_SICKNESS;
        informationOnly = 0;
        revaluation = null;
        majoration = 0;
        minLagMonths = 0;
        drugs = 0;
        return this;
    }

    void addDrug(long cip, int n) {
        cips[drugs] = cip;
        boxes[drugs] = n;
        drugs++;
    }
}
