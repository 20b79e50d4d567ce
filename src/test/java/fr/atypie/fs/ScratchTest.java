package fr.atypie.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch folders, and what a killed command left. */
class ScratchTest {
    @TempDir
    Path out;

    @Test
    void aKilledCommandsScratchIsRemovedByTheNextOneOnceStale() throws IOException {
        Instant now = Instant.parse("2026-12-04T08:00:00Z");
        Path killed = folder(".scratch-validate-killed", now.minus(Scratch.STALE_AFTER).minusSeconds(1));
        Path running = folder(".scratch-evaluate-running", now.minus(Duration.ofHours(5)));
        Path month = folder("2024-12", now.minus(Duration.ofDays(30)));
        Files.writeString(killed.resolve("part-0.parquet"), "lines");
        // Writing in a folder touches it: its last modification is set after.
        Files.setLastModifiedTime(killed, FileTime.from(now.minus(Scratch.STALE_AFTER).minusSeconds(1)));

        assertEquals(List.of(".scratch-validate-killed"), Scratch.removeStale(Store.local(out), now));
        assertFalse(Files.exists(killed));
        assertTrue(Files.isDirectory(running), "a younger scratch may be a command still running");
        assertTrue(Files.isDirectory(month), "only scratch folders are touched");
    }

    @Test
    void aScratchFolderIsGoneWhenClosed() throws IOException {
        Path kept;
        try (Scratch s = Scratch.in(Store.local(out), "validate", RestrictedAccess.ownerOnly())) {
            kept = s.store().localPath().orElseThrow();
            assertTrue(Files.isDirectory(kept));
            assertTrue(kept.getFileName().toString().startsWith(Scratch.PREFIX + "validate-"));
        }
        assertFalse(Files.exists(kept));
    }

    private Path folder(String name, Instant modified) throws IOException {
        Path p = Files.createDirectories(out.resolve(name));
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }
}
