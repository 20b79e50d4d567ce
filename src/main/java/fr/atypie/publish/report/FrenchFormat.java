package fr.atypie.publish.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.YearMonth;
import java.util.Locale;

/**
 * French display of numbers and months with explicit symbols (decimal comma, narrow no-break
 * space between thousands), so the output does not depend on the machine's locale.
 */
public final class FrenchFormat {
    private FrenchFormat() {}

    static final String THIN_SPACE = "\u202F";
    private static final String[] MONTHS = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
            "sept.", "oct.", "nov.", "déc."};

    /** {@code 12345.678, 1} → "12 345,7". */
    public static String number(double v, int decimals) {
        DecimalFormatSymbols s = new DecimalFormatSymbols(Locale.ROOT);
        s.setDecimalSeparator(',');
        s.setGroupingSeparator('\u202F');
        s.setMinusSign('-');
        DecimalFormat f = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals), s);
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        String out = f.format(BigDecimal.valueOf(v));
        return out.matches("-0(,0*)?") ? out.substring(1) : out;   // no "-0,0"
    }

    /** {@code 12.5, 1} → "12,5 %". */
    public static String percent(double v, int decimals) {
        return number(v, decimals) + "\u00A0%";
    }

    /** "mars 2024". */
    public static String month(YearMonth m) {
        return MONTHS[m.getMonthValue() - 1] + " " + m.getYear();
    }

    /** "mars 24", for axis ticks. */
    public static String shortMonth(YearMonth m) {
        return MONTHS[m.getMonthValue() - 1] + " " + String.format(Locale.ROOT, "%02d", m.getYear() % 100);
    }
}
