package fr.atypie.indicators;

import java.time.YearMonth;

/**
 * One indicator for one territory and one 12-month window (named by its last month). Crude value
 * = numerator / denominator × scale. For ratio indicators, {@code expected} is what the territory
 * would show at the regional rates of each stratum (age band × sex × ALD), {@code ratio} the
 * standardised ratio O/E with its exact Poisson 95 % interval (count numerators only), and {@code standardisedValue} the
 * ratio times the regional crude value. {@code patients} is the number of patients behind the
 * numerator; below the secrecy threshold the published value is hidden.
 */
public record IndicatorValue(String indicator, String level, String territory, YearMonth windowMonth,
                             Double numerator, Double denominator, Double value, long patients,
                             Double previousValue, Double expected, Double ratio, Double ratioLower,
                             Double ratioUpper, Double standardisedValue, long censored) {
    public static final String DEPARTMENT = "department";
    public static final String REGION = "region";

    public IndicatorValue withPrevious(Double previous) {
        return new IndicatorValue(indicator, level, territory, windowMonth, numerator, denominator, value, patients,
                previous, expected, ratio, ratioLower, ratioUpper, standardisedValue, censored);
    }

    public IndicatorValue withStandardisation(double expected, double ratio, double lower, double upper, Double standardised) {
        return new IndicatorValue(indicator, level, territory, windowMonth, numerator, denominator, value, patients,
                previousValue, expected, ratio, lower, upper, standardised, censored);
    }

    /** Difference with the previous 12-month window, in the indicator's unit. */
    public Double change() {
        return value == null || previousValue == null ? null : value - previousValue;
    }
}
