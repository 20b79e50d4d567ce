package fr.atypie.events;

import fr.atypie.quality.QualityReport;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.snds.FluxWindow;
import fr.atypie.snds.SndsTable;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What ingestion hands to the later stages: the four event tables, the validation (kept rows,
 * quarantine, report) and the flux window that says which care months are consolidated (empty
 * when the extract holds no service line). {@code passedOver}: rows of flux tables read but left
 * out because their care month is older than the months being rebuilt (empty on a full run).
 */
public record IngestionResult(Map<EventTable, Dataset<Row>> events, ValidatedExtract validation,
                              Optional<FluxWindow> fluxWindow, Map<SndsTable, Long> passedOver) {
    public IngestionResult {
        events = Map.copyOf(events);
        passedOver = Map.copyOf(passedOver);
    }

    public long passedOverRows() {
        return passedOver.values().stream().mapToLong(Long::longValue).sum();
    }

    public Dataset<Row> events(EventTable table) {
        return events.get(table);
    }

    public QualityReport qualityReport() {
        return validation.report();
    }

    public Dataset<Row> quarantine(SndsTable table) {
        return validation.quarantine(table);
    }
}
