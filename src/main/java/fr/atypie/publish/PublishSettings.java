package fr.atypie.publish;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.List;

/** Section {@code atypie.publish}: statistical secrecy and export formats. */
public record PublishSettings(int smallCellThreshold, CsvFormat csv) {

    /** Statistical secrecy floor: a configuration may raise the threshold, never lower it. */
    public static final int MIN_SMALL_CELL_THRESHOLD = 10;

    public static PublishSettings from(Section s) {
        int threshold = s.integer("small-cell-threshold", Integer.MIN_VALUE, 1_000_000);
        if (threshold < MIN_SMALL_CELL_THRESHOLD) {
            throw new ConfigError(s.key("small-cell-threshold") + " = " + threshold
                    + " is below " + MIN_SMALL_CELL_THRESHOLD
                    + ": statistical secrecy allows raising the threshold, never lowering it");
        }
        return new PublishSettings(threshold, csv(s.child("csv")));
    }

    private static CsvFormat csv(Section s) {
        String sep = s.string("separator", List.of(";", ",", "\t", "|"));
        String dec = s.string("decimal-separator", List.of(",", "."));
        if (sep.equals(dec)) {
            throw new ConfigError(s.key("decimal-separator") + " = '" + dec + "' is also the field separator ("
                    + s.key("separator") + ")");
        }
        return new CsvFormat(sep.charAt(0), dec.charAt(0), s.bool("bom"), s.integer("max-decimals", 0, 15));
    }
}
