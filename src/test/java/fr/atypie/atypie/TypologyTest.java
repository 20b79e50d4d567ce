package fr.atypie.atypie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.testing.SharedSpark;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TypologyTest {
    static final Metric SICK = metric("sick-leave", "Arrêts de travail", "ij-days");
    static final Metric ABX = metric("antibiotics", "Antibiotiques", "prescriptions");
    static final Typology.Settings SETTINGS = new Typology.Settings(3, 7L, 50);

    static Metric metric(String theme, String label, String name) {
        return new Metric(theme, label, name, name, Metric.Kind.WEIGHT, "m", Optional.empty(),
                fr.atypie.indicators.IndicatorDefinition.StrataFilter.ALL, "a", true);
    }

    static MetricAssessment assessed(String prescriber, Metric m, double shrunk) {
        return new MetricAssessment(prescriber, YearMonth.of(2024, 12), "034", 1, "general-practice", "g", 1000, m,
                0, 0, 0, 0, 0, shrunk, 0, 0, 0, 0, 1, shrunk, 50, 0, 0, Level.NEUTRAL);
    }

    /** 30 GPs near the norm, 10 high on sick leave (x1.6), 10 high on antibiotics (x1.8). */
    static List<MetricAssessment> planted(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<MetricAssessment> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = String.format("GP%02d", i);
            double sick = (i >= 30 && i < 40 ? 1.6 : 1.0) * Math.exp(0.05 * (r.nextDouble() - 0.5));
            double abx = (i >= 40 ? 1.8 : 1.0) * Math.exp(0.05 * (r.nextDouble() - 0.5));
            out.add(assessed(id, SICK, sick));
            out.add(assessed(id, ABX, abx));
        }
        return out;
    }

    @Test
    void findsThePlantedProfileTypesWithLabelsThatSayWhy() {
        Typology.Result t = Typology.fit(SharedSpark.get(), planted(1), List.of(SICK, ABX), SETTINGS, List.of());
        assertEquals(3, t.clusters().size());
        assertTrue(t.silhouette() > 0.8, "silhouette " + t.silhouette());
        // Numbered by decreasing size: the norm (30) first.
        assertEquals(30, t.clusters().get(0).size());
        assertEquals("Proche des pairs", t.clusters().get(0).label());
        assertEquals(t.clusterOf().get("GP31"), t.clusterOf().get("GP39"));
        String sickLabel = t.clusters().get(t.clusterOf().get("GP31") - 1).label();
        assertTrue(sickLabel.startsWith("Au-dessus des pairs : Arrêts de travail (ij-days) x1,6"), sickLabel);
        assertEquals(t, Typology.fit(SharedSpark.get(), planted(1), List.of(SICK, ABX), SETTINGS, List.of()));
    }

    @Test
    void typesKeepLastMonthsNumbersWhenTheirSizesChange() {
        Typology.Result lastMonth = Typology.fit(SharedSpark.get(), planted(1), List.of(SICK, ABX), SETTINGS, List.of());
        // This month the antibiotics group grows to 25 (GP25..GP29 join it): sizes reorder, numbers must not.
        List<MetricAssessment> now = new ArrayList<>();
        for (MetricAssessment a : planted(2)) {
            int i = Integer.parseInt(a.prescriber().substring(2));
            boolean joins = i >= 15 && i < 30 && a.metric() == ABX;
            now.add(joins ? assessed(a.prescriber(), ABX, 1.8) : a);
        }
        Typology.Result t = Typology.fit(SharedSpark.get(), now, List.of(SICK, ABX), SETTINGS, lastMonth.clusters());
        assertEquals(lastMonth.clusterOf().get("GP45"), t.clusterOf().get("GP45"));
        assertEquals(lastMonth.clusterOf().get("GP45"), t.clusterOf().get("GP20"));
        assertEquals(lastMonth.clusterOf().get("GP35"), t.clusterOf().get("GP35"));
        assertEquals(lastMonth.clusterOf().get("GP02"), t.clusterOf().get("GP02"));
    }

    @Test
    void bestPairingMinimisesTheTotalDistance() {
        // Greedy (row by row) would pair 0->0 (1) then 1->1 (10): 11; the best is 0->1, 1->0: 2 + 3 = 5.
        assertArrayEquals(new int[] {1, 0}, Typology.bestPairing(new double[][] {{1, 2}, {3, 10}}));
        assertArrayEquals(new int[] {2, 0, 1}, Typology.bestPairing(new double[][] {{5, 5, 0}, {0, 5, 5}, {5, 0, 5}}));
    }

    @Test
    void labelsNameTheMetricsWellAbovePeers() {
        Map<String, Metric> metrics = Map.of(SICK.id(), SICK, ABX.id(), ABX);
        assertEquals("Proche des pairs", Typology.label(Map.of(SICK.id(), Math.log(1.1), ABX.id(), 0.0), metrics));
        assertEquals("En dessous des pairs sur tous les thèmes",
                Typology.label(Map.of(SICK.id(), Math.log(0.9), ABX.id(), Math.log(0.8)), metrics));
        assertEquals("Au-dessus des pairs : Antibiotiques (prescriptions) x2,00 ; Arrêts de travail (ij-days) x1,50",
                Typology.label(Map.of(SICK.id(), Math.log(1.5), ABX.id(), Math.log(2.0)), metrics));
    }
}
