package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Test
    void resamplingTwoUnitsGivesTheThreeAtomDistribution() {
        // Means of resamples of {0, 1}: 0 (p 1/4), 0.5 (1/2), 1 (1/4). With 4000 replicates the
        // 2.5th and 97.5th percentiles are 0 and 1, and the 40th–60th are both 0.5.
        List<Double> units = List.of(0.0, 1.0);
        Bootstrap.Interval wide = Bootstrap.percentile(units, BootstrapTest::mean, 4000, 42L, 0.95);
        assertEquals(0.5, wide.estimate());
        assertEquals(0.0, wide.lower());
        assertEquals(1.0, wide.upper());
        assertEquals(4000, wide.replicates());
        Bootstrap.Interval narrow = Bootstrap.percentile(units, BootstrapTest::mean, 4000, 42L, 0.20);
        assertEquals(0.5, narrow.lower());
        assertEquals(0.5, narrow.upper());
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherInterval() {
        List<Double> units = List.of(3.1, 0.4, 7.7, 2.2, 9.0, 5.5, 1.3, 4.8);
        Bootstrap.Interval a = Bootstrap.percentile(units, BootstrapTest::mean, 500, 7L, 0.95);
        Bootstrap.Interval b = Bootstrap.percentile(units, BootstrapTest::mean, 500, 7L, 0.95);
        Bootstrap.Interval c = Bootstrap.percentile(units, BootstrapTest::mean, 500, 8L, 0.95);
        assertEquals(a, b);
        assertNotEquals(a.lower(), c.lower());
    }

    @Test
    void groupsAreResampledWithinThemselves() {
        // Constant groups: every replicate's difference of means is 5 − 1 = 4.
        List<List<Double>> groups = List.of(List.of(5.0, 5.0, 5.0), List.of(1.0, 1.0));
        Bootstrap.Interval i = Bootstrap.stratified(groups,
                g -> mean(g.get(0)) - mean(g.get(1)), 200, 1L, 0.95);
        assertEquals(4.0, i.lower());
        assertEquals(4.0, i.upper());
    }
}
