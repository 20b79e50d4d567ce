package fr.atypie.events;

import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.atypie.errors.InputError;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning and atomicity of the event store, on hand-made folders (the Spark side: HdfsRefreshTest). */
class EventStoreTest {
    @TempDir
    Path dir;

    /** An extract whose flux partitions hold a file each, and a store state that matches it. */
    private ExtractLayout extract(String... months) throws IOException {
        ExtractLayout layout = new ExtractLayout(dir.resolve("extract"));
        for (SndsTable t : new SndsTable[] {SndsTable.ER_PRS_F, SndsTable.ER_PHA_F}) {
            for (String m : months) {
                Files.writeString(Files.createDirectories(layout.fluxDir(t, YearMonth.parse(m))).resolve("part-0.bin"), m);
            }
        }
        return layout;
    }

    private void storeState(Path store, ExtractLayout layout, String settings, String firstCareMonth,
                            SortedMap<String, String> firstCareByFlux) throws IOException {
        SortedMap<String, EventStore.FluxPartition> flux = new TreeMap<>();
        EventStore.fingerprints(layout).forEach((k, fp) -> flux.put(k, new EventStore.FluxPartition(fp, firstCareByFlux.get(k))));
        EventStore.State state = new EventStore.State(EventStore.FORMAT,
                layout.root().toAbsolutePath().normalize().toString(), settings, firstCareMonth, flux);
        Path v = Files.createDirectories(store.resolve("v-a"));
        Files.writeString(v.resolve(EventStore.STATE), new ObjectMapper().writeValueAsString(state));
        Files.writeString(store.resolve(EventStore.CURRENT), "v-a\n");
    }

    @Test
    void aVersionThatARunDidNotSwitchToIsRemovedAndThePreviousOneStaysInUse() throws IOException {
        ExtractLayout layout = extract("2024-01", "2024-02");
        Path store = dir.resolve("store");
        storeState(store, layout, "s", "2023-12", new TreeMap<>());
        Files.writeString(Files.createDirectories(store.resolve("v-b/CONSULTATIONS/store_month=2024-02")).resolve("part-0.parquet"), "half");
        try (EventStore s = EventStore.open(store)) {
            assertFalse(Files.exists(store.resolve("v-b")), "the dead run's version is removed");
            assertTrue(Files.exists(store.resolve("v-a").resolve(EventStore.STATE)));
            assertEquals("2023-12", s.state().orElseThrow().firstCareMonth());
        }
    }

    @Test
    void twoRunsCannotShareOneStore() throws IOException {
        try (EventStore s = EventStore.open(dir.resolve("store"))) {
            InputError e = assertThrows(InputError.class, () -> EventStore.open(dir.resolve("store")));
            assertTrue(e.getMessage().contains("is in use by another run, a refresh or an evaluation"), e.getMessage());
        }
        EventStore.open(dir.resolve("store")).close(); // released
    }

    @Test
    void noStoreChangedSettingsAnotherExtractOrTheFlagMeanAFullRebuild() throws IOException {
        ExtractLayout layout = extract("2024-01", "2024-02");
        Path store = dir.resolve("store");
        try (EventStore s = EventStore.open(store)) {
            assertEquals("no event store yet in " + store, s.plan(SharedSpark.get(), layout, "s", 2000, false).reason());
        }
        storeState(store, layout, "s", "2023-12", new TreeMap<>());
        try (EventStore s = EventStore.open(store)) {
            EventStore.Plan p = s.plan(SharedSpark.get(), layout, "other", 2000, false);
            assertTrue(p.full());
            assertEquals("the code or the validation settings changed since the store was built", p.reason());
            assertEquals("asked with --full-rebuild", s.plan(SharedSpark.get(), layout, "s", 2000, true).reason());
            ExtractLayout moved = new ExtractLayout(dir.resolve("elsewhere"));
            assertTrue(s.plan(SharedSpark.get(), moved, "s", 2000, false).reason()
                    .startsWith("the store was built from another extract"));
        }
    }

    /**
     * What {@code evaluate --work} asks before reading the stored events instead of the extract: do
     * they hold every flux partition of the extract as it is now, under the same settings?
     */
    @Test
    void storedEventsDifferFromTheExtractOnceAPartitionIsAddedChangedOrRemoved() throws IOException {
        ExtractLayout layout = extract("2024-01", "2024-02");
        Path store = dir.resolve("store");
        try (EventStore s = EventStore.open(store)) {
            assertEquals(Optional.of("no event store in " + store), s.differenceFrom(layout, "s"));
        }
        storeState(store, layout, "s", "2023-12", new TreeMap<>());
        try (EventStore s = EventStore.open(store)) {
            assertEquals(Optional.empty(), s.differenceFrom(layout, "s"));
            assertEquals(Optional.of("the code or the validation settings changed since the store was built"),
                    s.differenceFrom(layout, "other"));
            assertTrue(s.differenceFrom(new ExtractLayout(dir.resolve("elsewhere")), "s").orElseThrow()
                    .startsWith("the store was built from another extract, "));
            // A new flux month: both tables' partitions are named.
            extract("2024-03");
            assertEquals(Optional.of("2 flux partition(s) new, changed or removed since the store was built: "
                    + "ER_PHA_F/2024-03, ER_PRS_F/2024-03"), s.differenceFrom(layout, "s"));
            deleteTree(layout.fluxDir(SndsTable.ER_PRS_F, YearMonth.of(2024, 3)));
            deleteTree(layout.fluxDir(SndsTable.ER_PHA_F, YearMonth.of(2024, 3)));
            assertEquals(Optional.empty(), s.differenceFrom(layout, "s"));
            // A re-delivered partition (one file more), then a withdrawn one.
            Files.writeString(layout.fluxDir(SndsTable.ER_PHA_F, YearMonth.of(2024, 2)).resolve("part-1.bin"), "more");
            assertEquals(Optional.of("1 flux partition(s) new, changed or removed since the store was built: ER_PHA_F/2024-02"),
                    s.differenceFrom(layout, "s"));
            deleteTree(layout.fluxDir(SndsTable.ER_PHA_F, YearMonth.of(2024, 2)));
            deleteTree(layout.fluxDir(SndsTable.ER_PRS_F, YearMonth.of(2024, 1)));
            assertEquals(Optional.of("2 flux partition(s) new, changed or removed since the store was built: "
                    + "ER_PHA_F/2024-02, ER_PRS_F/2024-01"), s.differenceFrom(layout, "s"));
        }
    }

    /**
     * An extract of one-line Parquet partitions: per flux month (key), one ER_PRS_F line whose care
     * starts on the first day of the value's month, and one ER_PHA_F line under its 9 keys.
     */
    private ExtractLayout parquetExtract(SortedMap<String, String> careByFlux) {
        Path root = dir.resolve("extract");
        List<SndsFixture> rows = new ArrayList<>();
        careByFlux.forEach((flux, care) -> {
            rows.add(SndsFixture.prs().flux(flux + "-01").with(EXE_SOI_DTD, SndsFixture.d(care + "-01"))
                    .with(EXE_SOI_DTF, SndsFixture.d(care + "-01")));
            rows.add(SndsFixture.pha(1).flux(flux + "-01"));
        });
        SndsFixture.write(SndsFixture.extract(rows.toArray(SndsFixture[]::new)), root);
        return new ExtractLayout(root);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void aRemovedOrReDeliveredPartitionReachesBackToTheCareMonthsItHeld() throws IOException {
        SortedMap<String, String> careByFlux = new TreeMap<>();
        careByFlux.put("2024-01", "2023-10");
        careByFlux.put("2024-02", "2023-11");
        careByFlux.put("2024-03", "2024-01");
        careByFlux.put("2024-04", "2024-02");
        ExtractLayout layout = parquetExtract(careByFlux);
        Path store = dir.resolve("store");
        SortedMap<String, String> firstCare = new TreeMap<>();
        careByFlux.forEach((flux, care) -> firstCare.put("ER_PRS_F/" + flux, care));
        storeState(store, layout, "s", "2023-10", firstCare);
        try (EventStore s = EventStore.open(store)) {
            EventStore.Plan unchanged = s.plan(SharedSpark.get(), layout, "s", 2000, false);
            assertFalse(unchanged.full());
            assertEquals(Optional.of(YearMonth.of(2024, 2)), unchanged.rebuildFrom(), "no new flux: the latest one is re-read");
            assertEquals("no new flux; the latest flux month 2024-04 is re-read", unchanged.reason());
            // Nothing measured: the update keeps every partition's stored first care month.
            assertEquals(Map.of(), EventStore.firstCareToRecord(SharedSpark.get(), layout, unchanged, Optional.of(YearMonth.of(2024, 4)), 2000));

            // A past month re-run as of flux 2024-03 on this store, which holds 2024-04: what the later flux
            // put in the store is taken out again (care months from its first one, 2024-02, rebuilt), and
            // the later flux is not read: a re-run publishes what the month published then.
            EventStore.Plan pastMonth = s.plan(SharedSpark.get(), layout, "s", 2000, false, Optional.of(YearMonth.of(2024, 3)));
            assertFalse(pastMonth.full());
            assertEquals(Optional.of(YearMonth.of(2024, 2)), pastMonth.rebuildFrom());
            assertEquals("2 flux partition(s) new or changed since the store was built: 2024-04", pastMonth.reason());
            assertEquals(new FluxSelection(Optional.of(YearMonth.of(2024, 2)), Optional.of(YearMonth.of(2024, 3))),
                    pastMonth.fluxToRead().upTo(Optional.of(YearMonth.of(2024, 3))));
            assertFalse(pastMonth.fingerprints().containsKey("ER_PRS_F/2024-04"), pastMonth.fingerprints().keySet().toString());

            // The drug lines of flux 2024-03 re-delivered (one more file): their service lines hold care from
            // 2024-01, which the plan reads in the partition's Parquet line.
            Path drugs = layout.fluxDir(SndsTable.ER_PHA_F, YearMonth.of(2024, 3));
            try (Stream<Path> files = Files.list(drugs)) {
                Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
                Files.copy(part, drugs.resolve("part-re-delivered.parquet"));
            }
            EventStore.Plan redelivered = s.plan(SharedSpark.get(), layout, "s", 2000, false);
            assertEquals(Optional.of(YearMonth.of(2024, 1)), redelivered.rebuildFrom());
            assertEquals("1 flux partition(s) new or changed since the store was built: 2024-03", redelivered.reason());
            // The one partition measured to decide is what the update learns; the others keep their stored month.
            assertEquals(Map.of(YearMonth.of(2024, 3), YearMonth.of(2024, 1)),
                    EventStore.firstCareToRecord(SharedSpark.get(), layout, redelivered, Optional.of(YearMonth.of(2024, 4)), 2000));

            // Flux 2024-02 withdrawn from the extract: care months from 2023-11 lose lines.
            for (SndsTable t : new SndsTable[] {SndsTable.ER_PRS_F, SndsTable.ER_PHA_F}) {
                deleteTree(layout.fluxDir(t, YearMonth.of(2024, 2)));
            }
            EventStore.Plan removed = s.plan(SharedSpark.get(), layout, "s", 2000, false);
            assertFalse(removed.full());
            assertEquals(Optional.of(YearMonth.of(2023, 11)), removed.rebuildFrom());
            assertEquals(Optional.of(YearMonth.of(2023, 11)), removed.fluxToRead().from());

            // Flux 2024-01 too: it reaches the first stored care month, so everything is rebuilt.
            for (SndsTable t : new SndsTable[] {SndsTable.ER_PRS_F, SndsTable.ER_PHA_F}) {
                deleteTree(layout.fluxDir(t, YearMonth.of(2024, 1)));
            }
            EventStore.Plan all = s.plan(SharedSpark.get(), layout, "s", 2000, false);
            assertTrue(all.full(), all.describe());
            assertTrue(all.reason().endsWith("it reaches back to the first stored care month"), all.reason());
            // A full rebuild measures every partition it reads.
            assertEquals(Map.of(YearMonth.of(2024, 3), YearMonth.of(2024, 1), YearMonth.of(2024, 4), YearMonth.of(2024, 2)),
                    EventStore.firstCareToRecord(SharedSpark.get(), layout, all, Optional.of(YearMonth.of(2024, 4)), 2000));
        }
    }
}
