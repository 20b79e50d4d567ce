package fr.atypie.quality;

import fr.atypie.snds.SndsTable;
import java.util.List;

/**
 * One table's line of the data-quality report: rows in = kept + quarantined; {@code coercions} lists
 * the columns the reader converted to their contract type ("COLUMN: found -> expected");
 * {@code passedOver} the files of the table's folder the reader did not read, not being Parquet.
 */
public record TableQuality(SndsTable table, long rowsIn, long kept, long quarantined, List<RuleCount> rules,
                           List<String> coercions, List<String> passedOver) {
    public TableQuality(SndsTable table, long rowsIn, long kept, long quarantined, List<RuleCount> rules) {
        this(table, rowsIn, kept, quarantined, rules, List.of(), List.of());
    }

    public TableQuality {
        rules = List.copyOf(rules);
        coercions = List.copyOf(coercions);
        passedOver = List.copyOf(passedOver);
        if (rowsIn != kept + quarantined) {
            throw new IllegalArgumentException(table + ": rows in " + rowsIn + " != kept " + kept
                    + " + quarantined " + quarantined);
        }
    }

    public double quarantinedShare() {
        return rowsIn == 0 ? 0.0 : (double) quarantined / rowsIn;
    }

    /** Rows quarantined under {@code rule} (0 if none). */
    public long count(QuarantineRule rule) {
        return rules.stream().filter(r -> r.rule() == rule).mapToLong(RuleCount::rows).sum();
    }
}
