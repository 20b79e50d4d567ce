package fr.atypie.indicators.scorecard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fr.atypie.errors.InputError;
import fr.atypie.errors.ConfigError;
import fr.atypie.config.ConfigLoader;
import fr.atypie.settings.Section;
import fr.atypie.indicators.scorecard.Scorecard.DepartmentScore;
import fr.atypie.indicators.scorecard.Scorecard.IndicatorResult;
import fr.atypie.config.AtypieConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorecardTest {

    /** A small contract: two axes, 400 + 600 points. */
    private static final String CONTRACT = """
            atypie.cpg {
              axes {
                a { label = "A", points = 400, indicators {
                    savings { kind = amount, direction = higher, objective = 10, points = 3 }
                    duration { kind = rate, direction = lower, objective = 140, floor = 180, points = 1 }
                } }
                b { label = "B", points = 600, indicators {
                    entered { kind = success, direction = higher, points = 1 }
                } }
              }
              objectives { "034" { savings { objective = 5 } } }
              entered-results {
                "011" { entered = 50 }
                "034" { entered = 80 }
                "066" { entered = 80 }
              }
            }
            """;

    private static CpgSettings settings(String hocon) {
        return CpgSettings.from(Section.of(ConfigFactory.parseString(hocon).resolve(), "atypie.cpg"));
    }

    @Test
    void scoresAxesAndRanksInsideTheRegion() {
        CpgSettings cpg = settings(CONTRACT);
        List<IndicatorResult> measured = List.of(
                new IndicatorResult("011", "savings", 8), new IndicatorResult("011", "duration", 160),
                new IndicatorResult("034", "savings", 4), new IndicatorResult("034", "duration", 150),
                new IndicatorResult("066", "savings", 12), new IndicatorResult("066", "duration", 200),
                new IndicatorResult("066", "not-in-contract", 1));
        Map<String, String> region = Map.of("011", "76", "034", "76", "066", "76");
        List<DepartmentScore> s = Scorecard.compute(measured, region, cpg);
        // 011: savings 8/10 = 0.8, duration (160−180)/(140−180) = 0.5 → axis A (0.8·3 + 0.5)/4 = 0.725;
        //      B 0.50 → score (0.725·400 + 0.5·600)/1000 = 0.59.
        // 034: savings 4/5 (own objective 5) = 0.8, duration 30/40 = 0.75 → A (2.4 + 0.75)/4 = 0.7875;
        //      B 0.80 → (315 + 480)/1000 = 0.795.
        // 066: savings min(1.2, 1) = 1, duration clamped 0 → A 0.75; B 0.80 → (300 + 480)/1000 = 0.78.
        assertEquals(List.of("034", "066", "011"), s.stream().map(DepartmentScore::department).toList());
        assertEquals(0.795, s.get(0).score(), 1e-12);
        assertEquals(0.78, s.get(1).score(), 1e-12);
        assertEquals(0.59, s.get(2).score(), 1e-12);
        assertEquals(List.of(1, 2, 3), s.stream().map(DepartmentScore::rank).toList());
        assertEquals(0.7875, s.get(0).axes().get(0).rate(), 1e-12);
        // Indicators inside an axis come sorted by id: duration, savings.
        assertEquals(List.of("duration", "savings", "entered"),
                s.get(0).indicators().stream().map(Scorecard.IndicatorScore::indicator).toList());
        assertEquals(5.0, s.get(0).indicators().get(1).objective());
        assertEquals(10.0, s.get(2).indicators().get(1).objective());
        assertEquals(Scorecard.Source.ENTERED, s.get(0).indicators().get(2).source());
        assertEquals(3, s.get(0).indicators().size()); // the indicator outside the contract is not scored
    }

    @Test
    void missingIndicatorMeansNoScoreNoRankButPartialAxes() {
        CpgSettings cpg = settings(CONTRACT);
        List<DepartmentScore> s = Scorecard.compute(List.of(
                new IndicatorResult("011", "savings", 8), new IndicatorResult("011", "duration", 160),
                new IndicatorResult("034", "savings", 4)), cpg);
        DepartmentScore d034 = s.stream().filter(d -> d.department().equals("034")).findFirst().orElseThrow();
        assertEquals(List.of("duration"), d034.missing());
        assertTrue(Double.isNaN(d034.score()));
        assertEquals(0, d034.rank());
        assertEquals(0.8, d034.axes().get(0).rate(), 1e-12); // savings alone
        // 066 has only its entered result: axis A empty, missing both.
        DepartmentScore d066 = s.stream().filter(d -> d.department().equals("066")).findFirst().orElseThrow();
        assertEquals(List.of("duration", "savings"), d066.missing());
        assertTrue(Double.isNaN(d066.axes().get(0).rate()));
        DepartmentScore d011 = s.get(0);
        assertEquals("011", d011.department());
        assertEquals(1, d011.rank());
    }

    @Test
    void equalScoresShareARank() {
        CpgSettings cpg = settings(CONTRACT.replace("\"011\" { entered = 50 }", "\"011\" { entered = 80 }")
                .replace("objectives { \"034\" { savings { objective = 5 } } }", "objectives {}"));
        List<DepartmentScore> s = Scorecard.compute(List.of(
                new IndicatorResult("011", "savings", 8), new IndicatorResult("011", "duration", 160),
                new IndicatorResult("034", "savings", 8), new IndicatorResult("034", "duration", 160),
                new IndicatorResult("066", "savings", 1), new IndicatorResult("066", "duration", 160)), cpg);
        assertEquals(List.of(1, 1, 3), s.stream().map(DepartmentScore::rank).toList());
        assertEquals(List.of("011", "034", "066"), s.stream().map(DepartmentScore::department).toList());
    }

    @Test
    void conflictsAndUnknownsAreClearErrors() {
        CpgSettings cpg = settings(CONTRACT);
        InputError both = assertThrows(InputError.class, () -> Scorecard.compute(
                List.of(new IndicatorResult("011", "entered", 70)), cpg));
        assertTrue(both.getMessage().contains("entered of department 011 is both measured"), both.getMessage());
        InputError twice = assertThrows(InputError.class, () -> Scorecard.compute(List.of(
                new IndicatorResult("011", "savings", 1), new IndicatorResult("011", "savings", 2)), cpg));
        assertEquals("indicator results: department 011 has two results for savings (1.0 and 2.0)", twice.getMessage());
        assertThrows(InputError.class, () -> Scorecard.compute(
                List.of(new IndicatorResult("011", "savings", 1)), Map.of(), cpg));

        ConfigError unknown = assertThrows(ConfigError.class, () -> settings(
                CONTRACT.replace("savings { objective = 5 }", "savingz { objective = 5 }")));
        assertTrue(unknown.getMessage().startsWith("atypie.cpg.objectives.034.savingz: unknown indicator 'savingz'"),
                unknown.getMessage());
        ConfigError points = assertThrows(ConfigError.class, () -> settings(CONTRACT.replace("points = 600", "points = 500")));
        assertEquals("atypie.cpg.axes: axis points add up to 900.0, not 1000", points.getMessage());
        ConfigError floor = assertThrows(ConfigError.class, () -> settings(CONTRACT.replace("floor = 180", "floor = 100")));
        assertEquals("atypie.cpg.axes.a.indicators.duration.floor = 100.0 must be above the objective 140.0 (direction = lower)",
                floor.getMessage());
    }

    @Test
    void shippedDefaultsReproduceTheLanguedocRoussillon2019Score() {
        // Default contract (conf/cpg.conf), the published LR axis rates entered for axes 1, 3, 5, and
        // every measured indicator of axes 2 and 4 placed at success 72.76 % and 93.62 % respectively
        // (amount: result = s·objective; rate: result = floor + s·(objective − floor)).
        AtypieConfig config = ConfigLoader.load(Optional.empty(), Map.of(
                "atypie.cpg.entered-results.\"034\".axis-1-success", "96.01",
                "atypie.cpg.entered-results.\"034\".axis-3-success", "84.25",
                "atypie.cpg.entered-results.\"034\".axis-5-success", "92.58"));
        CpgSettings cpg = config.cpg();
        assertEquals(List.of(115.0, 500.0, 100.0, 95.0, 190.0),
                cpg.axes().stream().map(CpgSettings.Axis::points).toList());
        List<IndicatorResult> measured = new ArrayList<>();
        for (CpgSettings.Axis axis : cpg.axes()) {
            double success = axis.id().equals("axis-2") ? 0.7276 : 0.9362;
            for (CpgSettings.Indicator ind : axis.indicators()) {
                CpgSettings.Target t = cpg.target("034", ind);
                switch (ind.kind()) {
                    case AMOUNT -> measured.add(new IndicatorResult("034", ind.id(), success * t.objective()));
                    case RATE -> measured.add(new IndicatorResult("034", ind.id(),
                            t.floor() + success * (t.objective() - t.floor())));
                    default -> { }
                }
            }
        }
        DepartmentScore lr = Scorecard.compute(measured, Map.of("034", "76"), cpg).get(0);
        assertTrue(lr.complete(), lr.missing().toString());
        assertEquals(0.7276, lr.axes().get(1).rate(), 1e-12);
        assertEquals(0.8233025, lr.score(), 1e-12); // published 82.33 %
        assertEquals(1, lr.rank());

        CpgSettings.Indicator daySurgery = cpg.indicator("day-surgery-rate").orElseThrow();
        CpgSettings.Target t = cpg.target("034", daySurgery);
        assertEquals(92.3, Math.round(CpgScoring.success(daySurgery.kind(), daySurgery.direction(), 57.50,
                t.objective(), t.floor()) * 1000) / 10.0);
    }
}
