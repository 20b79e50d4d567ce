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
        for (Columns table : List.of(OutputTables.INDICATORS, OutputTables.TREND, OutputTables.SCORECARD,
                OutputTables.SCORE, OutputTables.SEGMENTS, OutputTables.METRICS, OutputTables.TARGETING,
                OutputTables.TYPOLOGY)) {
            for (String column : table.schema().fieldNames()) {
                if (!outputs.contains("`" + column + "`")) {
                    missing.add(column);
                }
            }
        }
        assertEquals(List.of(), missing);
    }
}
