package fr.atypie.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.testing.PublishedMonth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** {@code atypie report}: the refresh's report, rebuilt from the published tables alone. */
@Execution(ExecutionMode.CONCURRENT)   // waits for the shared month without holding other classes: see the pom
class ReportCommandTest {
    @TempDir
    Path dir;

    @Test
    void reRendersTheRefreshReportByteForByteFromThePublishedTables() throws IOException {
        PublishedMonth.Fixture f = PublishedMonth.get();
        Path out = dir.resolve("out");
        Path month = out.resolve(PublishedMonth.MONTH.toString());
        PublishedMonth.copy(f.publication(), month);
        byte[] published = Files.readAllBytes(month.resolve("rapport.html"));
        Files.writeString(month.resolve("rapport.html"), "stale");

        int code = AtypieCli.execute("report", "--month", "2024-12", "--out", out.toString(),
                "--config", f.config().toString(), "--set", "atypie.spark.master=local[2]");

        assertEquals(ExitCodes.OK, code);
        byte[] rendered = Files.readAllBytes(month.resolve("rapport.html"));
        assertArrayEquals(published, rendered, "re-rendered report differs from the refresh's");
        String html = new String(rendered, StandardCharsets.UTF_8);
        assertTrue(html.contains("Prescripteurs : atypie par thème") && html.contains("<svg"), "sections missing");
        // the funnels that name prescribers are re-rendered too, in the restricted report only
        assertFalse(html.contains("class=\"point\""), "a prescriber point in the public report");
        assertTrue(Files.readString(month.resolve("restricted/rapport-prescripteurs.html")).contains("class=\"point\""),
                "funnel plots missing from the restricted report");
        try (Stream<Path> files = Files.list(month)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
        // Issue 18: no prescriber identifier in any file outside restricted/ (report, CSV, manifest...)
        List<String> ids = Files.readAllLines(month.resolve("restricted/plain/segments.csv")).stream().skip(1)
                .map(l -> l.substring(0, l.indexOf(','))).toList();
        assertTrue(ids.size() > 10, ids.toString());
        try (Stream<Path> files = Files.walk(month)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !month.relativize(p).startsWith("restricted")).toList()) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String id : ids) {
                    assertFalse(text.contains(id), p + " names prescriber " + id);
                }
            }
        }
    }

    @Test
    void aMonthThatWasNotPublishedIsAnInputError() {
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("report", "--month", "2023-01", "--out", dir.toString()));
    }

    @Test
    void aPublicationWithoutItsTablesIsAnInputError() throws IOException {
        Path month = Files.createDirectories(dir.resolve("2024-12/quality")).getParent();
        Files.writeString(month.resolve("manifest.json"), "{}");
        Files.writeString(month.resolve("quality/quality-report.json"), "{\"tables\": []}");
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("report", "--month", "2024-12", "--out", dir.toString(),
                "--set", "atypie.spark.master=local[2]"));
    }
}
