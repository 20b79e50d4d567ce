package fr.atypie.publish;

/**
 * How CSV exports are written. {@link #FRENCH_EXCEL} is the default: ';' separator, ',' decimal
 * separator, UTF-8 with a byte-order mark so that Excel recognises the encoding.
 */
public record CsvFormat(char separator, char decimalSeparator, boolean bom, int maxDecimals) {

    public static final CsvFormat FRENCH_EXCEL = new CsvFormat(';', ',', true, 6);

    public CsvFormat {
        if (separator == decimalSeparator) {
            throw new IllegalArgumentException("CSV separator and decimal separator are both '" + separator + "'");
        }
        if (maxDecimals < 0 || maxDecimals > 15) {
            throw new IllegalArgumentException("maxDecimals must be in [0, 15], got " + maxDecimals);
        }
    }
}
