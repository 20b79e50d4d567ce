package fr.atypie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code atypie evaluate} exits 4 with a message, before any data is read. */
class EvaluateCommandTest {
    @BeforeAll
    static void spark() {
        SharedSpark.get();
    }

    @Test
    void badHistoryUnknownCampaignOrMissingIdExitFour(@TempDir Path dir) throws IOException {
        Path history = dir.resolve("history.csv");
        Files.writeString(history, "campaign;prescriber_id;action;theme;start;end;outcome\nc1;P1;EC;sick-leave;2024-01;;\n");
        String out = dir.resolve("out").toString();
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("evaluate", "--history", history.toString(), "--out", out));
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("evaluate", "--history", history.toString(),
                "--campaign", "c2", "--extract", dir.toString(), "--out", out));
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("evaluate", "--history", history.toString(),
                "--campaign", "../c1", "--extract", dir.toString(), "--out", out));
        Files.writeString(history, "who;when\nP1;2024-01\n");
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("evaluate", "--history", history.toString(),
                "--campaign", "c1", "--out", out));
        assertEquals(ExitCodes.BAD_INPUT, AtypieCli.execute("evaluate", "--from-truth", dir.toString(), "--out", out));
        assertEquals(ExitCodes.USAGE, AtypieCli.execute("evaluate", "--campaign", "c1", "--out", out));
    }
}
