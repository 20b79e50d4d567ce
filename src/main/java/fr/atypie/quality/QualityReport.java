package fr.atypie.quality;

import fr.atypie.snds.SndsTable;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * The data-quality report: counts only (no row, no identifier), so it can be shared. A run is
 * acceptable when no table has more than {@code maxQuarantineShare} of its rows quarantined.
 */
public record QualityReport(List<TableQuality> tables, double maxQuarantineShare, Optional<YearMonth> latestFlux) {
    public QualityReport {
        tables = List.copyOf(tables);
    }

    public TableQuality table(SndsTable t) {
        return tables.stream().filter(q -> q.table() == t).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no report line for " + t));
    }

    public boolean withinThreshold(TableQuality t) {
        return t.quarantinedShare() <= maxQuarantineShare;
    }

    public List<TableQuality> tablesOverThreshold() {
        return tables.stream().filter(t -> !withinThreshold(t)).toList();
    }

    public boolean acceptable() {
        return tablesOverThreshold().isEmpty();
    }

    public long totalQuarantined() {
        return tables.stream().mapToLong(TableQuality::quarantined).sum();
    }

    /** Throws {@link TooMuchQuarantine} (exit 5) when a table is over the threshold. */
    public void requireAcceptable() {
        if (!acceptable()) {
            throw new TooMuchQuarantine(this);
        }
    }
}
