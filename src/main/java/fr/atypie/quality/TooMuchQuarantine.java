package fr.atypie.quality;

import java.util.Locale;
import java.util.stream.Collectors;

/** Validation quarantined more of a table than the configured share allows: exit code 5. */
public final class TooMuchQuarantine extends RuntimeException {
    public TooMuchQuarantine(QualityReport report) {
        super(report.tablesOverThreshold().stream()
                .map(t -> String.format(Locale.ROOT, "%s: %d of %d rows quarantined (%.1f %%)", t.table(),
                        t.quarantined(), t.rowsIn(), 100 * t.quarantinedShare()))
                .collect(Collectors.joining("; ", "", String.format(Locale.ROOT,
                        " — above the %.1f %% allowed by atypie.quality.max-quarantine-share",
                        100 * report.maxQuarantineShare()))));
    }
}
