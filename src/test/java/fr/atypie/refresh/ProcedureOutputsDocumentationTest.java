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
        String guide = Files.readString(Path.of("docs/analysts.md"));
        int from = guide.indexOf("### The procedure of art. L162-1-15");
        String section = guide.substring(from, guide.indexOf("\n## ", from));
        List<String> missing = new ArrayList<>();
        for (Columns table : ProcedureOutputs.ALL) {
            for (String column : table.schema().fieldNames()) {
                if (!section.contains("`" + column + "`")) {
                    missing.add(column);
                }
            }
            List<String> headers = OutputTables.labels(table).headers("t", List.of(table.schema().fieldNames()));
            assertEquals(table.schema().size(), new HashSet<>(headers).size(), "two columns share a header: " + headers);
        }
        assertEquals(List.of(), missing);
        for (String t : List.of("legal_criterion", "procedure_state", "trend_atypie", "long_sick_leave", "contacts.csv",
                "medical-service", ProcedureOutputs.FOLLOW_UP_TABLE, ProcedureOutputs.FOLLOW_UP_WORKBOOK + "-<dept>.xlsx")) {
            assertEquals(true, section.contains(t), t + " is not documented");
        }
    }

    @Test
    void everyColumnOfTheWeeklySignalsIsDocumentedInItsSubsection() throws IOException {
        String guide = Files.readString(Path.of("docs/analysts.md"));
        int from = guide.indexOf("### Weekly signals (`atypie signals --week`)");
        String section = guide.substring(from, guide.indexOf("\n## ", from));
        List<String> missing = new ArrayList<>();
        for (Columns table : List.of(WeeklyRun.SIGNALS, WeeklyRun.LONG_LEAVE)) {
            for (String column : table.schema().fieldNames()) {
                if (!section.contains("`" + column + "`")) {
                    missing.add(column);
                }
            }
            List<String> headers = OutputTables.labels(table).headers("t", List.of(table.schema().fieldNames()));
            assertEquals(table.schema().size(), new HashSet<>(headers).size(), "two columns share a header: " + headers);
        }
        assertEquals(List.of(), missing);
        for (String t : List.of("signaux.csv", "arrets-longs.csv", "medical-service", "lookback-months", "rising-weeks",
                "recent-weeks", "baseline-weeks", "default-capacity", "PROCEDURE_RISING", "TREND")) {
            assertEquals(true, section.contains(t), t + " is not documented");
        }
    }
}
