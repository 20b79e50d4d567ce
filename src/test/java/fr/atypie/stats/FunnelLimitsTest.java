package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FunnelLimitsTest {

    @Test
    void poissonLimitsAtHundredExpected() {
        // 1 ± 1.96/√100 = 1 ± 0.196.
        FunnelLimits l = FunnelLimits.poissonRatio(100, 1.96);
        assertEquals(0.804, l.lower(), 1e-12);
        assertEquals(1.196, l.upper(), 1e-12);
        assertEquals(1.0, l.target());
        assertTrue(l.above(1.2));
        assertFalse(l.above(1.19));
        assertTrue(l.below(0.8));
    }

    @Test
    void poissonLimitsAt998Percent() {
        // 1 ± 3.09/√25 = 1 ± 0.618.
        FunnelLimits l = FunnelLimits.poissonRatio(25, 3.09);
        assertEquals(0.382, l.lower(), 1e-12);
        assertEquals(1.618, l.upper(), 1e-12);
    }

    @Test
    void lowerLimitIsFlooredAtZeroForTinyExpected() {
        // 1 − 3.09/√1 < 0 → 0; upper 4.09.
        FunnelLimits l = FunnelLimits.poissonRatio(1, 3.09);
        assertEquals(0.0, l.lower());
        assertEquals(4.09, l.upper(), 1e-12);
    }

    @Test
    void overDispersionWidensTheLimits() {
        // Multiplicative φ = 4 at E = 100: se = √(4/100) = 0.2 → 1 ± 0.392.
        FunnelLimits m = FunnelLimits.poissonRatio(100, 1.96, 4, 0);
        assertEquals(0.608, m.lower(), 1e-12);
        assertEquals(1.392, m.upper(), 1e-12);
        // Additive τ² = 0.03 at E = 100: se = √(0.01 + 0.03) = 0.2 → same limits.
        FunnelLimits a = FunnelLimits.poissonRatio(100, 1.96, 1, 0.03);
        assertEquals(0.608, a.lower(), 1e-12);
        assertEquals(1.392, a.upper(), 1e-12);
    }

    @Test
    void proportionLimits() {
        // p0 = 0.2, n = 100: se = √(0.2·0.8/100) = 0.04 → 0.2 ± 0.0784.
        FunnelLimits l = FunnelLimits.proportion(0.2, 100, 1.96);
        assertEquals(0.1216, l.lower(), 1e-12);
        assertEquals(0.2784, l.upper(), 1e-12);
        // Capped at 1: p0 = 0.95, n = 4, z = 3.09: se = √(0.0475/4) = 0.108972... → upper 1.
        assertEquals(1.0, FunnelLimits.proportion(0.95, 4, 3.09).upper());
    }

    @Test
    void curveIsLogSpaced() {
        List<FunnelLimits> c = FunnelLimits.poissonCurve(1, 100, 3, 1.96, 1, 0);
        assertEquals(3, c.size());
        assertEquals(1.0, c.get(0).size(), 1e-12);
        assertEquals(10.0, c.get(1).size(), 1e-12);
        assertEquals(100.0, c.get(2).size(), 1e-12);
        assertEquals(1.196, c.get(2).upper(), 1e-12);
    }

    @Test
    void exactPoissonLimitsAtSmallExpected() {
        // E = 8.28, tail 1 − Φ(1.96) = 0.0249979: the upper count solves P(s, 8.28) = 0.0249979 (regularised gamma),
        // s = 14.845287 (scipy brentq on gammainc), limit 1.792909 (normal 1 + 1.96/√8.28 = 1.681147); lower: Q(s + 1, 8.28)
        // = 0.0249979, s = 2.678313, limit 0.323468 (normal 0.318853).
        FunnelLimits l = FunnelLimits.exactPoissonRatio(8.28, 1.96);
        assertEquals(1.7929090925709616, l.upper(), 1e-9);
        assertEquals(0.3234677548663952, l.lower(), 1e-9);
        // 14 is inside (its exact p 0.0432 > 2.5 %), 15 beyond (P(X ≥ 15) = 0.0225).
        assertFalse(l.above(14 / 8.28));
        assertTrue(l.above(15 / 8.28));
        // Strong level, 1 − Φ(3.09) = 0.0010008: upper count 18.959622, limit 2.289809; lower count 0.564590.
        FunnelLimits s = FunnelLimits.exactPoissonRatio(8.28, 3.09);
        assertEquals(2.2898094449856607, s.upper(), 1e-9);
        assertEquals(0.068187223292796, s.lower(), 1e-9);
        // At E = 2, e^−2 = 0.135 ≥ 2.5 %: no count is low enough, the lower limit is 0.
        assertEquals(0.0, FunnelLimits.exactPoissonRatio(2, 1.96).lower(), 0.0);
        // At E = 50 the exact limits approach the normal ones: 1.296234 (normal 1.277186), 0.722765.
        assertEquals(1.2962336220379402, FunnelLimits.exactPoissonRatio(50, 1.96).upper(), 1e-9);
        assertEquals(0.7227649509468932, FunnelLimits.exactPoissonRatio(50, 1.96).lower(), 1e-9);
    }
}
