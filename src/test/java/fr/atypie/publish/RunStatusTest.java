package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.fs.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStatusTest {

    @Test
    void warningsAreWrittenOnlyWhenThereAreSomeAndReadBack(@TempDir Path out) throws Exception {
        RunStatus ok = new RunStatus(RunStatus.SUCCEEDED, 0, "2024-12", "run-1", "a", "b", "/out/2024-12",
                List.of("rapport.html"), null);
        ok.write(Store.local(out));
        assertFalse(Files.readString(out.resolve("2024-12.status.json")).contains("warnings"));
        assertEquals(ok, RunStatus.read(Store.local(out), YearMonth.of(2024, 12)).orElseThrow());

        RunStatus warned = ok.withWarnings(List.of("table atypie.scores not registered for 2024-12: x"));
        warned.write(Store.local(out));
        assertTrue(Files.readString(out.resolve("2024-12.status.json")).contains(
                "\"warnings\" : [ \"table atypie.scores not registered for 2024-12: x\" ]"));
        RunStatus read = RunStatus.read(Store.local(out), YearMonth.of(2024, 12)).orElseThrow();
        assertEquals(warned, read);
        assertEquals(0, read.exitCode());
        assertTrue(read.succeeded());
    }
}
