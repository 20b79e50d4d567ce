package fr.atypie.publish;

/**
 * How CSV exports are written. {@link #FRENCH_EXCEL} is the default: ';' separator, ',' decimal
 * separator, UTF-8 with a byte-order mark so that Excel recognises the encoding. {@link #PLAIN}
 * is for SAS, R, pandas and DuckDB: ',' separator, '.' decimals, UTF-8 without a mark (with
 * {@link CsvExport#plain()}: column names as headers, booleans true/false).
 */
public record CsvFormat(char separator, char decimalSeparator, boolean bom, int maxDecimals) {

    public static final CsvFormat FRENCH_EXCEL = new CsvFormat(';', ',', true, 6);
    public static final CsvFormat PLAIN = new CsvFormat(',', '.', false, 6);

    public CsvFormat {
        if (separator == decimalSeparator) {
            throw new IllegalArgumentException("CSV separator and decimal separator are both '" + separator + "'");
        }
        if (maxDecimals < 0 || maxDecimals > 15) {
            throw new IllegalArgumentException("maxDecimals must be in [0, 15], got " + maxDecimals);
        }
    }
}
