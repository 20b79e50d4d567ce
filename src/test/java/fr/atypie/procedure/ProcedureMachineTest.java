package fr.atypie.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.procedure.Contact.Outcome;
import fr.atypie.procedure.ProcedureMachine.MonthInput;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProcedureMachineTest {
    /** The defaults of conf/procedure.conf: persistence 3 months after a step, follow 12, observation 4, MSO 4, MSAP 6. */
    static final ProcedureSettings.Steps STEPS = new ProcedureSettings.Steps(3, true, 12, 4, 4, 6, 0.2);
    static final YearMonth START = YearMonth.of(2024, 1);

    static Contact contact(Action a, String month, Outcome o) {
        return new Contact("P1", "sick-leave", a, YearMonth.parse(month), o, "test");
    }

    /** Runs the machine from NONE in 2023-12 over consecutive months; criterion and IJ days per month, contacts by month. */
    static List<ProcedureState> run(ProcedureSettings.Steps s, int months, Map<String, Boolean> criterionOff,
                                    Map<String, Double> ijDays, Contact... contacts) {
        ProcedureState st = ProcedureState.none("P1", "sick-leave", START.minusMonths(1));
        List<ProcedureState> out = new ArrayList<>();
        for (int i = 0; i < months; i++) {
            YearMonth m = START.plusMonths(i);
            List<Contact> of = List.of(contacts).stream().filter(c -> c.month().equals(m)).toList();
            st = ProcedureMachine.next(st, m, new MonthInput(!criterionOff.getOrDefault(m.toString(), false),
                    ijDays.getOrDefault(m.toString(), 1000.0), of), s);
            out.add(st);
        }
        return out;
    }

    static ProcedureState at(List<ProcedureState> states, String month) {
        return states.stream().filter(s -> s.month().equals(YearMonth.parse(month))).findFirst().orElseThrow();
    }

    /** Months where the step changed, with the new step: "2024-01 DAM". */
    static List<String> changes(List<ProcedureState> states) {
        return states.stream().filter(ProcedureState::changed).map(s -> s.month() + " " + s.step()).toList();
    }

    @Test
    void plantedProcedureEcThenObservationThenMsoThenMsapThenPenaltyEachAtItsMonthWithItsReason() {
        // DAM visit in January; EC in April (criterion met ever since); the prescriber does not
        // improve: 1 000 IJ days on each window, so the MSO objective (800) is not met.
        List<ProcedureState> s = run(STEPS, 24, Map.of(), Map.of(),
                contact(Action.DAM, "2024-01", Outcome.DONE), contact(Action.EC, "2024-04", Outcome.DONE));
        assertEquals(List.of("2024-01 DAM", "2024-04 EC", "2024-07 OBSERVATION", "2024-11 MSO", "2025-03 MSAP",
                "2025-09 PENALTY_PROPOSED"), changes(s));
        assertEquals("Visite DAM réalisée en 2024-01.", at(s, "2024-01").reason());
        assertEquals("Échange confraternel réalisé en 2024-04 ; critère légal toujours rempli après la visite DAM de 2024-01.",
                at(s, "2024-04").reason());
        ProcedureState obs = at(s, "2024-07");
        assertEquals("Critère légal toujours rempli en 2024-07, 3 mois après l'EC de 2024-04 : période d'observation "
                + "de 4 mois, jusqu'à 2024-10.", obs.reason());
        assertEquals(Optional.of(YearMonth.of(2024, 10)), obs.until());
        // Observation runs July to October, unchanged.
        assertEquals(ProcedureStep.OBSERVATION, at(s, "2024-10").step());
        ProcedureState mso = at(s, "2024-11");
        assertEquals(800.0, mso.objective());
        assertEquals(Optional.of(YearMonth.of(2025, 2)), mso.until());
        assertEquals("Critère légal toujours rempli à la fin de l'observation (2024-07 à 2024-10) : MSO proposée jusqu'à "
                + "2025-02, objectif au plus 800 jours d'IJ prescrits sur 12 mois (−20 %).", mso.reason());
        assertEquals("Objectif de la MSO (2024-11 à 2025-02) non atteint (1\u202f000 jours d'IJ prescrits sur 12 mois pour un "
                + "objectif de 800) : MSAP jusqu'à 2025-08.", at(s, "2025-03").reason());
        assertEquals(ProcedureStep.MSAP, at(s, "2025-08").step());
        assertEquals("Critère légal toujours rempli après la MSAP (2025-03 à 2025-08) : pénalité financière à proposer "
                + "au directeur.", at(s, "2025-09").reason());
        assertEquals("MSO à proposer en 2024-11 si le critère légal est encore rempli.", at(s, "2024-08").nextStep());
    }

    @Test
    void msoObjectiveMetByTheMeasuredVolumeClosesTheProcedureAsImproved() {
        List<ProcedureState> s = run(STEPS, 16, Map.of(), Map.of("2025-03", 800.0),
                contact(Action.DAM, "2024-01", Outcome.DONE), contact(Action.EC, "2024-04", Outcome.REFUSED));
        assertEquals("Échange confraternel refusé en 2024-04 ; critère légal toujours rempli après la visite DAM de 2024-01.",
                at(s, "2024-04").reason());
        ProcedureState end = at(s, "2025-03");
        assertEquals(ProcedureStep.NONE, end.step());
        assertTrue(end.improved());
        assertEquals("Objectif de la MSO (2024-11 à 2025-02) atteint (800 jours d'IJ prescrits sur 12 mois pour un "
                + "objectif de 800) ; procédure close.", end.reason());
    }

    @Test
    void recordedOutcomesWin_objectiveMetOrMsoRefused() {
        List<ProcedureState> met = run(STEPS, 15, Map.of(), Map.of(), contact(Action.DAM, "2024-01", Outcome.DONE),
                contact(Action.EC, "2024-04", Outcome.DONE), contact(Action.MSO, "2025-03", Outcome.OBJECTIVE_MET));
        assertEquals("Objectif de la MSO (2024-11 à 2025-02) atteint (résultat enregistré par l'équipe) ; procédure close.",
                at(met, "2025-03").reason());
        List<ProcedureState> refused = run(STEPS, 15, Map.of(), Map.of(), contact(Action.DAM, "2024-01", Outcome.DONE),
                contact(Action.EC, "2024-04", Outcome.DONE), contact(Action.MSO, "2024-12", Outcome.REFUSED));
        assertEquals(List.of("2024-01 DAM", "2024-04 EC", "2024-07 OBSERVATION", "2024-11 MSO", "2024-12 MSAP"),
                changes(refused));
        assertEquals("MSO refusée en 2024-12 : MSAP jusqu'à 2025-05.", at(refused, "2024-12").reason());
    }

    @Test
    void anEcNeedsAPriorDamVisitAndTheCriterionPersistingAfterIt() {
        // EC without DAM: recorded, not a step.
        List<ProcedureState> noDam = run(STEPS, 3, Map.of(), Map.of(), contact(Action.EC, "2024-02", Outcome.DONE));
        assertEquals(List.of(), changes(noDam));
        assertEquals("EC de 2024-02 non retenu comme étape de la procédure : pas de visite DAM préalable sur ce thème.",
                at(noDam, "2024-02").reason());
        // Allowed by configuration.
        ProcedureSettings.Steps direct = new ProcedureSettings.Steps(3, false, 12, 4, 4, 6, 0.2);
        assertEquals(List.of("2024-02 EC"), changes(run(direct, 3, Map.of(), Map.of(), contact(Action.EC, "2024-02", Outcome.DONE))));
        // EC two months after the DAM visit: the criterion has not yet been met 3 months after it.
        List<ProcedureState> early = run(STEPS, 4, Map.of(), Map.of(), contact(Action.DAM, "2024-01", Outcome.DONE),
                contact(Action.EC, "2024-03", Outcome.DONE));
        assertEquals(List.of("2024-01 DAM"), changes(early));
        assertTrue(at(early, "2024-03").reason().startsWith("EC de 2024-03 non retenu comme étape"));
        // The criterion met after the DAM visit, then gone: persistence is remembered, the EC counts.
        List<ProcedureState> later = run(STEPS, 8, Map.of("2024-05", true, "2024-06", true), Map.of(),
                contact(Action.DAM, "2024-01", Outcome.DONE), contact(Action.EC, "2024-06", Outcome.DONE));
        assertEquals(List.of("2024-01 DAM", "2024-06 EC"), changes(later));
        // A mere proposal is not a contact.
        assertEquals(List.of(), changes(run(STEPS, 3, Map.of(), Map.of(), contact(Action.DAM, "2024-01", Outcome.PROPOSED))));
    }

    @Test
    void observationStartsOnlyWhenTheCriterionPersistsAfterTheEcAndAlwaysEnds() {
        Map<String, Boolean> off = new TreeMap<>();
        for (String m : List.of("2024-07", "2024-08")) {
            off.put(m, true);
        }
        List<ProcedureState> s = run(STEPS, 12, off, Map.of(), contact(Action.DAM, "2024-01", Outcome.DONE),
                contact(Action.EC, "2024-04", Outcome.DONE));
        // Not met in July and August: observation from September, four months.
        assertEquals(List.of("2024-01 DAM", "2024-04 EC", "2024-09 OBSERVATION"), changes(s).subList(0, 3));
        assertEquals("Critère légal toujours rempli en 2024-09, 5 mois après l'EC de 2024-04 : période d'observation de "
                + "4 mois, jusqu'à 2024-12.", at(s, "2024-09").reason());
        // Improved during observation: January's window below the criterion closes it.
        List<ProcedureState> improved = run(STEPS, 13, Map.of("2024-11", true), Map.of(),
                contact(Action.DAM, "2024-01", Outcome.DONE), contact(Action.EC, "2024-04", Outcome.DONE));
        ProcedureState closed = at(improved, "2024-11");
        assertEquals(ProcedureStep.NONE, closed.step());
        assertTrue(closed.improved());
        assertEquals("Amélioré pendant l'observation (2024-07 à 2024-10) : critère légal non rempli en 2024-11 ; procédure close.",
                closed.reason());
        // No step lasts forever: over five years of a persisting criterion no observation, MSO or MSAP
        // outlasts its length, and the ladder ends closed.
        List<ProcedureState> long_ = run(STEPS, 60, Map.of(), Map.of(), contact(Action.DAM, "2024-01", Outcome.DONE),
                contact(Action.EC, "2024-04", Outcome.DONE));
        int run = 0;
        ProcedureStep last = null;
        for (ProcedureState st : long_) {
            run = st.step() == last ? run + 1 : 1;
            last = st.step();
            int max = switch (st.step()) {
                case OBSERVATION, MSO -> 4;
                case MSAP -> 6;
                case PENALTY_PROPOSED -> 12;
                default -> 60;
            };
            assertTrue(run <= max, st.month() + ": " + st.step() + " for " + run + " months");
        }
        assertEquals(ProcedureStep.NONE, long_.get(59).step());
        assertEquals("Procédure close 12 mois après la proposition de pénalité de 2025-09.", at(long_, "2026-09").reason());
    }

    @Test
    void aDamVisitOrAnEcWithoutPersistenceClosesAfterTheFollowMonthsAsImproved() {
        Map<String, Boolean> off = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            off.put(START.plusMonths(i).toString(), true);
        }
        List<ProcedureState> dam = run(STEPS, 14, off, Map.of(), contact(Action.DAM, "2024-01", Outcome.REFUSED));
        assertEquals("Visite DAM refusée en 2024-01.", at(dam, "2024-01").reason());
        assertEquals(List.of("2024-01 DAM", "2025-01 NONE"), changes(dam));
        assertTrue(at(dam, "2025-01").improved());
        assertEquals("Amélioré après la visite DAM de 2024-01 : critère légal non rempli dans les 12 mois suivants ; suivi clos.",
                at(dam, "2025-01").reason());
        // After the EC the criterion stops (from May): closed twelve months after the EC.
        Map<String, Boolean> offAfterEc = new TreeMap<>();
        for (int i = 4; i < 30; i++) {
            offAfterEc.put(START.plusMonths(i).toString(), true);
        }
        List<ProcedureState> ec = run(STEPS, 18, offAfterEc, Map.of(), contact(Action.DAM, "2024-01", Outcome.DONE),
                contact(Action.EC, "2024-04", Outcome.DONE));
        assertEquals(List.of("2024-01 DAM", "2024-04 EC", "2025-04 NONE"), changes(ec));
        assertEquals("Amélioré après l'EC de 2024-04 : critère légal non rempli dans les 12 mois suivants ; suivi clos.",
                at(ec, "2025-04").reason());
    }

    @Test
    void msapEndsClosedWhenTheCriterionIsNoLongerMet() {
        List<ProcedureState> s = run(STEPS, 15, Map.of("2025-03", true), Map.of(),
                contact(Action.DAM, "2024-01", Outcome.DONE), contact(Action.EC, "2024-04", Outcome.DONE),
                contact(Action.MSO, "2024-12", Outcome.REFUSED));
        // MSAP December to May; the criterion is met again in June: penalty. Without it in June: closed.
        List<ProcedureState> closed = run(STEPS, 20, Map.of("2025-06", true), Map.of(),
                contact(Action.DAM, "2024-01", Outcome.DONE), contact(Action.EC, "2024-04", Outcome.DONE),
                contact(Action.MSO, "2024-12", Outcome.REFUSED));
        assertEquals(ProcedureStep.MSAP, at(s, "2025-03").step());
        ProcedureState end = at(closed, "2025-06");
        assertEquals(ProcedureStep.NONE, end.step());
        assertTrue(end.improved());
        assertEquals("Amélioré après la MSAP (2024-12 à 2025-05) : critère légal non rempli en 2025-06 ; procédure close.",
                end.reason());
        assertFalse(at(closed, "2025-07").changed());
    }
}
