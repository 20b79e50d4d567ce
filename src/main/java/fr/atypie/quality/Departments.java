package fr.atypie.quality;

import java.util.regex.Pattern;

/**
 * Department codes as BEN_RES_DPT carries them: 3 characters in the SNDS ("034", "02A", "971"),
 * often 2 in hand-made files ("34", "2A"). Everything inside the job uses the 3-character form.
 */
public final class Departments {
    private static final Pattern WELL_FORMED = Pattern.compile("\\d{2,3}|0?2[AB]");

    private Departments() {}

    /** The 3-character code, or null when the value is not a department code. */
    public static String normalise(String code) {
        if (code == null) {
            return null;
        }
        String c = code.trim().toUpperCase(java.util.Locale.ROOT);
        if (!WELL_FORMED.matcher(c).matches()) {
            return null;
        }
        return c.length() == 2 ? "0" + c : c;
    }

    /** Same rule as {@link #normalise}, as a Spark SQL regular expression on the trimmed value. */
    static final String WELL_FORMED_SQL = "^([0-9]{2,3}|0?2[AB])$";
}
