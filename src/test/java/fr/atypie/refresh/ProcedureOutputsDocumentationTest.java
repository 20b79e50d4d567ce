package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The procedure tables' columns are documented in the analysts' guide's procedure subsection, each with its own header. */
class ProcedureOutputsDocumentationTest {
    @Test
    void everyProcedureColumnIsDocumentedInItsSubsection() throws IOException {
        String section = documentedColumns("### The procedure of art. L162-1-15", ProcedureOutputs.ALL);
        for (String t : List.of("legal_criterion", "procedure_state", "trend_atypie", "long_sick_leave", "contacts.csv",
                "medical-service", ProcedureOutputs.FOLLOW_UP_TABLE, ProcedureOutputs.FOLLOW_UP_WORKBOOK + "-<dept>.xlsx")) {
            assertEquals(true, section.contains(t), t + " is not documented");
        }
    }

    @Test
    void everyColumnOfTheWeeklySignalsIsDocumentedInItsSubsection() throws IOException {
        String section = documentedColumns("### Weekly signals (`atypie signals --week`)",
                List.of(WeeklyRun.SIGNALS, WeeklyRun.LONG_LEAVE));
        for (String t : List.of("signaux.csv", "arrets-longs.csv", "medical-service", "lookback-months", "rising-weeks",
                "recent-weeks", "baseline-weeks", "default-capacity", "PROCEDURE_RISING", "TREND")) {
            assertEquals(true, section.contains(t), t + " is not documented");
        }
    }

    /** The analysts' guide subsection under {@code heading}, after checking it names every column of {@code tables}, each with its own header. */
    private static String documentedColumns(String heading, List<Columns> tables) throws IOException {
        String guide = Files.readString(Path.of("docs/analysts.md"));
        int from = guide.indexOf(heading);
        String section = guide.substring(from, guide.indexOf("\n## ", from));
        List<String> missing = new ArrayList<>();
        for (Columns table : tables) {
            for (String column : table.schema().fieldNames()) {
                if (!section.contains("`" + column + "`")) {
                    missing.add(column);
                }
            }
            List<String> headers = OutputTables.labels(table).headers("t", List.of(table.schema().fieldNames()));
            assertEquals(table.schema().size(), new HashSet<>(headers).size(), "two columns share a header: " + headers);
        }
        assertEquals(List.of(), missing);
        return section;
    }
}
