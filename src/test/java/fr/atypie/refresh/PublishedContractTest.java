package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.publish.XlsxExport;
import fr.atypie.publish.XlsxReader;
import fr.atypie.testing.PublishedMonth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What a reader of the publication is told: each published column's definition, unit and
 * population in the Avro contract ({@code schemas/<table>.avsc}), and the workbooks' "Lisez-moi"
 * and empty-sheet notes, read from the month the shared fixture publishes.
 */
@Execution(ExecutionMode.CONCURRENT)   // waits for the shared month without holding other classes: see the pom
class PublishedContractTest {
    /** Every published table, by its name under schemas/. */
    static final Map<String, Columns> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("indicators", OutputTables.INDICATORS);
        TABLES.put("trend", OutputTables.TREND);
        TABLES.put("scorecard", OutputTables.SCORECARD);
        TABLES.put("scores", OutputTables.SCORE);
        TABLES.put("segments", OutputTables.SEGMENTS);
        TABLES.put("prescriber_metrics", OutputTables.METRICS);
        TABLES.put("targeting", OutputTables.TARGETING);
        TABLES.put("typology", OutputTables.TYPOLOGY);
        TABLES.put("legal_criterion", ProcedureOutputs.LEGAL);
        TABLES.put(ProcedureOutputs.STATE_TABLE, ProcedureOutputs.STATE);
        TABLES.put("trend_atypie", ProcedureOutputs.TREND);
        TABLES.put("long_sick_leave", ProcedureOutputs.LONG_LEAVE);
        TABLES.put(ProcedureOutputs.FOLLOW_UP_TABLE, ProcedureOutputs.FOLLOW_UP);
        TABLES.put(PrescriberReports.TREND_TABLE, PrescriberReports.TREND);
        TABLES.put(EstablishmentOutputs.TABLE, EstablishmentOutputs.PROFILES);
    }

    @Test
    void everyPublishedColumnHasADefinitionAUnitAndAPopulation() {
        assertTrue(TABLES.values().containsAll(OutputTables.ALL) && TABLES.values().containsAll(ProcedureOutputs.ALL),
                "a published table is missing from this test");
        List<String> missing = new ArrayList<>();
        TABLES.forEach((table, columns) -> {
            List<String> names = new ArrayList<>(List.of(columns.schema().fieldNames()));
            names.add("secret");
            for (String c : names) {
                if (FieldDocs.field(table, c, c).isEmpty()) {
                    missing.add(table + "." + c);
                }
            }
            if (FieldDocs.table(table).isEmpty()) {
                missing.add(table);
            }
        });
        assertEquals(List.of(), missing);
        // A table's own entry wins over the common one; the population defaults to the table's.
        FieldDocs.Field expected = FieldDocs.field("prescriber_metrics", "expected", "Attendu").orElseThrow();
        assertTrue(expected.definition().startsWith("Attendu E = Σ_s N_s · r_s"), expected.definition());
        assertTrue(expected.population().startsWith("Prescripteurs ayant au moins un patient"), expected.population());
        FieldDocs.Field dept = FieldDocs.field("long_sick_leave", "dept", "Département").orElseThrow();
        assertEquals("Département de résidence de l'assuré.", dept.definition());
    }

    @Test
    void thePublishedSchemasCarryTheDocumentation() throws IOException {
        Path schemas = PublishedMonth.get().publication().resolve("schemas");
        TreeSet<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(schemas)) {
            s.forEach(p -> files.add(p.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(TABLES.keySet().stream().map(t -> t + ".avsc").toList()), files);
        for (String file : files) {
            Schema schema = new Schema.Parser().parse(schemas.resolve(file).toFile());
            assertNotNull(schema.getDoc(), file);
            for (Schema.Field f : schema.getFields()) {
                String at = file + " " + f.name();
                assertNotNull(f.getProp("unit"), at);
                assertNotNull(f.getProp("population"), at);
                assertTrue(f.doc().startsWith(f.getProp("label") + " : "), at + ": " + f.doc());
            }
        }
        Schema.Field ratio = new Schema.Parser().parse(schemas.resolve("indicators.avsc").toFile()).getField("standardised_ratio");
        assertEquals("Ratio standardisé (observé / attendu) : Ratio standardisé : numérateur observé / attendu (1 = comme la "
                + "région à structure égale).", ratio.doc());
        assertEquals("sans unité (rapport)", ratio.getProp("unit"));
    }

    /** Workbooks open on "Lisez-moi", then the four lists; an empty list says why; specialties are named. */
    @Test
    void theWorkbooksExplainThemselves() throws Exception {
        Path folder = PublishedMonth.get().publication().resolve("restricted/workbooks");
        List<Path> books;
        // The action lists' workbooks (the follow-up's, suivi-<dept>.xlsx, have their own sheet).
        try (Stream<Path> s = Files.list(folder)) {
            books = s.filter(b -> b.getFileName().toString().startsWith("ciblage-")).sorted().toList();
        }
        assertTrue(books.size() >= 2, books.toString());
        int empty = 0;
        int named = 0;
        for (Path book : books) {
            XlsxReader x = new XlsxReader(book);
            List<String> expectedSheets = new ArrayList<>(List.of("Lisez-moi"));
            expectedSheets.addAll(XlsxExport.ACTION_SHEETS);
            assertEquals(expectedSheets, x.sheetNames, book.toString());
            List<List<Object>> readMe = x.cells("Lisez-moi");
            assertEquals(List.of("Rubrique", "Contenu"), readMe.get(0));
            assertTrue(readMe.contains(List.of("Fenêtre", "12 mois de soins glissants, de 2024-01 à 2024-12.")), readMe.toString());
            assertTrue(readMe.stream().anyMatch(r -> r.get(0).equals("Seuils") && r.get(1).toString().startsWith(
                    "Atypique : z ajusté ≥ 1,96 et ratio lissé ≥ 1,20 ; atypie forte : z ajusté ≥ 3,09")), readMe.toString());
            for (int i = 0; i < XlsxExport.ACTION_SHEETS.size(); i++) {
                List<List<Object>> sheet = x.cells(XlsxExport.ACTION_SHEETS.get(i));
                int specialty = sheet.get(0).indexOf("Spécialité");
                if (sheet.size() == 2 && sheet.get(1).size() == 1) {
                    assertEquals(List.of(Publisher.EMPTY_NOTES.get(i)), sheet.get(1), book + " " + XlsxExport.ACTION_SHEETS.get(i));
                    empty++;
                    continue;
                }
                for (List<Object> row : sheet.subList(1, sheet.size())) {
                    assertTrue(row.get(specialty).toString().matches(".+ \\(\\d+\\)"), row.toString());
                    named++;
                }
            }
        }
        assertTrue(empty > 0 && named > 0, empty + " empty sheets, " + named + " rows");
    }
}
