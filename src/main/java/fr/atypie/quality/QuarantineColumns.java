package fr.atypie.quality;

/** The two columns the quarantine adds to a table's own columns. */
public final class QuarantineColumns {
    private QuarantineColumns() {}

    /** {@link QuarantineRule#code()} of the first rule that caught the row. */
    public static final String RULE = "rule";
    /** Human-readable reason with the offending values; never a patient identifier. */
    public static final String REASON = "reason";
}
