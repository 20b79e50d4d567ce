package fr.atypie.quality;

import fr.atypie.snds.SndsTable;
import java.util.List;

/** One table's line of the data-quality report: rows in = kept + quarantined. */
public record TableQuality(SndsTable table, long rowsIn, long kept, long quarantined, List<RuleCount> rules) {
    public TableQuality {
        rules = List.copyOf(rules);
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
