package fr.atypie.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.errors.InputError;
import fr.atypie.procedure.Contact.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactStoreTest {
    @TempDir
    Path work;

    static final ProcedureSettings.Steps STEPS = ProcedureMachineTest.STEPS;

    @Test
    void aPlantedProcedureRunMonthByMonthThroughTheStoreAndTheCarriedState() throws IOException {
        // The team's store: P1 visited by a DAM in January, EC in April (P1 does not improve: the
        // criterion holds every month); P2 had an EC on antibiotics only; one line still proposed.
        Path store = work.resolve("state/contacts.csv");
        Files.createDirectories(store.getParent());
        Files.writeString(store, """
                prescriber_id;theme;action;month;outcome;source
                P1;sick-leave;DAM;2024-01;DONE;équipe
                P1;sick-leave;EC;2024-04;DONE;équipe
                P2;antibiotics;EC;2024-02;DONE;équipe
                P3;sick-leave;DAM;2024-03;PROPOSED;ciblage 2024-02
                P4;sick-leave;DAM;2024-02;REFUSED;équipe
                """);
        List<String> transitions = new ArrayList<>();
        for (YearMonth m = YearMonth.of(2024, 1); !m.isAfter(YearMonth.of(2024, 12)); m = m.plusMonths(1)) {
            ContactStore contacts = ContactStore.read(store);
            Map<String, ProcedureState> previous = ProcedureTracking.ofTheme(
                    ProcedureTracking.read(ProcedureTracking.stateFile(work, m.minusMonths(1))), ProcedureTracking.SICK_LEAVE);
            List<ProcedureState> states = ProcedureTracking.advance(previous, m, ProcedureTracking.SICK_LEAVE,
                    Set.of("P1", "P4"), Map.of("P1", 1000.0), contacts, STEPS);
            ProcedureTracking.write(ProcedureTracking.stateFile(work, m), states);
            contacts.withProposals(ProcedureTracking.proposals(states, previous, m)).write(store);
            states.stream().filter(ProcedureState::changed).forEach(s -> transitions.add(s.month() + " " + s.prescriber()
                    + " " + s.step() + ": " + s.reason()));
        }
        assertEquals(List.of(
                "2024-01 P1 DAM: Visite DAM réalisée en 2024-01.",
                "2024-02 P4 DAM: Visite DAM refusée en 2024-02.",
                "2024-04 P1 EC: Échange confraternel réalisé en 2024-04 ; critère légal toujours rempli après la visite DAM de 2024-01.",
                "2024-07 P1 OBSERVATION: Critère légal toujours rempli en 2024-07, 3 mois après l'EC de 2024-04 : période "
                        + "d'observation de 4 mois, jusqu'à 2024-10.",
                "2024-11 P1 MSO: Critère légal toujours rempli à la fin de l'observation (2024-07 à 2024-10) : MSO proposée "
                        + "jusqu'à 2025-02, objectif au plus 800 jours d'IJ prescrits sur 12 mois (−20 %)."), transitions);
        // The store now asks the team, once each, for P4's EC (criterion persisting 3 months after the
        // DAM visit: May) and for P1's answer to the MSO (November); P3's proposed visit was never
        // made, so P3 has no state.
        ContactStore after = ContactStore.read(store);
        assertEquals(List.of("P4 EC 2024-05 PROPOSED", "P1 MSO 2024-11 PROPOSED"), after.contacts().stream()
                .filter(c -> c.source().startsWith("procédure")).map(c -> c.prescriber() + " " + c.action() + " " + c.month()
                        + " " + c.outcome()).toList());
        assertEquals(7, after.contacts().size());
        assertEquals("EC à proposer : critère légal persistant après la visite DAM.", ProcedureTracking.read(
                ProcedureTracking.stateFile(work, YearMonth.of(2024, 12))).get("P4|sick-leave").nextStep());
        // Re-running November adds nothing.
        ContactStore again = after.withProposals(ProcedureTracking.proposals(List.copyOf(ProcedureTracking.read(
                ProcedureTracking.stateFile(work, YearMonth.of(2024, 11))).values()), ProcedureTracking.ofTheme(
                ProcedureTracking.read(ProcedureTracking.stateFile(work, YearMonth.of(2024, 10))), "sick-leave"),
                YearMonth.of(2024, 11)));
        assertEquals(7, again.contacts().size());
        // The carried state of December: P1 under MSO with its objective.
        ProcedureState dec = ProcedureTracking.read(ProcedureTracking.stateFile(work, YearMonth.of(2024, 12))).get("P1|sick-leave");
        assertEquals(ProcedureStep.MSO, dec.step());
        assertEquals(800.0, dec.objective());
        assertEquals(Optional.of(YearMonth.of(2025, 2)), dec.until());
    }

    @Test
    void exclusionIsByThemeAndAction() {
        ContactStore s = new ContactStore(List.of(
                new Contact("P1", "sick-leave", Action.EC, YearMonth.of(2024, 3), Outcome.DONE, "t"),
                new Contact("P2", "sick-leave", Action.EC, YearMonth.of(2024, 3), Outcome.PROPOSED, "t")));
        YearMonth dec = YearMonth.of(2024, 12);
        assertTrue(s.recently("P1", "sick-leave", Action.EC, dec, 12));
        assertFalse(s.recently("P1", "sick-leave", Action.EC, YearMonth.of(2025, 3), 12));
        assertFalse(s.recently("P1", "antibiotics", Action.EC, dec, 12));
        assertFalse(s.recently("P1", "sick-leave", Action.OBSERVATION, dec, 12));
        assertFalse(s.recently("P2", "sick-leave", Action.EC, dec, 12), "a proposal is not a contact");
    }

    @Test
    void historyLinesBecomeContactsWithTheirOutcome() {
        CampaignHistory h = new CampaignHistory(List.of(
                new CampaignContact("c1", "P1", Action.EC, "sick-leave", YearMonth.of(2024, 2), Optional.empty(), "refus"),
                new CampaignContact("c1", "P2", Action.MSO, "sick-leave", YearMonth.of(2024, 2), Optional.empty(),
                        "objectif non atteint"),
                new CampaignContact("c1", "P3", Action.DAM, "sick-leave", YearMonth.of(2024, 2), Optional.empty(), "ciblage 2024-01")));
        assertEquals(List.of(Outcome.REFUSED, Outcome.OBJECTIVE_NOT_MET, Outcome.DONE),
                ContactStore.empty().withHistory(h).contacts().stream().map(Contact::outcome).toList());
    }

    @Test
    void badLinesAreNamedWithTheirCount() throws IOException {
        Path f = work.resolve("contacts.csv");
        Files.writeString(f, "prescriber_id;theme;action;month;outcome;source\nP1;sick-leave;VISIT;2024-01;DONE;x\n"
                + "P1;sick-leave;EC;2024-13;DONE;x\nP1;sick-leave;EC;2024-02;DONE;x\n");
        InputError e = assertThrows(InputError.class, () -> ContactStore.read(f));
        assertTrue(e.getMessage().contains("2 bad line(s) of 3"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2: No enum constant"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3: Text '2024-13'"), e.getMessage());
        assertEquals(List.of(), ContactStore.read(work.resolve("absent.csv")).contacts());
    }
}
