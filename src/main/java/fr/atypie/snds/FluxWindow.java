package fr.atypie.snds;

import java.time.YearMonth;

/**
 * Flux month vs care month. Care of month M keeps arriving in later fluxes; with the latest flux
 * month read L, care month M is consolidated when L ≥ M + consolidationMonths, else provisional.
 */
public record FluxWindow(YearMonth latestFlux, int consolidationMonths) {
    public FluxWindow {
        if (consolidationMonths < 0) {
            throw new IllegalArgumentException("consolidationMonths must be ≥ 0");
        }
    }

    public boolean isConsolidated(YearMonth careMonth) {
        return !careMonth.plusMonths(consolidationMonths).isAfter(latestFlux);
    }

    /** The most recent consolidated care month. */
    public YearMonth lastConsolidatedMonth() {
        return latestFlux.minusMonths(consolidationMonths);
    }
}
