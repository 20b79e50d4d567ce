package fr.atypie.quality;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

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

    /**
     * {@link #normalise} on a Spark column, for codes already checked well formed: trimmed, upper
     * case, 2 characters padded to 3 ("34" is "034", "2a" is "02A").
     */
    public static Column normalised(Column code) {
        Column c = upper(trim(code));
        return when(length(c).equalTo(2), concat(lit("0"), c)).otherwise(c);
    }

    /** Same rule as {@link #normalise}, as a Spark SQL regular expression on the trimmed value. */
    static final String WELL_FORMED_SQL = "^([0-9]{2,3}|0?2[AB])$";
}
