package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.CampaignEvaluator;
import fr.atypie.cli.AtypieCli;
import fr.atypie.cli.ExitCodes;
import fr.atypie.events.EventStore;
import fr.atypie.events.EventTable;
import fr.atypie.fs.Store;
import fr.atypie.publish.CatalogRegistration;
import fr.atypie.publish.RunManifest;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.MiniHdfs;
import fr.atypie.testing.MonthBefore;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.RowDigest;
import fr.atypie.testing.SharedSpark;
import fr.atypie.testing.StoredLineMonths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The scheduler's month on a real HDFS (a one-datanode MiniDFSCluster in this JVM). The shared test
 * extract is copied there, and the working area is put there as the month before's refresh leaves it
 * ({@link MonthBefore}: the event store, its final care months from the shared month's store, its later
 * ones stale, and the checked lines of every flux month but the last); the last flux month lands, and
 * {@code refresh} of the month (the command line, as the scheduler runs it) checks only that flux month's lines and rebuilds only the care months it touches. Extract, working
 * area and publications stay on HDFS. What the incremental month publishes there must be, byte for
 * byte, what a full rebuild on the local disk published: {@link PublishedMonth}'s month, built from the
 * same extract with no store; its event store must hold the full rebuild's events. So one run shows
 * both that HDFS changes no row and that the incremental path changes none. Then {@code report}
 * re-renders the month on HDFS, and {@code evaluate --work} reads the events of the refresh's store on
 * HDFS and writes its evaluation there. (Evaluating from the extract, validated again, is
 * {@link fr.atypie.campaigns.PlantedCampaignTest}'s.)
 *
 * <p>The shared month's full rebuild runs on a thread of its own beside the HDFS side, on the same
 * Spark session: the extract's copy to HDFS goes beside it. Measured alone (`mvn -o test
 * -Dtest=HdfsRefreshTest`, 2026-12-07, the shared month's build included): 317 s wall and 556 s of CPU
 * (Maven's) when the refresh checked the lines of 16 flux months again (its validation 69 s) and an
 * evaluation from the full rebuild's store on the local disk was compared with the one on HDFS; 279 s
 * and 464 s with the stored lines put there (validation 51 s, beside that evaluation); 296 s and 470 s
 * without the local evaluation (validation 33 s), the host slower then (the refresh's other stages a
 * quarter longer than in the run before).
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(3600)   // guards a hang of the cluster only (two refreshes, store copies, an evaluation)
class HdfsRefreshTest {
    private static final String MONTH = MonthBefore.NEW_FLUX.toString();
    private static final List<SndsTable> FLUX_TABLES = MonthBefore.FLUX_TABLES;
    private static final String HISTORY_HEADER = "campaign;prescriber_id;action;theme;start;end;outcome\n";

    @RegisterExtension
    static final MiniHdfs.PerClass HDFS = new MiniHdfs.PerClass();

    private PublishedMonth.Fixture full;
    private Store root;
    private String extract;
    private String out;
    private String work;
    private Store month;
    private String evaluated;
    private int hdfsEvaluation;

    @BeforeAll
    void refreshOnHdfsBesideTheLocalRebuild() throws Exception {
        PublishedMonth.Generated generated = PublishedMonth.generated();
        ExecutorService localSide = Executors.newSingleThreadExecutor();
        try {
            Future<PublishedMonth.Fixture> rebuilt = localSide.submit(PublishedMonth::get);
            refreshOnHdfs(generated);
            full = rebuilt.get(1, TimeUnit.HOURS);   // guards a hang only
        } finally {
            localSide.shutdownNow();
        }
    }

    private void refreshOnHdfs(PublishedMonth.Generated generated) throws IOException {
        monthBeforeOnHdfs(generated);
        // The month, through the command line as the scheduler runs it, registered in the session's catalog.
        assertEquals(ExitCodes.OK, AtypieCli.execute("refresh", "--month", MONTH, "--extract", extract, "--work", work,
                "--out", out, "--config", generated.config().toString(), "--set", "atypie.spark.master=local[2]",
                "--set", "atypie.publish.catalog.enabled=true"));
        // evaluate: a campaign on four of the month's prescribers.
        root.writeText("history.csv", campaignOnFourPrescribers(month.resolve("restricted/segments.parquet").toString()));
        evaluated = HDFS.uri() + "/risk/evaluated";   // beside the publications in production; apart here
        // From the refresh's event store on HDFS (--work): the events of the extract, not validated again.
        hdfsEvaluation = evaluate(generated.config(), HDFS.uri() + "/risk/history.csv", extract, evaluated, "--work", work);
    }

    /** The extract on HDFS, and the working area there as the month before left it ({@link MonthBefore}). */
    private void monthBeforeOnHdfs(PublishedMonth.Generated generated) throws IOException {
        root = Store.at(HDFS.uri() + "/risk");
        root.fs().copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(generated.extract().toUri()), root.resolve("extract"));
        keepModificationTimes(generated.extract(), root.child("extract"));
        extract = HDFS.uri() + "/risk/extract";
        out = HDFS.uri() + "/risk/out";
        work = HDFS.uri() + "/risk/work";
        month = Store.at(out).child(MONTH);
        MonthBefore.put(root.child("extract"), Store.at(work), PublishedMonth.get());   // the local side's full build, awaited
    }

    /**
     * The copied extract's files keep their local modification times: a flux month's fingerprint (its
     * files' paths, sizes and times) is then the one the local build's stored lines were checked under.
     */
    private static void keepModificationTimes(Path local, Store copy) throws IOException {
        try (Stream<Path> files = Files.walk(local)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                copy.fs().setTimes(copy.resolve(local.relativize(f).toString()), Files.getLastModifiedTime(f).toMillis(), -1);
            }
        }
    }

    /** A DAM campaign on sick leave from 2024-01 on the first four prescribers of the month's segments. */
    private static String campaignOnFourPrescribers(String segments) {
        StringBuilder history = new StringBuilder(HISTORY_HEADER);
        SharedSpark.get().read().parquet(segments).select("prescriber_id").distinct().orderBy("prescriber_id").limit(4)
                .collectAsList().forEach(r -> history.append("c1;").append(r.getString(0)).append(";DAM;sick-leave;2024-01;;\n"));
        return history.toString();
    }

    private static int evaluate(Path config, String history, String extract, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--campaign", "c1", "--history", history, "--extract", extract,
                "--out", out, "--config", config.toString(), "--set", "atypie.spark.master=local[2]",
                "--set", "atypie.methods.bootstrap.replicates=100",
                // The four (the first ids) are all the GPs of two small departments: controls come from the
                // region, and the tiny extract's 46 prescribers leave none within the default 0.5 SD.
                "--set", "atypie.campaigns.match-within=region", "--set", "atypie.campaigns.caliper=100"));
        args.addAll(List.of(more));
        return AtypieCli.execute(args.toArray(String[]::new));
    }

    /** The HDFS month: read whole by one test, its report re-rendered by another (never both at once). */
    private static final String HDFS_MONTH = "HdfsRefreshTest.month";

    @Test
    @ResourceLock(value = HDFS_MONTH, mode = ResourceAccessMode.READ)
    void theIncrementalMonthOnHdfsPublishesTheBytesOfTheLocalFullRebuild() throws Exception {
        Map<String, String> onDisk = snapshot(Store.local(full.publication()));
        Map<String, String> onHdfs = snapshot(month);
        assertTrue(onDisk.size() >= 20, "published files: " + onDisk.keySet());
        assertEquals(onDisk.keySet(), onHdfs.keySet(), "the same files are published");
        List<String> differ = onDisk.keySet().stream().filter(k -> !onDisk.get(k).equals(onHdfs.get(k))).toList();
        assertEquals(List.of(), differ.stream().filter(k -> !readOnlyRunFacts(k)).toList(),
                "every table and workbook byte-identical");
        // The same rows, read back by Spark from each side, table by table.
        int tables = 0;
        for (String file : onDisk.keySet().stream().filter(k -> k.endsWith(".parquet")).toList()) {
            assertEquals(rows(full.publication().resolve(file).toString()), rows(month.resolve(file).toString()), file);
            tables++;
        }
        assertEquals(15, tables);
        assertEquals(rows(full.publication().resolve("indicators.parquet").toString()).size(),
                month.readText("plain/indicators.csv").orElseThrow().lines().count() - 1);
        // The manifests list the same outputs; this one read the extract on HDFS.
        RunManifest before = RunManifest.read(full.publication().resolve(RunManifest.FILE_NAME));
        RunManifest after = RunManifest.read(month);
        assertEquals(before.outputs().stream().filter(o -> !readOnlyRunFacts(o.path())).toList(),
                after.outputs().stream().filter(o -> !readOnlyRunFacts(o.path())).toList());
        assertTrue(after.inputs().get(0).path().startsWith(extract), after.inputs().get(0).path());
        assertTrue(after.eventStore().fluxRead().endsWith(".." + MONTH), after.eventStore().fluxRead());
        assertTrue(Store.at(out).readText(MONTH + ".status.json").orElseThrow().contains("\"succeeded\""));
        // Patient-level folders are owner-only on HDFS too; nothing left behind (locks, staging).
        Store w = Store.at(work);
        for (org.apache.hadoop.fs.Path p : List.of(month.resolve("restricted"), w.resolve("state"), w.resolve("state/events"),
                w.resolve("state/lines"), w.resolve(MONTH + "/quality/quarantine"), w.resolve(MONTH + "/medical-service"))) {
            assertEquals("rwx------", w.fs().getFileStatus(p).getPermission().toString(), p.toString());
        }
        assertEquals("rw-------", w.fs().getFileStatus(month.resolve("restricted/segments.parquet")).getPermission().toString());
        assertEquals("rw-r--r--", w.fs().getFileStatus(month.resolve("indicators.parquet")).getPermission().toString());
        assertEquals(List.of(MONTH, MONTH + ".status.json", CatalogRegistration.CATALOG_FOLDER, "last-run.status.json"),
                names(Store.at(out)));
        // The refresh's catalog hook: the month's public tables queryable by SQL, their partitions copies on HDFS.
        try {
            assertEquals(List.of("[" + MONTH + "," + rows(full.publication().resolve("indicators.parquet").toString()).size() + "]"),
                    SharedSpark.get().sql("SELECT publication_month, count(*) FROM atypie.indicators GROUP BY publication_month")
                            .collectAsList().stream().map(Row::toString).toList());
            assertTrue(Store.at(out).isFile(CatalogRegistration.CATALOG_FOLDER + "/indicators/publication_month=" + MONTH
                    + "/indicators.parquet"));
            assertFalse(SharedSpark.get().catalog().tableExists("atypie", "segments"), "restricted tables are not registered");
        } finally {
            SharedSpark.get().sql("DROP DATABASE IF EXISTS atypie CASCADE");
        }
        List<String> events = names(w.child("state/events"));   // the pointer and one version, no lock left
        assertEquals(2, events.size(), events.toString());
        assertEquals("CURRENT", events.get(0));
        assertTrue(events.get(1).startsWith("v-"), events.toString());
        assertTrue(w.isFile("state/contacts.csv") && w.isFile("state/procedure/" + MONTH + ".tsv"));
    }

    @Test
    void theNewFluxRebuildsOnlyTheCareMonthsItHolds() throws IOException {
        RunManifest.EventStoreUse plan = RunManifest.read(month).eventStore();
        assertEquals("incremental", plan.mode(), plan.reason());
        YearMonth earliest = MonthBefore.earliestCareOfNewFlux(full.extract());
        assertEquals(earliest.toString(), plan.rebuiltFrom());
        assertTrue(earliest.isAfter(YearMonth.of(2023, 1)), "the new flux must leave older months alone: " + earliest);
        assertTrue(plan.reason().startsWith("2 flux partition(s) new or changed since the store was built: " + MONTH),
                plan.reason());
        // Validation checked the new flux month alone (a generation of its own) and read the others back.
        for (SndsTable t : FLUX_TABLES) {
            Map<String, Integer> generations = StoredLineMonths.generations(StoredLineMonths.inWork(Store.at(work)), t);
            assertEquals(24, generations.size(), t + ": " + generations);
            assertEquals(Integer.valueOf(2), generations.remove(MONTH), t + ": " + generations);
            assertEquals(Set.of(1), Set.copyOf(generations.values()), t + ": " + generations);
        }
    }

    @Test
    void rowsReadAreKeptQuarantinedOrPassedOverAsStored() throws IOException {
        RunManifest.EventStoreUse plan = RunManifest.read(month).eventStore();
        long rowsRead = 0;
        for (SndsTable t : FLUX_TABLES) {
            rowsRead += SharedSpark.get().read().parquet(new ExtractLayout(full.extract()).tableDir(t).toString())
                    .where(functions.col(ExtractLayout.FLUX_PARTITION).geq(plan.rebuiltFrom())).count();
        }
        long validated = 0;
        Matcher rowsIn = Pattern.compile("\"table\": \"(ER_PRS_F|ER_PHA_F)\", \"rows_in\": (\\d+)")
                .matcher(month.readText("quality/quality-report.json").orElseThrow());
        while (rowsIn.find()) {
            validated += Long.parseLong(rowsIn.group(2));
        }
        assertTrue(plan.rowsPassedOver() > 0);
        String text = month.readText("quality/quality-report.txt").orElseThrow();
        assertTrue(text.contains(String.format(Locale.ROOT, "(incremental run: flux months from %s; %,d rows of care "
                + "months before it passed over, already in the event store)", plan.rebuiltFrom(), plan.rowsPassedOver())),
                text.lines().findFirst().orElse(""));
        assertEquals(rowsRead, validated + plan.rowsPassedOver());
    }

    @Test
    @ResourceLock(HDFS_MONTH)   // rewrites rapport.html (through .rapport.html.tmp) in the HDFS month
    void reportReRendersTheMonthAndEvaluateReadsTheEventStoreOnHdfs() throws Exception {
        // report: re-rendered on HDFS from the published tables, the refresh's bytes again.
        String published = month.readText(MonthlyReport.REPORT_FILE).orElseThrow();
        month.writeTextAtomically(MonthlyReport.REPORT_FILE, "stale");
        assertEquals(ExitCodes.OK, AtypieCli.execute("report", "--month", MONTH, "--out", out,
                "--config", full.config().toString(), "--set", "atypie.spark.master=local[2]"));
        assertEquals(published, month.readText(MonthlyReport.REPORT_FILE).orElseThrow());
        assertEquals("rw-------", month.fs().getFileStatus(month.resolve("restricted/rapport-prescripteurs.html"))
                .getPermission().toString());

        // evaluate (run in the set-up) from the refresh's event store on HDFS (evaluate --work): its files on
        // HDFS, its report saying where its events came from. (The events are the full build's: the test below.)
        assertEquals(ExitCodes.OK, hdfsEvaluation);
        Store evaluation = Store.at(evaluated).child("evaluations/c1");
        assertEquals(List.of("balance.csv", "contacts.csv", "cost.csv", "effects.csv", "effects.parquet", "report.html"),
                names(evaluation));
        String note = "<p class=\"note\">" + CampaignEvaluator.FROM_STORE_NOTE + "</p>";
        assertTrue(evaluation.readText("report.html").orElseThrow().contains(note), "the report names the event store as its source");
        List<String> effects = rows(evaluated + "/evaluations/c1/effects.parquet");
        assertEquals(effects.size(), evaluation.readText("effects.csv").orElseThrow().lines().count() - 1);
        assertFalse(effects.isEmpty());
        assertEquals(List.of("evaluations"), names(Store.at(evaluated)));
        assertEquals(List.of("c1"), names(Store.at(evaluated).child("evaluations")));
    }

    /**
     * The event store the incremental refresh left on HDFS holds, table by table, the events of the
     * full rebuild's store on the local disk: what evaluations (evaluate --work) and later refreshes read.
     */
    @Test
    void theIncrementalEventStoreHoldsTheFullRebuildsEvents() throws IOException {
        Map<EventTable, Row> expected = full.withEventStore(fullBuild -> digests(fullBuild));
        try (EventStore refreshed = EventStore.open(Store.at(work).child("state/events"))) {
            assertEquals(expected, digests(refreshed));
        }
        expected.forEach((t, digest) -> assertTrue(digest.getLong(0) > 0, t.name()));
    }

    /** Each event table's {@link RowDigest}. */
    private static Map<EventTable, Row> digests(EventStore store) {
        Map<EventTable, Row> out = new EnumMap<>(EventTable.class);
        store.read(SharedSpark.get()).forEach((t, events) -> out.put(t, RowDigest.of(events)));
        return out;
    }

    /**
     * The manifest, the quality tables and the report (its quality section) describe what the run
     * read: an incremental run reads fewer rows than a full rebuild, and names the extract's location.
     */
    private static boolean readOnlyRunFacts(String file) {
        return file.equals(RunManifest.FILE_NAME) || file.startsWith("quality/") || file.equals(MonthlyReport.REPORT_FILE);
    }

    /** Every row of a Parquet file, as text, sorted. */
    private static List<String> rows(String file) {
        List<String> out = new ArrayList<>();
        for (Row r : SharedSpark.get().read().parquet(file).collectAsList()) {
            out.add(r.toString());
        }
        out.sort(null);
        return out;
    }

    /** Path under {@code root} → SHA-256 of each file. */
    private static Map<String, String> snapshot(Store root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (org.apache.hadoop.fs.FileStatus st : root.files()) {
            try (var in = root.fs().open(st.getPath())) {
                files.put(root.relative(st.getPath()), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    private static List<String> names(Store s) throws IOException {
        return new ArrayList<>(new TreeSet<>(s.list().stream().map(st -> st.getPath().getName()).toList()));
    }
}
