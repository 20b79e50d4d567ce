package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class EmpiricalBayesTest {

    // O = 2, 10, 30; E = 4, 10, 20 → SR = 0.5, 1, 1.5; m = 42/34 = 21/17.
    // E-weighted Σ E(SR − m)² = 4(12.5/17)² + 10(4/17)² + 20(4.5/17)² = (625 + 160 + 405)/289 = 70/17.
    // s² = (70/17)/34 = 70/578; noise = N·m/ΣE = 3·(21/17)/34 = 63/578; v = 7/578.
    // α = m²/v = (441/289)·(578/7) = 126; β = m/v = (21/17)·(578/7) = 102.
    private static final double[] O = {2, 10, 30};
    private static final double[] E = {4, 10, 20};

    @Test
    void momentsGiveHandComputedPrior() {
        EmpiricalBayes eb = EmpiricalBayes.fit(O, E);
        assertEquals(21.0 / 17, eb.mean(), 1e-12);
        assertEquals(7.0 / 578, eb.variance(), 1e-12);
        assertEquals(126, eb.alpha(), 1e-9);
        assertEquals(102, eb.beta(), 1e-9);
        assertFalse(eb.degenerate());
    }

    @Test
    void posteriorMeanPullsSmallUnitsToThePeerMean() {
        EmpiricalBayes eb = EmpiricalBayes.fit(O, E);
        assertEquals(128.0 / 106, eb.shrunk(2, 4), 1e-9);   // raw 0.5 → 1.2075
        assertEquals(156.0 / 122, eb.shrunk(30, 20), 1e-9); // raw 1.5 → 1.2787
        assertEquals(4.0 / 106, eb.credibility(4), 1e-9);
    }

    @Test
    void posteriorIntervalLeavesHalfAlphaInEachGammaTail() {
        EmpiricalBayes eb = EmpiricalBayes.fit(O, E);
        double[] ci = eb.interval(2, 4, 0.95);
        // Posterior Gamma(shape 128, rate 106): P(θ ≤ x) = P(128, 106·x) (regularised lower gamma).
        assertEquals(0.025, Gamma.regularizedGammaP(128, 106 * ci[0]), 1e-9);
        assertEquals(0.975, Gamma.regularizedGammaP(128, 106 * ci[1]), 1e-9);
        assertTrue(ci[0] < 128.0 / 106 && 128.0 / 106 < ci[1]);
    }

    @Test
    void noBetweenUnitVarianceMeansEveryoneGetsThePeerMean() {
        // Identical ratios: s² = 0, v = 0 − 3·1/6 < 0 → degenerate prior at m = 1.
        EmpiricalBayes eb = EmpiricalBayes.fit(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertTrue(eb.degenerate());
        assertEquals(1.0, eb.mean(), 1e-12);
        assertEquals(-0.5, eb.variance(), 1e-12);
        assertEquals(1.0, eb.shrunk(3, 0.5), 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, eb.interval(3, 0.5, 0.95), 1e-12);
        assertEquals(0.0, eb.credibility(100));
    }

    @Test
    void noEventsAtAllShrinksToZero() {
        EmpiricalBayes eb = EmpiricalBayes.fit(new double[] {0, 0}, new double[] {2, 5});
        assertTrue(eb.degenerate());
        assertEquals(0.0, eb.shrunk(0, 2));
    }
}
