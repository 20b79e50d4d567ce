package fr.atypie.synth;

import fr.atypie.snds.SndsTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a generation wrote: rows per table, people and practitioners, where, and how long it took.
 *
 * @param extract root of the SNDS extract ({@link fr.atypie.snds.ExtractLayout})
 * @param truth   folder of the planted ground truth (prescribers.csv, campaign.csv, generation.json)
 */
public record GenerationSummary(Path extract, Path truth, Map<SndsTable, Long> rows, long beneficiaries,
                                int gps, int specialists, int campaignContacts, Duration duration) {

    public long rows(SndsTable table) {
        return rows.getOrDefault(table, 0L);
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    public double rowsPerSecond() {
        double s = Math.max(1e-3, duration.toMillis() / 1000.0);
        return totalRows() / s;
    }
}
