package fr.atypie.quality;

import java.util.List;

/**
 * The month's results failed the plausibility checks run before publishing (empty required table,
 * refresh month outside the extract's flux, totals far from the previous publication): the month
 * is held, the previous publication left as it was. Exit code 7; {@code --force} publishes anyway.
 */
public final class ImplausibleMonth extends RuntimeException {
    private final List<String> reasons;

    public ImplausibleMonth(List<String> reasons, String where) {
        super(String.join("; ", reasons) + where);
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
