package fr.atypie.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.DifferenceInDifferences.Estimate;
import fr.atypie.campaigns.DifferenceInDifferences.GroupMeans;
import fr.atypie.campaigns.DifferenceInDifferences.Result;
import fr.atypie.campaigns.DifferenceInDifferences.UnitOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CNAMTS evaluations reported by the inspection (atypie-and-campaigns.md). */
class DifferenceInDifferencesTest {

    @Test
    void sickLeaveCampaign2015ShareOfPatientsWithIj() {
        // (15.22 − 15.38) − (15.44 − 15.28) = −0.16 − 0.16 = −0.32 point.
        Estimate e = DifferenceInDifferences.of(new GroupMeans(15.38, 15.22), new GroupMeans(15.28, 15.44));
        assertEquals(-0.16, e.treatedChange(), 1e-9);
        assertEquals(0.16, e.controlChange(), 1e-9);
        assertEquals(-0.32, e.effect(), 1e-9);
    }

    @Test
    void sickLeaveCampaign2015IjDaysPerPatient() {
        // (29.23 − 31.00) − (29.50 − 31.02) = −1.77 + 1.52 = −0.25 day.
        assertEquals(-0.25, DifferenceInDifferences.of(new GroupMeans(31.00, 29.23),
                new GroupMeans(31.02, 29.50)).effect(), 1e-9);
    }

    @Test
    void psaCampaign2016() {
        // (17.30 − 19.70) − (18.60 − 19.20) = −2.40 + 0.60 = −1.8 point.
        assertEquals(-1.8, DifferenceInDifferences.of(new GroupMeans(19.70, 17.30),
                new GroupMeans(19.20, 18.60)).effect(), 1e-9);
    }

    @Test
    void unitLevelReproducesTheGroupMeansAndAConstantEffectHasAZeroWidthInterval() {
        // Treated: 15.28 → 15.12 and 15.48 → 15.32 (means 15.38 → 15.22); controls 15.18 → 15.34
        // and 15.38 → 15.54 (15.28 → 15.44). Every treated change is −0.16, every control +0.16,
        // so each bootstrap replicate gives −0.32 too.
        List<UnitOutcome> units = List.of(
                new UnitOutcome("t1", true, 15.28, 15.12), new UnitOutcome("t2", true, 15.48, 15.32),
                new UnitOutcome("c1", false, 15.18, 15.34), new UnitOutcome("c2", false, 15.38, 15.54));
        Result r = DifferenceInDifferences.fromUnits(units, 200, 11L, 0.95);
        assertEquals(-0.32, r.estimate().effect(), 1e-9);
        assertEquals(-0.32, r.interval().lower(), 1e-9);
        assertEquals(-0.32, r.interval().upper(), 1e-9);
        assertEquals(2, r.treatedUnits());
        // Pre-period: treated 15.28, 15.48 (mean 15.38, s² 0.02), control 15.18, 15.38 (15.28, 0.02):
        // SMD = 0.10 / √0.02 = 0.7071.
        assertEquals(0.1 / Math.sqrt(0.02), r.smdBefore(), 1e-9);
    }

    @Test
    void resultDoesNotDependOnInputOrder() {
        List<UnitOutcome> units = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            units.add(new UnitOutcome("t" + i, true, 30 + (i % 7), 28 + (i % 5)));
            units.add(new UnitOutcome("c" + i, false, 31 + (i % 3), 30 + (i % 4)));
        }
        Result a = DifferenceInDifferences.fromUnits(units, 300, 5L, 0.95);
        List<UnitOutcome> shuffled = new ArrayList<>(units);
        Collections.shuffle(shuffled, new java.util.Random(1));
        Result b = DifferenceInDifferences.fromUnits(shuffled, 300, 5L, 0.95);
        assertEquals(a, b);
        assertTrue(a.interval().lower() < a.estimate().effect() && a.estimate().effect() < a.interval().upper());
    }

    @Test
    void theBootstrapResamplesMatchedSetsNotTreatedAndControlsApart() {
        // Set t1: treated +1, its control +1; set t2: treated -1, its control -1. Within each set the
        // effect is 0, so every matched-set replicate gives 0; resampling the groups apart would not
        // (t1 twice with t2's control twice gives +2).
        List<UnitOutcome> units = List.of(
                new UnitOutcome("t1", true, 10, 11), new UnitOutcome("c1#t1", false, 20, 21),
                new UnitOutcome("t2", true, 10, 9), new UnitOutcome("c2#t2", false, 20, 19));
        Result r = DifferenceInDifferences.fromUnits(units, 200, 3L, 0.95);
        assertEquals(0.0, r.estimate().effect(), 1e-12);
        assertEquals(0.0, r.interval().lower(), 1e-12);
        assertEquals(0.0, r.interval().upper(), 1e-12);
        assertEquals("t2", units.get(3).set());
    }

    @Test
    void standardisedMeanDifference() {
        // T {1,2,3}: mean 2, s² 1; C {2,3,4}: mean 3, s² 1 → (2 − 3)/√1 = −1.
        assertEquals(-1.0, DifferenceInDifferences.standardisedMeanDifference(
                new double[] {1, 2, 3}, new double[] {2, 3, 4}), 1e-12);
    }
}
