package fr.atypie.indicators.scorecard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.indicators.scorecard.CpgScoring.Direction;
import fr.atypie.indicators.scorecard.CpgScoring.Weighted;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The published 2019 arithmetic (cpg-indicators.md), reproduced. */
class CpgScoringTest {

    private static final double[] AXIS_POINTS = {115, 500, 100, 95, 190};

    private static double score(double... axisRatesPercent) {
        List<Weighted> axes = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            axes.add(new Weighted(axisRatesPercent[i] / 100, AXIS_POINTS[i]));
        }
        return CpgScoring.finalScore(axes);
    }

    @Test
    void languedocRoussillon2019Score() {
        // (96.01·115 + 72.76·500 + 84.25·100 + 93.62·95 + 92.58·190) / 1000
        // = (11041.15 + 36380 + 8425 + 8893.9 + 17590.2) / 1000 = 82.33025 % (published 82.33 %).
        assertEquals(0.8233025, score(96.01, 72.76, 84.25, 93.62, 92.58), 1e-12);
    }

    @Test
    void midiPyrenees2019Score() {
        // (92.75·115 + 73.47·500 + 55.68·100 + 87.74·95 + 85.75·190) / 1000
        // = (10666.25 + 36735 + 5568 + 8335.3 + 16292.5) / 1000 = 77.59705 % (published 77.59 %).
        assertEquals(0.7759705, score(92.75, 73.47, 55.68, 87.74, 85.75), 1e-12);
    }

    /**
     * Regional success rates of the savings indicators: min(result/objective, 1). The published
     * inputs are rounded to 0.01 M€ and the rates to 0.1 point, so the check is that the published
     * rate lies within the range the formula gives over the inputs' rounding intervals (± 0.005),
     * widened by the output rounding (± 0.05 point); and within 0.11 point of the point computation.
     * Rounded to 0.1 point, 14.61 → 8.09, 17.09 → 2.96 and 7.59 → 14.98 give the published figure
     * exactly; 6.17 → 4.38 gives 70.99 (published 70.9), 5.91 → 4.87 gives 82.40 (82.3),
     * 3.03 → 1.17 gives 38.61 (38.7): consistent with unrounded inputs, not with another formula.
     */
    @ParameterizedTest
    @CsvSource({
            "14.61, 8.09, 55.4",
            "6.17, 4.38, 70.9",
            "17.09, 2.96, 17.3",
            "5.91, 4.87, 82.3",
            "3.03, 1.17, 38.7",
            "7.59, 14.98, 100.0"})
    void publishedRegionalSavingsRates(double objective, double result, double publishedPercent) {
        double published = publishedPercent / 100;
        double point = CpgScoring.amountSuccess(result, objective);
        assertEquals(published, point, 0.0011);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double r : new double[] {result - 0.005, result + 0.005}) {
            for (double o : new double[] {objective - 0.005, objective + 0.005}) {
                double s = CpgScoring.amountSuccess(r, o);
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
        }
        assertTrue(published >= lo - 0.0005 && published <= hi + 0.0005,
                "published " + published + " outside [" + lo + ", " + hi + "]");
    }

    @Test
    void exactOnesAtOneDecimal() {
        assertEquals(55.4, round1(CpgScoring.amountSuccess(8.09, 14.61)));
        assertEquals(17.3, round1(CpgScoring.amountSuccess(2.96, 17.09)));
        assertEquals(100.0, round1(CpgScoring.amountSuccess(14.98, 7.59))); // capped at 1
    }

    @Test
    void daySurgeryRateNeedsAFloorOfZero() {
        // Rate, higher is better: (57.50 − floor) / (62.30 − floor) = 92.3 % (rounded) only for a floor
        // between about −0.44 and +0.36 point: the natural one is 0 (57.50/62.30 = 0.922953…).
        assertEquals(57.50 / 62.30, CpgScoring.rateSuccess(57.50, 62.30, 0, Direction.HIGHER), 1e-12);
        assertEquals(92.3, round1(CpgScoring.rateSuccess(57.50, 62.30, 0, Direction.HIGHER)));
        assertEquals(92.3, round1(CpgScoring.rateSuccess(57.50, 62.30, 0.3, Direction.HIGHER)));
        assertEquals(92.3, round1(CpgScoring.rateSuccess(57.50, 62.30, -0.4, Direction.HIGHER)));
        assertEquals(92.2, round1(CpgScoring.rateSuccess(57.50, 62.30, 0.5, Direction.HIGHER)));
        assertEquals(92.4, round1(CpgScoring.rateSuccess(57.50, 62.30, -0.5, Direction.HIGHER)));
        // A 50 % socle would give (7.5 / 12.3) = 61.0 %, far from the published figure.
        assertNotEquals(92.3, round1(CpgScoring.rateSuccess(57.50, 62.30, 50, Direction.HIGHER)));
    }

    @Test
    void ratesAreLinearClampedAndMirrored() {
        // Higher is better, floor 50, objective 64: 57 → 7/14 = 0.5; 70 → 1; 40 → 0.
        assertEquals(0.5, CpgScoring.rateSuccess(57, 64, 50, Direction.HIGHER), 1e-12);
        assertEquals(1.0, CpgScoring.rateSuccess(70, 64, 50, Direction.HIGHER));
        assertEquals(0.0, CpgScoring.rateSuccess(40, 64, 50, Direction.HIGHER));
        // Lower is better, floor 180 days, objective 140: 160 → 20/40 = 0.5; 135 → 1; 190 → 0.
        assertEquals(0.5, CpgScoring.rateSuccess(160, 140, 180, Direction.LOWER), 1e-12);
        assertEquals(1.0, CpgScoring.rateSuccess(135, 140, 180, Direction.LOWER));
        assertEquals(0.0, CpgScoring.rateSuccess(190, 140, 180, Direction.LOWER));
        assertThrows(IllegalArgumentException.class, () -> CpgScoring.rateSuccess(1, 140, 100, Direction.LOWER));
    }

    @Test
    void amountsBinariesAndEnteredRates() {
        assertEquals(0.0, CpgScoring.amountSuccess(-1.2, 5.91)); // a negative saving scores 0
        assertEquals(1.0, CpgScoring.binarySuccess(25639, 25076, Direction.HIGHER));
        assertEquals(0.0, CpgScoring.binarySuccess(24000, 25076, Direction.HIGHER));
        assertEquals(1.0, CpgScoring.binarySuccess(3.41, 3.72, Direction.LOWER));
        assertEquals(0.9601, CpgScoring.enteredSuccess(96.01), 1e-12);
    }

    @Test
    void axisRateIsThePointsWeightedMean() {
        // (1·20 + 0.5·30 + 0·50) / 100 = 0.35.
        assertEquals(0.35, CpgScoring.axisRate(List.of(new Weighted(1, 20), new Weighted(0.5, 30),
                new Weighted(0, 50))), 1e-12);
    }

    private static double round1(double success) {
        return Math.round(success * 1000) / 10.0;
    }
}
