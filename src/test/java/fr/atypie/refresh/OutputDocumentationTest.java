package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every published column is documented in the analysts' guide (docs/analysts.md, outputs section), under its own name. */
class OutputDocumentationTest {
    @Test
    void theAnalystsGuideDocumentsEveryPublishedColumn() throws IOException {
        String guide = Files.readString(Path.of("docs/analysts.md"));
        String outputs = guide.substring(guide.indexOf("\n## Outputs"), guide.indexOf("\n## Campaign evaluation"));
        List<String> missing = new ArrayList<>();
        List<Columns> tables = new ArrayList<>(OutputTables.ALL);
        tables.add(EstablishmentOutputs.PROFILES);
        for (Columns table : tables) {
            for (String column : table.schema().fieldNames()) {
                if (!outputs.contains("`" + column + "`")) {
                    missing.add(column);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyColumnHasOneFrenchLabelDistinctWithinItsTable() {
        List<Columns> tables = new ArrayList<>(OutputTables.ALL);
        tables.add(EstablishmentOutputs.PROFILES);
        for (Columns table : tables) {
            List<String> headers = OutputTables.labels(table).headers("t", List.of(table.schema().fieldNames()));
            assertEquals(table.schema().size(), new java.util.HashSet<>(headers).size(), "two columns share a header: " + headers);
        }
        // The same name may mean different things in two tables: each header says which.
        assertEquals("Tendance attendue (EUR)", OutputTables.labels(OutputTables.TREND).labels().get("expected"));
        assertEquals("Attendu à structure régionale", OutputTables.labels(OutputTables.INDICATORS).labels().get("expected"));
    }
}
