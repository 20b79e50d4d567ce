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

    /**
     * Why {@code t} kept no row, for an error that stops the run before the report is written: the
     * rows read and, per rule, the rows it quarantined with one reason ("flux_date_mismatch: 571,713
     * rows, e.g. FLX_DIS_DTD 2024-01-31 is not in its folder flux_month=2024-02").
     */
    public String nothingKept(SndsTable t) {
        TableQuality q = table(t);
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "table %s: no row kept of %,d read", t, q.rowsIn()));
        for (RuleCount r : q.rules()) {
            b.append(String.format(java.util.Locale.ROOT, "\n  - %s: %,d rows, e.g. %s", r.rule().code(), r.rows(),
                    r.sampleReason()));
        }
        return b.toString();
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
