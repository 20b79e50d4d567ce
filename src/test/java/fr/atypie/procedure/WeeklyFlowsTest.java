package fr.atypie.procedure;

import static fr.atypie.events.EventColumns.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.events.SickLeaveSpells;
import fr.atypie.procedure.WeeklyFlows.Flow;
import fr.atypie.procedure.WeeklyFlows.Signal;
import fr.atypie.testing.SharedSpark;
import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WeeklyFlowsTest {
    static Flow flow(String p, long patients, long... spells) {
        return new Flow(p, spells, patients);
    }

    static ProcedureState under(String p, ProcedureStep step, String since) {
        return new ProcedureState(p, ProcedureTracking.SICK_LEAVE, YearMonth.of(2024, 12), step,
                Optional.of(YearMonth.parse(since)), Optional.of(YearMonth.parse(since).plusMonths(3)), true, true, 100.0,
                null, false, false, "r", "n");
    }

    static String show(Signal s) {
        return String.join(" ", String.valueOf(s.dept()), s.kind().name(), s.code(), s.prescriber(), Integer.toString(s.rank()),
                Boolean.toString(s.withinCapacity()), "[" + s.weeklySpells() + "]", Long.toString(s.patients()));
    }

    @Test
    void aPrescriberUnderProcedureIsSignalledWhenItsWeeklySpellsRoseEveryWeek() {
        Map<String, Flow> flows = new LinkedHashMap<>();
        flows.put("P1", flow("P1", 12, 1, 2, 3, 4));
        flows.put("P2", flow("P2", 15, 1, 2, 2, 4));   // flat one week: no
        flows.put("P3", flow("P3", 11, 1, 2, 3, 4));   // rising, not under procedure: no
        flows.put("P5", flow("P5", 6, 0, 1, 2, 3));    // rising, department unknown
        Map<String, ProcedureState> procedure = new LinkedHashMap<>();
        procedure.put("P5", under("P5", ProcedureStep.MSO, "2024-09"));
        procedure.put("P1", under("P1", ProcedureStep.OBSERVATION, "2024-10"));
        procedure.put("P2", under("P2", ProcedureStep.MSO, "2024-09"));
        procedure.put("P4", under("P4", ProcedureStep.MSAP, "2024-08"));   // no spell in the weeks: no
        Map<String, String> dept = new HashMap<>(Map.of("P1", "034", "P2", "034", "P3", "034"));

        List<Signal> rising = WeeklyFlows.rising(procedure, flows, dept, 3);

        assertEquals(List.of("034 MANDATORY PROCEDURE_RISING P1 1 true [1, 2, 3, 4] 12",
                "null MANDATORY PROCEDURE_RISING P5 1 true [0, 1, 2, 3] 6"), rising.stream().map(WeeklyFlowsTest::show).toList());
        assertEquals("Période d'observation depuis 2024-10 : arrêts initiés par semaine 1, 2, 3, 4 sur les 4 dernières "
                + "semaines, en hausse chaque semaine.", rising.get(0).reason());
        // Two rises asked for: P2's last three weeks (2, 2, 4) still are not rising every week; P1's (2, 3, 4) are.
        assertEquals(List.of("P1", "P5"), WeeklyFlows.rising(procedure, flows, dept, 2).stream().map(Signal::prescriber).toList());
        assertEquals(List.of("P1", "P2", "P5"),
                WeeklyFlows.rising(procedure, flows, dept, 1).stream().map(Signal::prescriber).sorted().toList());
    }

    /**
     * Last week against the 3 before. Region: 70 spells now, 71 before, g = 70/71, p0 = g/(1 + g) = 70/141.
     * A: 14 against 6, n = 20, z = (14 − 20·70/141)/√(20·(70/141)(71/141)) = 1.8206; H: 10 against 4, z = 1.6301;
     * I: 8 against 2, z = 1.9198; D (9 against 3, z = 1.7567) is under procedure; F (13 against 9) grows 1.47 times
     * the region, under 1.5; E (1 against 2) has 3 spells, under 10.
     */
    @Test
    void theTrendOnTheWeeklyFlowsIsRankedByZWithinEachDepartmentsCapacity() {
        Map<String, Flow> flows = new LinkedHashMap<>();
        flows.put("A", flow("A", 18, 2, 2, 2, 14));
        flows.put("B", flow("B", 16, 4, 4, 4, 4));
        flows.put("C", flow("C", 20, 5, 5, 5, 5));
        flows.put("D", flow("D", 12, 1, 1, 1, 9));
        flows.put("E", flow("E", 3, 0, 1, 1, 1));
        flows.put("F", flow("F", 22, 3, 3, 3, 13));
        flows.put("G", flow("G", 24, 6, 6, 6, 6));
        flows.put("H", flow("H", 9, 2, 1, 1, 10));
        flows.put("I", flow("I", 10, 1, 0, 1, 8));
        Map<String, String> dept = Map.of("A", "034", "B", "034", "C", "011", "D", "034", "E", "034", "F", "034", "G", "011",
                "H", "034", "I", "011");
        ProcedureSettings.Trend thresholds = new ProcedureSettings.Trend(10, 1.5, 1.5);

        List<Signal> trend = WeeklyFlows.trend(flows, dept, Set.of("D"), 1, 3, thresholds, d -> d.equals("034") ? 1 : 5);

        assertEquals(List.of("011 OPTIONAL TREND I 1 true [1, 0, 1, 8] 10",
                "034 OPTIONAL TREND A 1 true [2, 2, 2, 14] 18",
                "034 OPTIONAL TREND H 2 false [2, 1, 1, 10] 9"), trend.stream().map(WeeklyFlowsTest::show).toList());
        assertEquals(1.9198423811895788, trend.get(0).z(), 1e-12);
        assertEquals(1.8206174467262322, trend.get(1).z(), 1e-12);
        assertEquals(1.6301450267624171, trend.get(2).z(), 1e-12);
        // 8 against 2 over 3 weeks: x12 at equal length; the region x(70/71)·3 = x2.96; 4/(70/71) = 4.06 times it.
        assertEquals("Arrêts initiés : 8 sur les 1 dernières semaines contre 2 sur les 3 précédentes (x12,00 à durée égale) "
                + "quand la région fait x2,96 : 4,06 fois la croissance régionale (z 1,92).", trend.get(0).reason());
        // Without D left out, it comes between A and H.
        assertEquals(List.of("I", "A", "D", "H"), WeeklyFlows.trend(flows, dept, Set.of(), 1, 3, thresholds, d -> 5).stream()
                .map(Signal::prescriber).toList());
    }

    @Test
    void spellsAreCountedByTheWeekTheyStartAndTheInsuredReachingDay60InTheWeekAreListed() {
        StructType schema = new StructType().add(PATIENT, DataTypes.StringType).add(RISK, DataTypes.StringType)
                .add(START_DATE, DataTypes.DateType).add(END_DATE, DataTypes.DateType)
                .add(SickLeaveSpells.INITIAL_PRESCRIBER, DataTypes.StringType).add(DEPT, DataTypes.StringType)
                .add(SickLeaveSpells.DURATION, DataTypes.IntegerType).add(SickLeaveSpells.CENSORED, DataTypes.BooleanType);
        List<Row> rows = List.of(
                spell("p1", RISK_SICKNESS, "2024-12-31", "2024-12-31", "X"),     // week 3 (the run's week, 12-25 to 12-31)
                spell("p2", RISK_SICKNESS, "2024-12-25", "2024-12-31", "X"),     // week 3
                spell("p1", RISK_SICKNESS, "2024-12-24", "2024-12-24", "X"),     // week 2 (12-18 to 12-24)
                spell("p3", RISK_SICKNESS, "2024-12-11", "2024-12-12", "X"),     // week 1 (12-11 to 12-17)
                spell("p4", RISK_SICKNESS, "2024-12-10", "2024-12-20", "X"),     // before the weeks
                spell("p5", RISK_WORK_ACCIDENT, "2024-12-30", "2024-12-31", "X"), // not sickness
                spell("p6", RISK_SICKNESS, "2024-12-20", "2024-12-21", null),   // no prescriber
                spell("p7", RISK_SICKNESS, "2024-12-17", "2024-12-17", "Y"),     // week 1
                // Day 60 of a spell started 2024-10-31 is 2024-12-29, in the week; paid to 12-31: listed.
                spell("p8", RISK_SICKNESS, "2024-10-31", "2024-12-31", "Y"),
                // Day 60 on 12-29 too, but paid only to 12-28: not reached yet.
                spell("p9", RISK_SICKNESS, "2024-10-31", "2024-12-28", "Y"),
                // Day 60 on 12-24, the week before: not listed.
                spell("p10", RISK_SICKNESS, "2024-10-26", "2024-12-31", "Y"));
        var spells = SharedSpark.get().createDataFrame(rows, schema);
        WeeklyFlows.Week week = WeeklyFlows.Week.ending(LocalDate.of(2024, 12, 31));

        Map<String, Flow> flows = WeeklyFlows.flows(spells, week, 3);

        assertEquals(List.of("X", "Y"), List.copyOf(flows.keySet()));
        assertArrayEquals(new long[] {1, 1, 2}, flows.get("X").spells());
        assertEquals(3, flows.get("X").patients());   // p1 (twice), p2, p3
        assertArrayEquals(new long[] {1, 0, 0}, flows.get("Y").spells());
        assertEquals(1, flows.get("Y").patients());

        List<String> listed = LongSickLeave.list(spells, week.first(), week.last(), List.of(60, 90)).collectAsList().stream()
                .map(r -> r.getAs(PATIENT) + " " + r.getAs(LongSickLeave.DAY) + " " + r.getAs(LongSickLeave.DAY_DATE)).toList();
        assertEquals(List.of("p8 60 2024-12-29"), listed);
    }

    static Row spell(String patient, String risk, String start, String end, String prescriber) {
        return RowFactory.create(patient, risk, Date.valueOf(start), Date.valueOf(end), prescriber, "034",
                (int) (LocalDate.parse(end).toEpochDay() - LocalDate.parse(start).toEpochDay() + 1), false);
    }
}
