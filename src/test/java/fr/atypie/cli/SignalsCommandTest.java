package fr.atypie.cli;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.prs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.fs.Store;
import fr.atypie.procedure.ProcedureState;
import fr.atypie.procedure.ProcedureStep;
import fr.atypie.procedure.ProcedureTracking;
import fr.atypie.snds.SndsFixture;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly run through the CLI on a hand-written extract (flux 2025-01): doctor H1, absent from DA_PRA_R,
 * under observation, initiates 1, 2, 3 then 4 sick leaves (10 patients) in the four weeks ending 2024-12-31;
 * insured Q1, on sick leave since 2024-10-31, reaches day 60 on 2024-12-29.
 */
class SignalsCommandTest {
    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    static int line = 0;

    static SndsFixture ij(String patient, String from, String to, String prescriber) {
        line++;
        double days = d(to).toLocalDate().toEpochDay() - d(from).toLocalDate().toEpochDay() + 1;
        return prs().keys(line).flux("2025-01-01").with(BEN_NIR_PSA, patient).with(PRS_NAT_REF, 6110).with(RGO_ASU_NAT, 10)
                .with(EXE_SOI_DTD, d(from)).with(EXE_SOI_DTF, d(to)).with(PRS_ACT_QTE, days).with(PRS_ACT_NBR, days)
                .with(BSE_REM_MNT, 30 * days).with(PRS_PAI_MNT, 30 * days).with(PFS_PRE_NUM, prescriber)
                .with(PFS_EXE_NUM, prescriber).with(PSP_SPE_COD, 1);
    }

    @Test
    void theWeeklyRunSignalsTheRisingPrescriberUnderProcedureAndTheInsuredReachingDay60(@TempDir Path dir) throws IOException {
        List<SndsFixture> rows = new ArrayList<>();
        // Weeks 12-04..12-10: 1 spell, 12-11..12-17: 2, 12-18..12-24: 3, 12-25..12-31: 4 (patients P1 to P10).
        String[][] starts = {{"2024-12-05"}, {"2024-12-11", "2024-12-16"}, {"2024-12-18", "2024-12-20", "2024-12-23"},
            {"2024-12-25", "2024-12-26", "2024-12-27", "2024-12-30"}};
        int p = 0;
        for (String[] week : starts) {
            for (String start : week) {
                p++;
                rows.add(ben("P" + p));
                rows.add(ij("P" + p, start, start, "H1"));
            }
        }
        rows.add(ben("Q1"));
        rows.add(ij("Q1", "2024-10-31", "2024-11-30", "D1"));
        rows.add(ij("Q1", "2024-12-01", "2024-12-31", "D1"));
        rows.add(SndsFixture.pra("D1", "1"));
        Path extract = dir.resolve("extract");
        SndsFixture.write(SndsFixture.extract(rows.toArray(SndsFixture[]::new)), extract);
        Path work = dir.resolve("work");
        ProcedureTracking.write(ProcedureTracking.stateFile(Store.local(work), YearMonth.of(2024, 12)), List.of(
                new ProcedureState("H1", ProcedureTracking.SICK_LEAVE, YearMonth.of(2024, 12), ProcedureStep.OBSERVATION,
                        Optional.of(YearMonth.of(2024, 11)), Optional.of(YearMonth.of(2025, 2)), true, true, 500.0, null,
                        false, false, "r", "n")));
        Path out = dir.resolve("signals");

        assertEquals(ExitCodes.OK, AtypieCli.execute("signals", "--week", "--extract", extract.toString(), "--out",
                out.toString(), "--work", work.toString()));

        Path week = out.resolve("week-ending-2024-12-31");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(week)));
        List<String> signals = Files.readAllLines(week.resolve("signaux.csv"), StandardCharsets.UTF_8);
        assertEquals(2, signals.size(), signals.toString());
        String h1 = signals.get(1);
        assertTrue(h1.startsWith("2024-12-25;2024-12-31;034;MANDATORY;PROCEDURE_RISING;1;oui;H1;1, 2, 3, 4;;"
                + "Période d'observation depuis 2024-11 : arrêts initiés par semaine 1, 2, 3, 4"), h1);
        assertTrue(h1.endsWith(";10;non"), h1);
        assertTrue(h1.contains("en hausse chaque semaine."), h1);
        // One insured reaching day 60: the count is hidden.
        List<String> counts = Files.readAllLines(week.resolve("arrets-longs.csv"), StandardCharsets.UTF_8);
        assertEquals(List.of("2024-12-25;2024-12-31;034;60;;oui"), counts.subList(1, counts.size()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(week.resolve("signaux.csv"))));
        // The nominative list: in the working area only, restricted.
        Path medical = work.resolve("signals/week-ending-2024-12-31/medical-service");
        List<String> listed = Files.readAllLines(medical.resolve("arrets-longs-034.csv"), StandardCharsets.UTF_8);
        assertEquals(2, listed.size(), listed.toString());
        assertEquals("034;Q1:1;2024-10-31;60;2024-12-29;62;oui;D1", listed.get(1));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(medical)));
        assertEquals(List.of(), ValidateCommandTest.scratchFolders(work), "the validated lines' scratch folder is gone");
        try (Stream<Path> s = Files.walk(out)) {
            assertFalse(s.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8).contains("Q1:");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }), "no patient pseudonym under OUT");
        }
        // Without --week: usage.
        assertEquals(ExitCodes.USAGE, AtypieCli.execute("signals", "--extract", extract.toString()));
    }
}
