package fr.atypie.snds;

import java.nio.file.Path;
import java.time.YearMonth;

/**
 * Where an extract's files live: {@code <root>/<TABLE>/} for referentials and
 * {@code <root>/<TABLE>/flux_month=YYYY-MM/} for the flux tables. The generator writes this
 * layout and the reader expects it, so both go through this one class.
 */
public record ExtractLayout(Path root) {
    public static final String FLUX_PARTITION = "flux_month";

    public Path tableDir(SndsTable table) {
        return root.resolve(table.name());
    }

    public Path fluxDir(SndsTable table, YearMonth fluxMonth) {
        if (!table.partitionedByFlux()) {
            throw new IllegalArgumentException(table + " is not partitioned by flux month");
        }
        return tableDir(table).resolve(FLUX_PARTITION + "=" + fluxMonth);
    }
}
