package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How readers find a month: its folder, or the version its pointer names (the pointer wins). */
class PublishedMonthsTest {
    private static final YearMonth NOV = YearMonth.of(2024, 11);
    private static final YearMonth DEC = YearMonth.of(2024, 12);

    @TempDir
    Path out;

    @Test
    void aFolderOrThePointersVersionAndThePointerWins() throws IOException {
        Store store = Store.local(out);
        assertEquals(Optional.empty(), PublishedMonths.of(store, NOV));
        Files.createDirectories(out.resolve("2024-11"));
        Files.createDirectories(out.resolve("versions/2024-12/r2"));
        Files.writeString(out.resolve("2024-12.current"), "# comment\nversion=versions/2024-12/r2\nprevious=versions/2024-12/r1\n");
        Files.writeString(out.resolve("2024-10.status.json"), "{}");   // not a month
        Files.createDirectories(out.resolve("_catalog"));

        assertEquals(store.resolve("2024-11"), PublishedMonths.of(store, NOV).orElseThrow().root());
        assertEquals(store.resolve("versions/2024-12/r2"), PublishedMonths.of(store, DEC).orElseThrow().root());
        assertEquals(List.of(NOV, DEC), PublishedMonths.in(store));

        // A folder 2024-12 left from a run before the move to an object store: the pointer wins.
        Files.createDirectories(out.resolve("2024-12"));
        assertEquals(store.resolve("versions/2024-12/r2"), PublishedMonths.of(store, DEC).orElseThrow().root());
        assertEquals(List.of(NOV, DEC), PublishedMonths.in(store));
        // As a user names a month folder: an existing folder is itself; a missing one goes through its pointer.
        assertEquals(store.resolve("2024-11"), PublishedMonths.folder(store.child("2024-11")).root());
        Files.delete(out.resolve("2024-12"));
        assertEquals(store.resolve("versions/2024-12/r2"), PublishedMonths.folder(store.child("2024-12")).root());
        assertEquals(store.resolve("2025-01"), PublishedMonths.folder(store.child("2025-01")).root());
    }

    @Test
    void aPointerThatLeavesItsMonthsVersionsIsRefusedNamingIt() throws IOException {
        Store store = Store.local(out);
        Files.writeString(out.resolve("2024-12.current"), "version=versions/2024-12/../../../etc\n");
        IllegalStateException escape = assertThrows(IllegalStateException.class, () -> PublishedMonths.of(store, DEC));
        assertEquals(out.resolve("2024-12.current") + " names 'versions/2024-12/../../../etc', not a folder versions/2024-12/<version>",
                escape.getMessage());
        Files.writeString(out.resolve("2024-12.current"), "version=versions/2024-11/r1\n");
        assertThrows(IllegalStateException.class, () -> PublishedMonths.of(store, DEC));
        Files.writeString(out.resolve("2024-12.current"), "hello\n");
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> PublishedMonths.of(store, DEC));
        assertEquals(out.resolve("2024-12.current") + " names no version (no 'version=' line): it is not atypie's pointer",
                none.getMessage());
    }

    /** Evaluations resolve their pointers the same way; a damaged one is reported, not fatal to the month. */
    @Test
    void aDamagedEvaluationPointerIsReportedAndTheOthersRead() throws IOException {
        Path evaluations = Files.createDirectories(out.resolve("evaluations"));
        Files.writeString(evaluations.resolve("c2.current"), "hello\n");
        List<fr.atypie.campaigns.PublishedEvaluation> read = fr.atypie.campaigns.PublishedEvaluation.readAll(Store.local(evaluations));
        assertEquals(1, read.size());
        assertEquals("c2", read.get(0).campaign());
        assertEquals(Optional.of("unreadable pointer: " + evaluations.resolve("c2.current")
                + " names no version (no 'version=' line): it is not atypie's pointer"), read.get(0).problem());
    }
}
