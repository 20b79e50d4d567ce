package fr.atypie.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowUpTest {
    static final String SL = "sick-leave";

    /** A state as the procedure stores it; {@code since}/{@code until} null for none. */
    static ProcedureState st(String p, String theme, String month, ProcedureStep step, String since, String until,
                             boolean criterion, Double ijDays, Double objective) {
        return new ProcedureState(p, theme, YearMonth.parse(month), step, Optional.ofNullable(since).map(YearMonth::parse),
                Optional.ofNullable(until).map(YearMonth::parse), criterion, false, ijDays, objective, false, false, "r", "n");
    }

    static String show(FollowUp.Row r) {
        return String.join(" ", r.prescriber(), r.theme(), r.currentStep().name(), r.currentSince() + ".." + r.currentUntil(),
                "|", r.month().toString(), r.step().name(), Boolean.toString(r.criterion()), String.valueOf(r.ijDays()),
                String.valueOf(r.objective()), String.valueOf(r.gap()), String.valueOf(r.gapPercent()));
    }

    @Test
    void eachFollowedPrescriberHasOneRowPerMonthFromTheStepBeforeWithItsGapToTheObjective() {
        List<ProcedureState> earlier = List.of(
                // P1: EC in January, observation April to July, MSO from August (objective 800).
                st("P1", SL, "2024-01", ProcedureStep.EC, "2024-01", null, true, 900.0, null),
                st("P1", SL, "2024-02", ProcedureStep.EC, "2024-01", null, false, 950.0, null),
                st("P1", SL, "2024-03", ProcedureStep.EC, "2024-01", null, true, 1000.0, null),
                st("P1", SL, "2024-04", ProcedureStep.OBSERVATION, "2024-04", "2024-07", true, 1000.0, null),
                st("P1", SL, "2024-05", ProcedureStep.OBSERVATION, "2024-04", "2024-07", true, 1020.0, null),
                st("P1", SL, "2024-06", ProcedureStep.OBSERVATION, "2024-04", "2024-07", true, 1040.0, null),
                st("P1", SL, "2024-07", ProcedureStep.OBSERVATION, "2024-04", "2024-07", true, 1000.0, null),
                st("P1", SL, "2024-08", ProcedureStep.MSO, "2024-08", "2024-11", true, 1000.0, 800.0),
                // P1 on another theme: not mixed in.
                st("P1", "transports", "2024-08", ProcedureStep.OBSERVATION, "2024-08", "2024-11", true, 5.0, null),
                // P3: EC from June; 2024-08 was not run (no state stored).
                st("P3", SL, "2024-06", ProcedureStep.EC, "2024-06", null, true, 700.0, null),
                st("P3", SL, "2024-07", ProcedureStep.EC, "2024-06", null, true, 710.0, null),
                // P4: observed in May, closed since: not followed.
                st("P4", SL, "2024-05", ProcedureStep.OBSERVATION, "2024-05", "2024-08", true, 300.0, null),
                // P5: MSO from July (objective 500), refused in September: MSAP.
                st("P5", SL, "2024-07", ProcedureStep.MSO, "2024-07", "2024-10", true, 600.0, 500.0),
                st("P5", SL, "2024-08", ProcedureStep.MSO, "2024-07", "2024-10", false, 450.0, 500.0));
        List<ProcedureState> month = List.of(
                st("P5", SL, "2024-09", ProcedureStep.MSAP, "2024-09", "2025-02", true, 610.0, null),
                st("P1", SL, "2024-09", ProcedureStep.MSO, "2024-08", "2024-11", true, 900.0, 800.0),
                st("P2", SL, "2024-09", ProcedureStep.EC, "2024-09", null, true, 400.0, null),
                st("P3", SL, "2024-09", ProcedureStep.OBSERVATION, "2024-09", "2024-12", true, 720.0, null),
                st("P6", SL, "2024-09", ProcedureStep.NONE, null, null, true, 2000.0, null));

        List<String> rows = FollowUp.rows(month, earlier).stream().map(FollowUpTest::show).toList();

        assertEquals(List.of(
                "P1 sick-leave MSO 2024-08..2024-11 | 2024-04 OBSERVATION true 1000.0 null null null",
                "P1 sick-leave MSO 2024-08..2024-11 | 2024-05 OBSERVATION true 1020.0 null null null",
                "P1 sick-leave MSO 2024-08..2024-11 | 2024-06 OBSERVATION true 1040.0 null null null",
                "P1 sick-leave MSO 2024-08..2024-11 | 2024-07 OBSERVATION true 1000.0 null null null",
                // 1 000 − 800 = 200 days over, 200 / 800 = 25 %; then 100 over, 12.5 %.
                "P1 sick-leave MSO 2024-08..2024-11 | 2024-08 MSO true 1000.0 800.0 200.0 25.0",
                "P1 sick-leave MSO 2024-08..2024-11 | 2024-09 MSO true 900.0 800.0 100.0 12.5",
                "P3 sick-leave OBSERVATION 2024-09..2024-12 | 2024-06 EC true 700.0 null null null",
                "P3 sick-leave OBSERVATION 2024-09..2024-12 | 2024-07 EC true 710.0 null null null",
                "P3 sick-leave OBSERVATION 2024-09..2024-12 | 2024-09 OBSERVATION true 720.0 null null null",
                // 600 − 500 = 100 (20 %); 450 − 500 = −50 (−10 %); the MSAP has no objective.
                "P5 sick-leave MSAP 2024-09..2025-02 | 2024-07 MSO true 600.0 500.0 100.0 20.0",
                "P5 sick-leave MSAP 2024-09..2025-02 | 2024-08 MSO false 450.0 500.0 -50.0 -10.0",
                "P5 sick-leave MSAP 2024-09..2025-02 | 2024-09 MSAP true 610.0 null null null"), rows);
    }

    @Test
    void theEarlierStatesAreThoseStoredBeforeTheMonth(@TempDir Path work) throws IOException {
        Store store = Store.local(work);
        ProcedureTracking.write(ProcedureTracking.stateFile(store, YearMonth.of(2024, 7)),
                List.of(st("P1", SL, "2024-07", ProcedureStep.OBSERVATION, "2024-07", "2024-10", true, 1000.0, null)));
        ProcedureTracking.write(ProcedureTracking.stateFile(store, YearMonth.of(2024, 8)),
                List.of(st("P1", SL, "2024-08", ProcedureStep.OBSERVATION, "2024-07", "2024-10", true, 1010.0, null)));
        // A later month, left by a run of that month before this month is re-run; and a stray file.
        ProcedureTracking.write(ProcedureTracking.stateFile(store, YearMonth.of(2024, 10)),
                List.of(st("P1", SL, "2024-10", ProcedureStep.OBSERVATION, "2024-07", "2024-10", true, 1020.0, null)));
        Files.writeString(work.resolve("state/procedure/notes.txt"), "x");

        List<String> read = FollowUp.earlier(store, YearMonth.of(2024, 10)).stream()
                .map(s -> s.month() + " " + s.prescriber() + " " + s.step() + " " + s.ijDays()).toList();

        assertEquals(List.of("2024-07 P1 OBSERVATION 1000.0", "2024-08 P1 OBSERVATION 1010.0"), read);
    }

    static String around(FollowUp.Row r) {
        return String.join(" ", r.prescriber(), r.currentStep().name(), r.currentSince() + ".." + r.currentUntil(), "|",
                r.month().toString(), r.step().name(), String.valueOf(r.ijDays()), String.valueOf(r.gap()), "|",
                String.valueOf(r.anticipation()), String.valueOf(r.anticipationPercent()), String.valueOf(r.rebound()),
                String.valueOf(r.reboundPercent()));
    }

    /**
     * Anticipation over the 2 months before the observation began, and the rebound of the procedures closed
     * within the last 3 months (anticipation-months 2, rebound-months 3), in September 2024.
     */
    @Test
    void theFollowUpShowsTheAnticipationBeforeTheObservationAndTheReboundAfterAClosedProcedure() {
        List<ProcedureState> earlier = List.of(
                // P1: DAM, EC in March, observation from June: M0 = 2024-06, anticipation from 2024-03 to 2024-05.
                st("P1", SL, "2024-01", ProcedureStep.DAM, "2024-01", null, true, 1000.0, null),
                st("P1", SL, "2024-02", ProcedureStep.DAM, "2024-01", null, true, 1100.0, null),
                st("P1", SL, "2024-03", ProcedureStep.EC, "2024-03", null, true, 1250.0, null),
                st("P1", SL, "2024-04", ProcedureStep.EC, "2024-03", null, true, 1400.0, null),
                st("P1", SL, "2024-05", ProcedureStep.EC, "2024-03", null, true, 1500.0, null),
                st("P1", SL, "2024-06", ProcedureStep.OBSERVATION, "2024-06", "2024-09", true, 1320.0, null),
                st("P1", SL, "2024-07", ProcedureStep.OBSERVATION, "2024-06", "2024-09", true, 1330.0, null),
                st("P1", SL, "2024-08", ProcedureStep.OBSERVATION, "2024-06", "2024-09", true, 1340.0, null),
                // P2: observation from January (December not stored: no anticipation), MSO April to July
                // (objective 800), met: closed in August (NONE is not stored).
                st("P2", SL, "2024-01", ProcedureStep.OBSERVATION, "2024-01", "2024-03", true, 1000.0, null),
                st("P2", SL, "2024-03", ProcedureStep.OBSERVATION, "2024-01", "2024-03", true, 1000.0, null),
                st("P2", SL, "2024-04", ProcedureStep.MSO, "2024-04", "2024-07", true, 1000.0, 800.0),
                st("P2", SL, "2024-05", ProcedureStep.MSO, "2024-04", "2024-07", true, 900.0, 800.0),
                st("P2", SL, "2024-06", ProcedureStep.MSO, "2024-04", "2024-07", true, 850.0, 800.0),
                st("P2", SL, "2024-07", ProcedureStep.MSO, "2024-04", "2024-07", false, 760.0, 800.0),
                // P3: MSO ended in April: 2024-09 is after 2024-04 + 3, no longer watched.
                st("P3", SL, "2024-04", ProcedureStep.MSO, "2024-01", "2024-04", true, 700.0, 600.0),
                // P4: closed after an EC (improved): no procedure, no rebound.
                st("P4", SL, "2024-08", ProcedureStep.EC, "2024-03", null, false, 300.0, null),
                // P5: EC, observation May to August, closed this month (improved).
                st("P5", SL, "2024-02", ProcedureStep.EC, "2024-02", null, true, 400.0, null),
                st("P5", SL, "2024-04", ProcedureStep.EC, "2024-02", null, true, 500.0, null),
                st("P5", SL, "2024-05", ProcedureStep.OBSERVATION, "2024-05", "2024-08", true, 600.0, null),
                st("P5", SL, "2024-06", ProcedureStep.OBSERVATION, "2024-05", "2024-08", true, 610.0, null),
                st("P5", SL, "2024-07", ProcedureStep.OBSERVATION, "2024-05", "2024-08", true, 620.0, null),
                st("P5", SL, "2024-08", ProcedureStep.OBSERVATION, "2024-05", "2024-08", true, 640.0, null),
                // P6: MSO to July (objective 700, missed by 20 days but recorded met by the team), a new DAM visit in
                // September: still watched, its current step the DAM visit.
                st("P6", SL, "2024-07", ProcedureStep.MSO, "2024-04", "2024-07", false, 720.0, 700.0));
        List<ProcedureState> month = List.of(
                st("P1", SL, "2024-09", ProcedureStep.OBSERVATION, "2024-06", "2024-09", true, 1350.0, null),
                st("P5", SL, "2024-09", ProcedureStep.NONE, null, null, false, 500.0, null),
                st("P6", SL, "2024-09", ProcedureStep.DAM, "2024-09", null, false, 756.0, null));
        // The month's volumes: P2 has no state this month; P5's state carries its own (500, not 999).
        Map<String, Double> now = Map.of("P2", 798.0, "P5", 999.0, "P3", 650.0, "P4", 200.0);

        List<String> rows = FollowUp.rows(YearMonth.of(2024, 9), month, earlier, now, new FollowUp.Windows(2, 3)).stream()
                .map(FollowUpTest::around).toList();

        // P1: 1 500 (2024-05) − 1 250 (2024-03) = 250 days, 250 / 1 250 = 20 %, on every row.
        String p1 = "P1 OBSERVATION 2024-06..2024-09 | ";
        // P2: the MSO's months then September; rebound 798 − 760 (2024-07) = 38 days, 38 / 760 = 5 %.
        String p2 = "P2 NONE 2024-08..2024-10 | ";
        // P5: anticipation 500 (2024-04) − 400 (2024-02) = 100, 25 %; rebound 500 − 640 = −140, −21.875 %.
        String p5 = "P5 NONE 2024-09..2024-11 | ";
        assertEquals(List.of(
                p1 + "2024-03 EC 1250.0 null | 250.0 20.0 null null",
                p1 + "2024-04 EC 1400.0 null | 250.0 20.0 null null",
                p1 + "2024-05 EC 1500.0 null | 250.0 20.0 null null",
                p1 + "2024-06 OBSERVATION 1320.0 null | 250.0 20.0 null null",
                p1 + "2024-07 OBSERVATION 1330.0 null | 250.0 20.0 null null",
                p1 + "2024-08 OBSERVATION 1340.0 null | 250.0 20.0 null null",
                p1 + "2024-09 OBSERVATION 1350.0 null | 250.0 20.0 null null",
                p2 + "2024-04 MSO 1000.0 200.0 | null null null null",
                p2 + "2024-05 MSO 900.0 100.0 | null null null null",
                p2 + "2024-06 MSO 850.0 50.0 | null null null null",
                p2 + "2024-07 MSO 760.0 -40.0 | null null null null",
                p2 + "2024-09 NONE 798.0 null | null null 38.0 5.0",
                p5 + "2024-05 OBSERVATION 600.0 null | 100.0 25.0 null null",
                p5 + "2024-06 OBSERVATION 610.0 null | 100.0 25.0 null null",
                p5 + "2024-07 OBSERVATION 620.0 null | 100.0 25.0 null null",
                p5 + "2024-08 OBSERVATION 640.0 null | 100.0 25.0 null null",
                p5 + "2024-09 NONE 500.0 null | 100.0 25.0 -140.0 -21.875",
                // P6: no observation stored (no anticipation); rebound 756 − 720 = 36 days, 5 %.
                "P6 DAM 2024-08..2024-10 | 2024-07 MSO 720.0 20.0 | null null null null",
                "P6 DAM 2024-08..2024-10 | 2024-09 DAM 756.0 null | null null 36.0 5.0"), rows);

        // Without the windows: the trajectory alone, as before (P2 and P5 closed: not followed).
        assertEquals(7, FollowUp.rows(month, earlier).size());
        assertEquals(null, FollowUp.rows(month, earlier).get(0).anticipation());
    }
}
