package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every published column is documented in the README (outputs section), under its own name. */
class OutputDocumentationTest {
    @Test
    void readmeDocumentsEveryPublishedColumn() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String outputs = readme.substring(readme.indexOf("## Outputs"), readme.indexOf("## Methods"));
        List<String> missing = new ArrayList<>();
        for (Columns table : OutputTables.ALL) {
            for (String column : table.schema().fieldNames()) {
                if (!outputs.contains("`" + column + "`")) {
                    missing.add(column);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyColumnHasOneFrenchLabel() {
        // Throws if a column name carries two different labels in two tables (CSV headers would lie).
        var labels = OutputTables.labels();
        for (Columns table : OutputTables.ALL) {
            assertEquals(table.schema().size(), labels.headers("t", List.of(table.schema().fieldNames())).size());
        }
    }
}
