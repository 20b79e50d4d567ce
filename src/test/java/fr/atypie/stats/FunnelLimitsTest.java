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
}
