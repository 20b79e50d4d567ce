package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.events.EventStore;
import fr.atypie.publish.RunManifest;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's month: the extract of last month is refreshed (a full build of the event store),
 * then the new flux month lands and the refresh rebuilds only the care months it touches. The
 * result must equal a full rebuild on the complete extract: {@link PublishedMonth}'s publication,
 * built from the same generated extract with no store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalRefreshTest {
    static final YearMonth NEW_FLUX = PublishedMonth.MONTH;

    @TempDir
    static Path dir;
    PublishedMonth.Fixture full;
    MonthlyRefresh.Outcome lastMonth;
    MonthlyRefresh.Outcome incremental;
    MonthlyRefresh.Outcome asOfLastMonth;

    @BeforeAll
    void refreshLastMonthThenTheNewFlux() throws IOException {
        full = PublishedMonth.get();
        Path extract = dir.resolve("extract");
        PublishedMonth.copy(full.extract(), extract);
        ExtractLayout layout = new ExtractLayout(extract);
        Path held = dir.resolve("held");
        for (SndsTable t : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            Files.createDirectories(held.resolve(t.name()));
            Files.move(layout.fluxDir(t, NEW_FLUX), held.resolve(t.name()).resolve(layout.fluxDir(t, NEW_FLUX).getFileName()));
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        // Published aside: a previous month in the same folder would number the profile types after it.
        lastMonth = MonthlyRefresh.run(SharedSpark.get(), full.settings(), request(NEW_FLUX.minusMonths(1), "out-last"), quiet);
        for (SndsTable t : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            Files.move(held.resolve(t.name()).resolve(layout.fluxDir(t, NEW_FLUX).getFileName()), layout.fluxDir(t, NEW_FLUX));
        }
        incremental = MonthlyRefresh.run(SharedSpark.get(), full.settings(), request(NEW_FLUX, "out"), quiet);
        // Last month again, now that the extract holds the new flux: --month reads the extract as of then.
        asOfLastMonth = MonthlyRefresh.run(SharedSpark.get(), full.settings(), request(NEW_FLUX.minusMonths(1), "out-asof"), quiet);
    }

    @Test
    void aPastMonthReRunOnTheLongerExtractPublishesWhatItPublishedThen() throws IOException {
        YearMonth last = NEW_FLUX.minusMonths(1);
        Path first = dir.resolve("out-last").resolve(last.toString());
        Path again = dir.resolve("out-asof").resolve(last.toString());
        List<Path> files = publishedFiles(first);
        assertTrue(files.size() >= 20, "published files: " + files);
        for (Path f : files) {
            if (!readOnlyRunFacts(f)) {
                assertTrue(Arrays.equals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(again.resolve(f))),
                        f + " differs between the first publication of " + last + " and its re-run on the longer extract");
            }
        }
        assertEquals(files, publishedFiles(again));
        RunManifest m = RunManifest.read(again.resolve(RunManifest.FILE_NAME));
        assertTrue(m.eventStore().fluxRead().endsWith(".." + last), m.eventStore().fluxRead());
        assertTrue(RunManifest.read(dir.resolve("out").resolve(NEW_FLUX.toString()).resolve(RunManifest.FILE_NAME))
                .eventStore().fluxRead().endsWith(".." + NEW_FLUX));
    }

    MonthlyRefresh.Request request(YearMonth month, String out) {
        return new MonthlyRefresh.Request(dir.resolve("extract"), dir.resolve(out), dir.resolve("work"),
                Optional.of(month), Optional.empty());
    }

    @Test
    void theNewFluxRebuildsOnlyTheCareMonthsItHolds() {
        assertTrue(lastMonth.eventPlan().full(), lastMonth.eventPlan().describe());
        EventStore.Plan plan = incremental.eventPlan();
        assertFalse(plan.full(), plan.describe());
        // The earliest care month of the new flux, read straight from the extract.
        Row min = SharedSpark.get().read().parquet(new ExtractLayout(full.extract()).fluxDir(SndsTable.ER_PRS_F, NEW_FLUX).toString())
                .agg(functions.min(SndsColumns.EXE_SOI_DTD)).first();
        YearMonth earliest = YearMonth.from(min.getDate(0).toLocalDate());
        assertEquals(Optional.of(earliest), plan.rebuildFrom());
        assertTrue(earliest.isAfter(YearMonth.of(2023, 1)), "the new flux must leave older months alone: " + earliest);
        assertTrue(plan.reason().startsWith("2 flux partition(s) new or changed since the store was built: " + NEW_FLUX),
                plan.reason());
    }

    @Test
    void incrementalRefreshPublishesExactlyWhatAFullRebuildPublishes() throws IOException {
        Path run = dir.resolve("out").resolve(NEW_FLUX.toString());
        List<Path> files = publishedFiles(full.publication());
        assertTrue(files.size() >= 20, "published files: " + files);
        for (Path f : files) {
            if (!readOnlyRunFacts(f)) {
                assertTrue(Arrays.equals(Files.readAllBytes(full.publication().resolve(f)), Files.readAllBytes(run.resolve(f))),
                        f + " differs between the incremental run and the full rebuild");
            }
        }
        assertEquals(files, publishedFiles(run));
    }

    @Test
    void rowsReadAreKeptQuarantinedOrPassedOverAsStored() throws IOException {
        RunManifest m = RunManifest.read(dir.resolve("out").resolve(NEW_FLUX.toString()).resolve(RunManifest.FILE_NAME));
        assertEquals("incremental", m.eventStore().mode());
        assertEquals(incremental.eventPlan().rebuildFrom().get().toString(), m.eventStore().rebuiltFrom());
        long rowsRead = 0;
        for (SndsTable t : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            rowsRead += SharedSpark.get().read().parquet(new ExtractLayout(full.extract()).tableDir(t).toString())
                    .where(functions.col(ExtractLayout.FLUX_PARTITION).geq(m.eventStore().rebuiltFrom())).count();
        }
        long validated = 0;
        Matcher rowsIn = Pattern.compile("\"table\": \"(ER_PRS_F|ER_PHA_F)\", \"rows_in\": (\\d+)")
                .matcher(Files.readString(dir.resolve("out").resolve(NEW_FLUX.toString()).resolve("quality/quality-report.json")));
        while (rowsIn.find()) {
            validated += Long.parseLong(rowsIn.group(2));
        }
        assertTrue(m.eventStore().rowsPassedOver() > 0);
        String text = Files.readString(dir.resolve("out").resolve(NEW_FLUX.toString()).resolve("quality/quality-report.txt"));
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "(incremental run: flux months from %s; %,d rows of care "
                + "months before it passed over, already in the event store)", m.eventStore().rebuiltFrom(),
                m.eventStore().rowsPassedOver())), text.lines().findFirst().orElse(""));
        assertEquals(rowsRead, validated + m.eventStore().rowsPassedOver());
    }

    /** The manifest, the quality table and the report's quality section describe what this run read. */
    private static boolean readOnlyRunFacts(Path f) {
        String name = f.toString();
        return name.equals(RunManifest.FILE_NAME) || name.startsWith("quality") || name.equals(MonthlyReport.REPORT_FILE);
    }

    private static List<Path> publishedFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
