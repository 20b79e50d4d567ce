package fr.atypie.synth;

/**
 * Causes of long-term illness (ALD) with their ALD list numbers and a few ICD-10 codes each,
 * in the order of {@code population.ald-cause-weights}.
 */
public enum AldCause {
    CARDIOVASCULAR(new int[] {5, 13, 3, 1}, new String[] {"I500", "I251", "I702", "I639", "I480"}),
    CANCER(new int[] {30}, new String[] {"C509", "C61", "C189", "C349", "C439"}),
    DIABETES(new int[] {8}, new String[] {"E119", "E109"}),
    PSYCHIATRIC(new int[] {23}, new String[] {"F200", "F329", "F319", "F603"}),
    ALZHEIMER(new int[] {15}, new String[] {"G309", "F03"}),
    OTHER(new int[] {19, 14, 25, 16, 22}, new String[] {"N184", "J449", "G35", "G20", "M059"});

    private final int[] aldNumbers;
    private final String[] icd10;

    AldCause(int[] aldNumbers, String[] icd10) {
        this.aldNumbers = aldNumbers;
        this.icd10 = icd10;
    }

    /** ALD number and ICD-10 code drawn together (index i picks both, so they stay coherent). */
    int aldNumber(int i) {
        return aldNumbers[Math.min(i, aldNumbers.length - 1)];
    }

    String icd10(int i) {
        return icd10[i % icd10.length];
    }

    int variants() {
        return Math.max(aldNumbers.length, icd10.length);
    }
}
