package fr.atypie.indicators.scorecard;

import java.util.List;
import java.util.Locale;

/**
 * The arithmetic of the CPG scorecard (checked against the published 2019 results):
 * <ul>
 *   <li>indicator success in [0, 1], by {@link Kind};</li>
 *   <li>axis rate = points-weighted mean of its indicators' success;</li>
 *   <li>final score = Σ(axis rate × axis points) / 1000 (axes worth 115 / 500 / 100 / 95 / 190).</li>
 * </ul>
 * Pure functions, no state.
 */
public final class CpgScoring {
    private CpgScoring() {}

    /** Total points of the five axes: the score's denominator. */
    public static final double TOTAL_POINTS = 1000.0;

    /** How an indicator's result turns into a success rate. */
    public enum Kind {
        /** Savings in M€ and other volumes: min(result / objective, 1), floored at 0. */
        AMOUNT,
        /** Rates: linear from the floor ("socle", 0 %) to the objective (100 %), clamped; mirrored when lower is better. */
        RATE,
        /** Objective met (1) or not (0). */
        BINARY,
        /** The success rate itself in percent, entered from the national steering tool (axes the data cannot produce). */
        SUCCESS;

        public static Kind parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which way is better. */
    public enum Direction {
        HIGHER, LOWER;

        public static Direction parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Savings and amounts: min(result / objective, 1), floored at 0 (a negative saving scores 0). */
    public static double amountSuccess(double result, double objective) {
        if (!(objective > 0)) {
            throw new IllegalArgumentException("an amount objective must be > 0, got " + objective);
        }
        return clamp(result / objective);
    }

    /**
     * Rates: (result − floor)/(objective − floor) when higher is better (objective above the floor),
     * (floor − result)/(floor − objective) when lower is better (objective below the floor); clamped to [0, 1].
     */
    public static double rateSuccess(double result, double objective, double floor, Direction direction) {
        if (direction == Direction.HIGHER && !(objective > floor)) {
            throw new IllegalArgumentException("higher-is-better rate: objective " + objective
                    + " must be above its floor " + floor);
        }
        if (direction == Direction.LOWER && !(objective < floor)) {
            throw new IllegalArgumentException("lower-is-better rate: objective " + objective
                    + " must be below its floor " + floor);
        }
        return clamp((result - floor) / (objective - floor)); // same expression mirrors for LOWER: both terms change sign
    }

    /** Binary: 1 when the objective is met (≥ for higher-is-better, ≤ for lower-is-better), else 0. */
    public static double binarySuccess(double result, double objective, Direction direction) {
        boolean met = direction == Direction.HIGHER ? result >= objective : result <= objective;
        return met ? 1.0 : 0.0;
    }

    /** An entered success rate in percent → [0, 1]. */
    public static double enteredSuccess(double percent) {
        return clamp(percent / 100.0);
    }

    /** Success of one indicator by kind; {@code floor} is only read for rates. */
    public static double success(Kind kind, Direction direction, double result, double objective, double floor) {
        if (!Double.isFinite(result)) {
            throw new IllegalArgumentException("indicator result must be a finite number, got " + result);
        }
        return switch (kind) {
            case AMOUNT -> amountSuccess(result, objective);
            case RATE -> rateSuccess(result, objective, floor, direction);
            case BINARY -> binarySuccess(result, objective, direction);
            case SUCCESS -> enteredSuccess(result);
        };
    }

    /** A success (or axis rate) and the points it weighs. */
    public record Weighted(double rate, double points) {}

    /** Points-weighted mean of success rates (an axis rate). */
    public static double axisRate(List<Weighted> indicators) {
        double num = 0;
        double den = 0;
        for (Weighted w : indicators) {
            if (!(w.points() > 0)) {
                throw new IllegalArgumentException("indicator points must be > 0, got " + w.points());
            }
            num += w.rate() * w.points();
            den += w.points();
        }
        if (den == 0) {
            throw new IllegalArgumentException("an axis rate needs at least one indicator");
        }
        return num / den;
    }

    /** Final score = Σ(axis rate × axis points) / 1000. */
    public static double finalScore(List<Weighted> axes) {
        double num = 0;
        for (Weighted a : axes) {
            num += a.rate() * a.points();
        }
        return num / TOTAL_POINTS;
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
