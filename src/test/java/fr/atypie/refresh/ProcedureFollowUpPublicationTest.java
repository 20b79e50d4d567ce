package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.XlsxReader;
import fr.atypie.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follow-up's publication on hand-written rows, no refresh: the restricted table, and one
 * workbook per department (a prescriber with no department in {@code suivi-inconnu.xlsx}), the
 * measures of a prescriber with fewer than 10 patients hidden.
 */
class ProcedureFollowUpPublicationTest {
    static final YearMonth MONTH = YearMonth.of(2024, 11);

    @Test
    void theFollowUpIsATableAndAWorkbookPerDepartment(@TempDir Path dir) throws Exception {
        AtypieConfig config = ConfigLoader.load(Optional.empty(), Map.of());
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"P1", "034", "sick-leave", "MSO", "2024-11", "2025-02", "2024-10", "OBSERVATION",
            "Période d'observation", true, 1000.0, null, null, null, null, null, null, null, 25L});
        rows.add(new Object[] {"P1", "034", "sick-leave", "MSO", "2024-11", "2025-02", "2024-11", "MSO",
            "MSO (mise sous objectif)", true, 1000.0, 800.0, 200.0, 25.0, -40.0, -4.0, null, null, 25L});
        rows.add(new Object[] {"P2", null, "sick-leave", "OBSERVATION", "2024-11", "2025-02", "2024-11", "OBSERVATION",
            "Période d'observation", true, 300.0, null, null, null, null, null, null, null, 4L});
        try (MonthlyRelease release = MonthlyRelease.open(Files.createDirectories(dir.resolve("out")), MONTH, "t1", config, Clock.systemUTC())) {
            release.restrictedFolder(Publisher.RESTRICTED);
            ProcedureOutputs.publishFollowUp(release, ProcedureOutputs.FOLLOW_UP.dataset(SharedSpark.get(), rows),
                    ProcedureOutputs.readMe(MONTH, config.procedure().steps(),
                            new fr.atypie.procedure.FollowUp.Windows(4, 6), 10));
            Path restricted = release.staging().resolve(Publisher.RESTRICTED);
            List<String> csv = Files.readAllLines(restricted.resolve("procedure_follow_up.csv"));
            assertEquals(4, csv.size(), csv.toString());
            assertTrue(Files.isRegularFile(restricted.resolve("procedure_follow_up.parquet")));
            assertTrue(Files.isRegularFile(release.staging().resolve("schemas/procedure_follow_up.avsc")));
            List<String> books;
            try (Stream<Path> s = Files.list(restricted.resolve("workbooks"))) {
                books = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertEquals(List.of("suivi-034.xlsx", "suivi-inconnu.xlsx"), books);

            XlsxReader x = new XlsxReader(restricted.resolve("workbooks/suivi-034.xlsx"));
            assertEquals(List.of("Lisez-moi", ProcedureOutputs.FOLLOW_UP_SHEET), x.sheetNames);
            List<List<Object>> sheet = x.cells(ProcedureOutputs.FOLLOW_UP_SHEET);
            List<Object> header = new ArrayList<>(ProcedureOutputs.FOLLOW_UP.labels().values());
            header.add("Secret statistique");
            assertEquals(header, sheet.get(0));
            assertEquals(3, sheet.size());
            assertEquals(List.of("P1", "034", "sick-leave", "MSO", "2024-11", "2025-02", "2024-11", "MSO",
                    "MSO (mise sous objectif)", "oui"), sheet.get(2).subList(0, 10));
            assertEquals(0, new java.math.BigDecimal("200").compareTo((java.math.BigDecimal) sheet.get(2).get(12)));
            // The anticipation, shown beside (25 patients).
            assertEquals(0, new java.math.BigDecimal("-40").compareTo((java.math.BigDecimal) sheet.get(2).get(14)));

            // Four patients: IJ days hidden, the step shown.
            List<List<Object>> unknown = new XlsxReader(restricted.resolve("workbooks/suivi-inconnu.xlsx"))
                    .cells(ProcedureOutputs.FOLLOW_UP_SHEET);
            assertEquals(List.of("P2", "inconnu", "sick-leave", "OBSERVATION"), unknown.get(1).subList(0, 4));
            assertEquals("< 10", unknown.get(1).get(10));
        }
    }
}
