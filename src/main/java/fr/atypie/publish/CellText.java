package fr.atypie.publish;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

/** Locale-free text of exported values: the same bytes on every machine. */
final class CellText {
    private CellText() {}

    /**
     * A number in plain notation, rounded half-even to {@code maxDecimals}, trailing zeros
     * dropped, with the given decimal separator and no grouping (CSV readers parse it back).
     */
    static String number(Number n, int maxDecimals, char decimalSeparator, String column) {
        BigDecimal d;
        if (n instanceof Double || n instanceof Float) {
            double v = n.doubleValue();
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("column " + column + " holds " + v + ", which cannot be published");
            }
            d = BigDecimal.valueOf(v);
        } else if (n instanceof BigDecimal b) {
            d = b;
        } else {
            return Long.toString(n.longValue());
        }
        d = d.setScale(maxDecimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";   // no "-0" and no "0E-6"
        }
        String s = d.toPlainString();
        return decimalSeparator == '.' ? s : s.replace('.', decimalSeparator);
    }

    static String bool(boolean b) {
        return b ? "oui" : "non";
    }

    /** ISO dates (French Excel reads them as dates); timestamps in UTC. */
    static String temporal(Object v) {
        if (v instanceof Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        throw new IllegalArgumentException("not a date or timestamp: " + v.getClass().getName());
    }
}
