package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverDispersionTest {

    // Ten z-scores, sorted. Type-7 10th percentile: h = 9·0.1 = 0.9 → −3 + 0.9·(−1 − (−3)) = −1.2;
    // 90th: h = 8.1 → 2.5 + 0.1·(6 − 2.5) = 2.85.
    private static final double[] Z = {-3, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 6};
    // Winsorised squares: 1.44 1 0.25 0 0.25 1 2.25 4 6.25 8.1225 → Σ = 24.5625 → φ = 2.45625.
    private static final double PHI = 2.45625;
    // s² = 1/E with E = 10 (five units) and 40 (five): w = E, Σw = 250, Σw² = 8500, Σw²/Σw = 34.
    private static final double[] S2 = {0.1, 0.1, 0.1, 0.1, 0.1, 0.025, 0.025, 0.025, 0.025, 0.025};
    // τ² = (10·2.45625 − 9) / (250 − 34) = 15.5625 / 216.
    private static final double TAU2 = 15.5625 / 216;

    @Test
    void quantilesAreType7() {
        assertEquals(-1.2, Quantiles.of(Z, 0.1), 1e-12);
        assertEquals(2.85, Quantiles.of(Z, 0.9), 1e-12);
        assertEquals(0.75, Quantiles.of(Z, 0.5), 1e-12);
        assertEquals(-3, Quantiles.of(Z, 0), 1e-12);
        assertEquals(6, Quantiles.of(Z, 1), 1e-12);
    }

    @Test
    void phiIsTheMeanOfWinsorisedSquares() {
        assertEquals(PHI, OverDispersion.phi(Z, 0.10), 1e-12);
        // Without winsorisation: Σz² = 9+1+0.25+0+0.25+1+2.25+4+6.25+36 = 60 → 6.
        assertEquals(6.0, OverDispersion.phi(Z, 0.0), 1e-12);
    }

    @Test
    void interquartilePhiIgnoresAQuarterOfTheUnitsAtEachEnd() {
        // Type-7 quartiles: h = 2.25 → −0.5 + 0.25·0.5 = −0.375; h = 6.75 → 1.5 + 0.75·0.5 = 1.875. IQR 2.25.
        double phi = Math.pow(2.25 / 1.3489795003921634, 2);
        assertEquals(phi, OverDispersion.phiInterquartile(Z), 1e-12);
        // The outer units may go anywhere: the estimate does not move (the winsorised one does).
        double[] wilder = Z.clone();
        wilder[0] = -30;
        wilder[9] = 60;
        assertEquals(phi, OverDispersion.phiInterquartile(wilder), 1e-12);
        assertEquals(phi, OverDispersion.estimate(Z, null, OverDispersion.Estimator.INTERQUARTILE, 0.10,
                OverDispersion.Mode.MULTIPLICATIVE).phi(), 1e-12);
    }

    @Test
    void multiplicativeDividesByRootPhi() {
        OverDispersion od = OverDispersion.estimate(Z, S2, 0.10, OverDispersion.Mode.MULTIPLICATIVE);
        assertTrue(od.overDispersed());
        assertEquals(PHI, od.phi(), 1e-12);
        assertEquals(TAU2, od.tau2(), 1e-12);
        assertEquals(6 / Math.sqrt(PHI), od.adjust(6, 0, 0, 0), 1e-12);
        assertEquals(PHI, od.phiUsed(), 1e-12);
        assertEquals(0.0, od.tau2Used());
    }

    @Test
    void additiveAddsTauSquaredToTheVariance() {
        OverDispersion od = OverDispersion.estimate(Z, S2, 0.10, OverDispersion.Mode.ADDITIVE);
        assertEquals(0.072048611111, od.tau2(), 1e-12);
        // y = SR 1.5, y0 = 1, s² = 0.1: 0.5 / √(0.1 + 0.0720486…) = 0.5 / 0.4147874… = 1.2054367…
        assertEquals(0.5 / Math.sqrt(0.1 + TAU2), od.adjust(Double.NaN, 1.5, 1.0, 0.1), 1e-12);
        assertEquals(1.2054367, od.adjust(Double.NaN, 1.5, 1.0, 0.1), 1e-6);
        assertEquals(1.0, od.phiUsed());
    }

    @Test
    void underDispersedDataAreLeftAlone() {
        double[] z = {-0.5, 0.5, -0.5, 0.5, 0.0};
        double[] s2 = {0.1, 0.1, 0.1, 0.1, 0.1};
        OverDispersion od = OverDispersion.estimate(z, s2, 0.10, OverDispersion.Mode.ADDITIVE);
        // φ = (4·0.25 + 0)/5 = 0.2; Nφ − (N − 1) = 1 − 4 < 0 → τ² = 0.
        assertEquals(0.2, od.phi(), 1e-12);
        assertFalse(od.overDispersed());
        assertEquals(0.0, od.tau2());
        assertEquals(0.25, od.adjust(0.25, 1.5, 1.0, 4.0), 1e-12); // (1.5 − 1)/√(4 + 0) = z unchanged
        OverDispersion mult = OverDispersion.estimate(z, null, 0.10, OverDispersion.Mode.MULTIPLICATIVE);
        assertEquals(0.5, mult.adjust(0.5, 0, 0, 0), 1e-12);
    }
}
