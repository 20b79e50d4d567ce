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
    void truncationVarianceIsThatOfANormalCutAt196() {
        // ϕ(1.96) = 0.0584409443, 2Φ(1.96) − 1 = 0.9500042097: κ = 1 − 3.92 × 0.0584409443 / 0.9500042097 = 0.7588552772.
        assertEquals(0.7588552772217557, OverDispersion.TRUNCATED_VARIANCE, 1e-12);
    }

    @Test
    void truncatedPhiIsTheSameWithOrWithoutPeersFarAboveTheOthers() {
        // Eight peers around 0 (Σz = 0, Σz² = 2 × (2.25 + 1 + 0.25 + 0.0625) = 7.125).
        double[] core = {-1.5, -1, -0.5, -0.25, 0.25, 0.5, 1, 1.5};
        // Start: median 0, type-7 quartiles ∓0.625, s = 1.25 / 1.3489795 = 0.926626; window ±1.816188: all 8 kept.
        // Step 1: mean 0, variance 7.125 / 7 = 1.017857, s² = 1.017857 / 0.758855 = 1.341306; window ±2.269969:
        // the same 8, so it stops. φ = 1.341306.
        double phi = 7.125 / 7 / 0.7588552772217557;
        assertEquals(1.3413060084178614, phi, 1e-12);
        assertEquals(phi, OverDispersion.phiTruncated(core), 1e-12);
        // Two more peers far above (20 % of the group, all on one side): median 0.375, quartiles −0.4375 and 1.375,
        // s = 1.343608, window [−2.258472, 3.008472]: 5 and 6 are left out at the first step and φ does not move.
        double[] contaminated = {-1.5, -1, -0.5, -0.25, 0.25, 0.5, 1, 1.5, 5, 6};
        assertEquals(phi, OverDispersion.phiTruncated(contaminated), 1e-12);
        assertEquals(phi, OverDispersion.estimate(contaminated, null, OverDispersion.Estimator.TRUNCATED, 0.10,
                OverDispersion.Mode.MULTIPLICATIVE).phi(), 1e-12);
        // The interquartile estimate doubles: (1.25 / 1.3489795)² = 0.858636 → (1.8125 / 1.3489795)² = 1.805283.
        assertEquals(Math.pow(1.25 / 1.3489795003921634, 2), OverDispersion.phiInterquartile(core), 1e-12);
        assertEquals(Math.pow(1.8125 / 1.3489795003921634, 2), OverDispersion.phiInterquartile(contaminated), 1e-12);
    }

    @Test
    void truncatedPhiOfTiesIsZero() {
        // 18 peers at the norm and 2 far above: quartiles 0, s = 0, only the zeros are kept: φ = 0 (no correction).
        double[] z = new double[20];
        z[18] = 7.07;
        z[19] = 7.07;
        assertEquals(0.0, OverDispersion.phiTruncated(z), 0.0);
    }

    @Test
    void truncatedPhiIsUnbiasedWithoutAtypicalPeersAndBarelyMovesWithFifteenPercentFarAbove() {
        // 4,000 seeded groups of 40 standard normal z's, then the same 40 with 6 more at +4 (13 % of the 46).
        java.util.Random random = new java.util.Random(20240101L);
        int groups = 4000;
        double clean = 0;
        double contaminated = 0;
        double interquartile = 0;
        for (int g = 0; g < groups; g++) {
            double[] z = new double[46];
            for (int i = 0; i < 40; i++) {
                z[i] = random.nextGaussian();
            }
            for (int i = 40; i < 46; i++) {
                z[i] = 4.0;
            }
            clean += OverDispersion.phiTruncated(java.util.Arrays.copyOf(z, 40));
            contaminated += OverDispersion.phiTruncated(z);
            interquartile += OverDispersion.phiInterquartile(z);
        }
        // Without the 6: mean φ 0.9739 (slightly under 1 on 40 peers). With them: 1.0608, where the interquartile
        // estimate says 1.4442 (the 6 move both quartiles up the normal part).
        assertEquals(0.9739, clean / groups, 1e-4);
        assertEquals(1.0608, contaminated / groups, 1e-4);
        assertEquals(1.4442, interquartile / groups, 1e-4);
        assertEquals(1.0, clean / groups, 0.05);
        assertEquals(1.0, contaminated / groups, 0.10);
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
