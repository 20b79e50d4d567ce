package fr.atypie.snds;

import java.time.YearMonth;
import java.util.Optional;

/**
 * Which flux months of ER_PRS_F / ER_PHA_F to read (both bounds inclusive, either open). A monthly
 * refresh re-reads the late-flux window only; a full run reads everything.
 */
public record FluxSelection(Optional<YearMonth> from, Optional<YearMonth> to) {
    public static final FluxSelection ALL = new FluxSelection(Optional.empty(), Optional.empty());

    public FluxSelection {
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new IllegalArgumentException("flux selection from " + from.get() + " is after to " + to.get());
        }
    }

    public static FluxSelection between(YearMonth from, YearMonth to) {
        return new FluxSelection(Optional.of(from), Optional.of(to));
    }

    /** This selection, stopping at {@code asOf} too when given (an as-of run reads no later flux). */
    public FluxSelection upTo(Optional<YearMonth> asOf) {
        if (asOf.isEmpty() || to.isPresent() && !to.get().isAfter(asOf.get())) {
            return this;
        }
        return new FluxSelection(from, asOf);
    }

    public boolean isAll() {
        return from.isEmpty() && to.isEmpty();
    }

    public boolean includes(YearMonth month) {
        return from.map(f -> !month.isBefore(f)).orElse(true) && to.map(t -> !month.isAfter(t)).orElse(true);
    }

    @Override
    public String toString() {
        return isAll() ? "all flux months"
                : "flux months " + from.map(YearMonth::toString).orElse("…") + ".." + to.map(YearMonth::toString).orElse("…");
    }
}
