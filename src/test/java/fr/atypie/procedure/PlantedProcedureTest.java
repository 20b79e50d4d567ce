package fr.atypie.procedure;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.synth.GenerationSummary;
import fr.atypie.synth.SynthConfig;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The planted multi-month procedure (issue 16, "Done when"): a tiny generated extract with
 * {@code atypie.synth.procedure} on (a GP at three times the norm on sick leave all along, a DAM
 * visit in 2024-01 and an EC in 2024-04 in {@code truth/contacts.csv}), then the month's procedure
 * run as the refresh runs it ({@link ProcedureTracking#run}) for each month of 2024, the state
 * carried in the working area's files and the contact store fed back, as the refresh does. No
 * refresh (one costs minutes): the extract is ingested once, each month's IJ days read from the
 * lines the extract held by then (flux month ≤ the month), and the 14 GPs of the extract's one
 * department compared in one peer group (one activity band).
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
class PlantedProcedureTest {
    static final YearMonth FIRST = YearMonth.of(2024, 1);
    static final int MONTHS = 12;

    @TempDir
    static Path dir;
    static String planted;
    static Path work;
    /** The planted GP's state, month by month. */
    static final Map<YearMonth, ProcedureState> byMonth = new TreeMap<>();
    /** Every state of every month (all prescribers). */
    static final List<ProcedureState> all = new ArrayList<>();
    static final Map<YearMonth, Double> ijDays = new TreeMap<>();
    static List<String> truthContacts;

    @BeforeAll
    static void generateThenRunTheMonths() throws IOException {
        Path conf = Files.writeString(dir.resolve("test.conf"), """
                atypie.synth { scale = 1, campaign.enabled = false, procedure.enabled = true }
                """);
        AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
        GenerationSummary gen = ExtractGenerator.generate(oneDepartment(config.synth()), dir.resolve("data"));
        truthContacts = Files.readAllLines(gen.truth().resolve("contacts.csv"));
        planted = truthContacts.get(1).split(";")[0];

        // The GPs, their department and practice: one peer group (comparable activity: one band).
        List<String[]> gps = Files.readAllLines(gen.truth().resolve("prescribers.csv")).stream().skip(1)
                .map(l -> l.split(",")).toList();
        Dataset<Row> periods = Ingestion.run(SharedSpark.get(), new ExtractLayout(gen.extract()), config)
                .events(EventTable.SICK_LEAVE_PERIODS).persist();

        // The teams' contact store starts as the planted record.
        work = dir.resolve("work");
        Path store = ProcedureTracking.contactStore(work);
        Files.createDirectories(store.getParent());
        Files.copy(gen.truth().resolve("contacts.csv"), store);
        // Spells once, as of the last month: a month's window only counts those started in it, initial prescriber known.
        Dataset<Row> spells = SickLeaveSpells.build(periods, FIRST.plusMonths(MONTHS - 1L).atEndOfMonth(),
                config.indicators().spellMaxGapDays()).persist();
        for (int i = 0; i < MONTHS; i++) {
            YearMonth month = FIRST.plusMonths(i);
            Dataset<Row> known = periods.where(col(EventColumns.FLUX_MONTH).leq(lit(Date.valueOf(month.atDay(1)))));
            Map<String, Row> volumes = new TreeMap<>();
            SickLeaveVolumes.byPrescriber(known, spells, month, config.indicators().windowMonths()).collectAsList()
                    .forEach(r -> volumes.put(r.getString(0), r));
            List<LegalCriterion.PrescriberVolume> of = new ArrayList<>();
            for (String[] gp : gps) {
                Row r = volumes.get(gp[0]);
                of.add(new LegalCriterion.PrescriberVolume(gp[0], gp[1], "médecine générale", Long.parseLong(gp[3]),
                        r == null ? 0 : r.getLong(1), r == null ? 0 : r.getDouble(2), r == null ? 0 : r.getLong(3)));
            }
            ContactStore contacts = ContactStore.read(store);
            ProcedureTracking.Month m = ProcedureTracking.run(work, month, of, contacts, config.procedure());
            contacts.withProposals(ProcedureTracking.proposals(m.states(), m.previous(), month)).write(store);
            all.addAll(m.states());
            m.states().stream().filter(s -> s.prescriber().equals(planted)).forEach(s -> byMonth.put(month, s));
            ijDays.put(month, volumes.get(planted).getDouble(2));
        }
        spells.unpersist();
        periods.unpersist();
    }

    /**
     * One small department (6 000 people, 14 GPs, half the usual practice size): few files and rows
     * to ingest, and 13 other GPs to compare with in the region and in the fund alike.
     */
    static SynthConfig oneDepartment(SynthConfig s) {
        return new SynthConfig(s.seed(), s.scale(), s.months(), s.firstMonth(), s.extraFluxMonths(), s.threads(),
                s.rowGroupMib(), s.region(), List.of(new SynthConfig.Department("34", "Hérault", 6_000, 14)), s.population(),
                s.practitioners(), s.care(), s.pharmacy(), s.transports(), s.sickLeave(), s.maternity(), s.mess(), s.truth(),
                s.campaign(), s.procedure());
    }

    @Test
    void theGeneratorRecordsADamVisitThenAnEcInTheContactStoresFormat() throws IOException {
        assertEquals(List.of("prescriber_id;theme;action;month;outcome;source",
                planted + ";sick-leave;DAM;2024-01;DONE;planted",
                planted + ";sick-leave;EC;2024-04;DONE;planted"), truthContacts);
    }

    @Test
    void eachTransitionComesAtItsMonthWithItsReason() {
        List<String> changes = byMonth.values().stream().filter(ProcedureState::changed)
                .map(s -> s.month() + " " + s.step()).toList();
        assertEquals(List.of("2024-01 DAM", "2024-04 EC", "2024-07 OBSERVATION", "2024-11 MSO"), changes);
        // The criterion persists: met every month from the EC on (three times the norm, the largest practice).
        for (YearMonth m = YearMonth.of(2024, 4); !m.isAfter(YearMonth.of(2024, 12)); m = m.plusMonths(1)) {
            assertTrue(byMonth.get(m).criterion(), m + ": " + byMonth.get(m));
        }
        assertEquals("Visite DAM réalisée en 2024-01.", byMonth.get(YearMonth.of(2024, 1)).reason());
        assertEquals("Échange confraternel réalisé en 2024-04 ; critère légal toujours rempli après la visite DAM de 2024-01.",
                byMonth.get(YearMonth.of(2024, 4)).reason());
        ProcedureState observation = byMonth.get(YearMonth.of(2024, 7));
        assertEquals("Critère légal toujours rempli en 2024-07, 3 mois après l'EC de 2024-04 : période d'observation de "
                + "4 mois, jusqu'à 2024-10.", observation.reason());
        assertEquals(Optional.of(YearMonth.of(2024, 10)), observation.until());
        assertEquals(ProcedureStep.OBSERVATION, byMonth.get(YearMonth.of(2024, 10)).step());
        assertEquals("MSO à proposer en 2024-11 si le critère légal est encore rempli.", byMonth.get(YearMonth.of(2024, 10)).nextStep());
        ProcedureState mso = byMonth.get(YearMonth.of(2024, 11));
        // Objective: the 12-month IJ days of the window ending 2024-11, less 20 %, rounded down.
        assertEquals(5800.0, mso.objective());
        assertEquals(5800.0, Math.floor(ijDays.get(YearMonth.of(2024, 11)) * 0.8));
        assertEquals(Optional.of(YearMonth.of(2025, 2)), mso.until());
        assertEquals("Critère légal toujours rempli à la fin de l'observation (2024-07 à 2024-10) : MSO proposée jusqu'à "
                + "2025-02, objectif au plus " + OBJECTIVE + " jours d'IJ prescrits sur 12 mois (−20 %).", mso.reason());
        assertEquals(ProcedureStep.MSO, byMonth.get(YearMonth.of(2024, 12)).step());
    }

    /** The MSO objective on the generated extract, as the reason prints it (French grouping: a narrow no-break space). */
    static final String OBJECTIVE = "5\u202f800";

    @Test
    void theStateIsCarriedInTheWorkingAreaAndTheMsoIsProposedInTheContactStore() throws IOException {
        Map<String, ProcedureState> carried = ProcedureTracking.read(ProcedureTracking.stateFile(work, YearMonth.of(2024, 11)));
        assertEquals(ProcedureStep.MSO, carried.get(planted + "|sick-leave").step());
        List<String> proposed = ContactStore.read(ProcedureTracking.contactStore(work)).contacts().stream()
                .filter(c -> c.prescriber().equals(planted) && c.outcome() == Contact.Outcome.PROPOSED)
                .map(c -> c.month() + " " + c.action() + " " + c.source()).toList();
        assertEquals(List.of("2024-11 MSO procédure 2024-11"), proposed);
    }

    /**
     * The follow-up as the refresh builds it in 2024-11 (the month's states and those stored before): the
     * observation's four months, then the MSO's first, against its objective.
     */
    @Test
    void theFollowUpOfNovemberShowsTheObservationThenTheMsoAgainstItsObjective() throws IOException {
        YearMonth november = YearMonth.of(2024, 11);
        List<ProcedureState> ofNovember = all.stream().filter(s -> s.month().equals(november)).toList();
        List<String> rows = FollowUp.rows(ofNovember, FollowUp.earlier(fr.atypie.fs.Store.local(work), november)).stream()
                .map(r -> String.join(" ", r.prescriber(), r.currentStep().name(), r.currentSince() + ".." + r.currentUntil(),
                        "|", r.month().toString(), r.step().name(), Boolean.toString(r.criterion()), String.valueOf(r.ijDays()),
                        String.valueOf(r.objective()), String.valueOf(r.gap())))
                .toList();
        List<String> expected = new ArrayList<>();
        for (YearMonth m = YearMonth.of(2024, 7); m.isBefore(november); m = m.plusMonths(1)) {
            expected.add(planted + " MSO 2024-11..2025-02 | " + m + " OBSERVATION true " + ijDays.get(m) + " null null");
        }
        double measured = ijDays.get(november);
        expected.add(planted + " MSO 2024-11..2025-02 | 2024-11 MSO true " + measured + " 5800.0 " + (measured - 5800.0));
        assertEquals(expected, rows);
        // The objective is the measured volume less 20 %: the gap is a quarter of it, give or take the rounding down.
        assertEquals(25.0, FollowUp.rows(ofNovember, List.of()).get(0).gapPercent(), 0.03);
    }

    @Test
    void noOtherPrescriberEntersTheProcedureWithoutAContact() {
        List<String> others = all.stream().filter(s -> !s.prescriber().equals(planted) && s.step() != ProcedureStep.NONE)
                .map(s -> s.month() + " " + s.prescriber() + " " + s.step()).toList();
        assertEquals(List.of(), others);
    }
}
