package fr.atypie.publish;

import fr.atypie.fs.RestrictedAccess;
import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.List;
import java.util.Optional;

/**
 * Section {@code atypie.publish}: statistical secrecy, export formats, and the group that may read
 * restricted outputs (none: owner only, see {@link RestrictedAccess}), the optional catalog registration.
 */
public record PublishSettings(int smallCellThreshold, CsvFormat csv, Optional<String> restrictedGroup,
                              CatalogSettings catalog) {

    public PublishSettings(int smallCellThreshold, CsvFormat csv) {
        this(smallCellThreshold, csv, Optional.empty());
    }

    public PublishSettings(int smallCellThreshold, CsvFormat csv, Optional<String> restrictedGroup) {
        this(smallCellThreshold, csv, restrictedGroup, CatalogSettings.DISABLED);
    }

    /** Statistical secrecy floor: a configuration may raise the threshold, never lower it. */
    public static final int MIN_SMALL_CELL_THRESHOLD = 10;

    public static PublishSettings from(Section s) {
        int threshold = s.integer("small-cell-threshold", Integer.MIN_VALUE, 1_000_000);
        if (threshold < MIN_SMALL_CELL_THRESHOLD) {
            throw new ConfigError(s.key("small-cell-threshold") + " = " + threshold
                    + " is below " + MIN_SMALL_CELL_THRESHOLD
                    + ": statistical secrecy allows raising the threshold, never lowering it");
        }
        String group = s.has("restricted-group") ? s.raw().getString("restricted-group").trim() : "";
        PublishSettings p = new PublishSettings(threshold, csv(s.child("csv")),
                group.isEmpty() ? Optional.empty() : Optional.of(group), CatalogSettings.from(s.child("catalog")));
        RestrictedAccess.from(p.restrictedGroup());   // rejects a malformed group name at start-up
        return p;
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
