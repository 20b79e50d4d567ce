package fr.atypie.publish;

import static fr.atypie.publish.SmallPublication.MARCH;
import static fr.atypie.publish.SmallPublication.clock;
import static fr.atypie.publish.SmallPublication.publishDepartments;
import static fr.atypie.publish.SmallPublication.publishText;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.CampaignEvaluation;
import fr.atypie.campaigns.CampaignMeasure;
import fr.atypie.campaigns.EvaluationOutputs;
import fr.atypie.cli.AtypieCli;
import fr.atypie.cli.ExitCodes;
import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.MonthBefore;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.S3Server;
import fr.atypie.testing.SharedSpark;
import fr.atypie.testing.StoredLineMonths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Publication on an object store: a real S3 endpoint (S3Proxy in a child JVM) through Hadoop's S3A
 * client, where a folder rename is a copy of each object then a delete. Nothing is renamed there:
 * the month is uploaded as an immutable version, then one PUT of {@code OUT/YYYY-MM.current}
 * publishes it ({@link AtomicPublisher}); every reader resolves that pointer ({@link PublishedMonths}).
 */
@Execution(ExecutionMode.CONCURRENT)   // the readers' test waits for the shared month: see the pom (surefire)
// Guards a hang of the S3 server only. The refresh method waits for the shared month, then refreshes
// its last flux month on S3 (a full rebuild there took 640 s alone on a slow host, past 1,200 s in a
// loaded CI run that was still progressing, 2026-12-05), so the cap is HdfsRefreshTest's.
@Timeout(3600)
class S3PublicationTest {
    private static final AtypieConfig CONFIG = ConfigLoader.defaults();

    @RegisterExtension
    static final S3Server.PerClass S3 = new S3Server.PerClass();

    @Test
    void aMonthPublishedOnS3HoldsTheSameFilesAsOnLocalDiskBehindOnePointer(@TempDir Path local) throws Exception {
        Store onS3 = Store.at(S3.uri() + "/risk/out", S3.configuration());
        assertFalse(onS3.renamesAtomically());
        publishDepartments(MonthlyRelease.open(onS3, MARCH, "run-a", CONFIG, clock()));
        publishDepartments(MonthlyRelease.open(local, MARCH, "run-a", CONFIG, clock()));

        // No month folder, no staging, no lock: the pointer and the version it names.
        assertEquals(List.of("2024-03.current", "versions"), names(onS3));
        assertEquals("# atypie: the published version of 2024-03 (folder relative to this file's folder)\n"
                + "version=versions/2024-03/run-a\n", onS3.readText("2024-03.current").orElseThrow());
        Store month = PublishedMonths.of(onS3, MARCH).orElseThrow();
        assertEquals(onS3.resolve("versions/2024-03/run-a"), month.root());
        assertEquals(List.of("cpg/departements.csv", "cpg/departements.parquet", "manifest.json"), List.copyOf(snapshot(month).keySet()));
        assertEquals(snapshot(Store.local(local.resolve("2024-03"))), snapshot(month));   // same bytes, the manifest too
        assertEquals(2, SharedSpark.get().read().parquet(month.resolve("cpg/departements.parquet").toString()).count());
        assertEquals(List.of(MARCH), PublishedMonths.in(onS3));
        assertEquals(month.root(), PublishedMonths.folder(onS3.child("2024-03")).root());   // as a user names the month
    }

    /**
     * Killed before the pointer moved: the previous version stays published and the orphan upload
     * goes at the next run. Killed after it moved: the new version is published, the one before
     * stays (a reader may have resolved the pointer a moment earlier), the one before that goes.
     */
    @Test
    void aRunKilledBeforeItsPointerMovesLeavesThePreviousVersionPublished() throws Exception {
        Store out = Store.at(S3.uri() + "/kill/out", S3.configuration());
        publishText(AtomicPublisher.at(out), "run1", "v1\n");
        assertEquals("v1\n", read(out));

        // Killed once its files are uploaded, before the pointer's PUT: like a kill -9, nothing is closed.
        AtomicPublisher.Publication killed = SmallPublication.killedAfter(out, AtomicPublisher.Step.VERSION_UPLOADED).begin(MARCH, "run2");
        Files.writeString(killed.staging().resolve("result.csv"), "v2\n", StandardCharsets.UTF_8);
        assertThrows(SmallPublication.Killed.class, killed::commit);
        SmallPublication.removeLocalStaging(killed);
        assertEquals("v1\n", read(out));
        assertEquals(List.of("run1", "run2"), names(out.child("versions/2024-03")));

        // The dead run's lock stops the next run, naming it; the operator removes it and the next
        // recovery deletes the orphan version.
        IllegalStateException locked = assertThrows(IllegalStateException.class, () -> AtomicPublisher.at(out).begin(MARCH, "run3"));
        assertTrue(locked.getMessage().contains(".publish.lock: run run2 on "), locked.getMessage());
        out.fs().delete(out.resolve(".publish.lock"), false);
        AtomicPublisher.Recovery r = AtomicPublisher.at(out).recover();
        assertEquals(List.of("versions/2024-03/run2"), r.deletedLeftovers());
        assertEquals(List.of("run1"), names(out.child("versions/2024-03")));
        assertEquals("v1\n", read(out));

        // Killed right after the pointer's PUT: v3 is published, v1 still kept as the previous version.
        AtomicPublisher.Publication switched = SmallPublication.killedAfter(out, AtomicPublisher.Step.POINTER_SWITCHED).begin(MARCH, "run3");
        Files.writeString(switched.staging().resolve("result.csv"), "v3\n", StandardCharsets.UTF_8);
        assertThrows(SmallPublication.Killed.class, switched::commit);
        SmallPublication.removeLocalStaging(switched);
        assertEquals("v3\n", read(out));
        out.fs().delete(out.resolve(".publish.lock"), false);

        publishText(AtomicPublisher.at(out), "run4", "v4\n");
        assertEquals("v4\n", read(out));
        assertEquals("version=versions/2024-03/run4\nprevious=versions/2024-03/run3\n",
                out.readText("2024-03.current").orElseThrow().lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
        assertEquals(List.of("run3", "run4"), names(out.child("versions/2024-03")));   // run1, two back, deleted
        assertEquals(List.of("2024-03.current", "versions"), names(out));

        // The same run id again (a re-run of a scheduled job) never writes into a kept version.
        publishText(AtomicPublisher.at(out), "run4", "v5\n");
        assertEquals("v5\n", read(out));
        assertEquals(List.of("run4", "run4-2"), names(out.child("versions/2024-03")));
    }

    /**
     * The scheduler's month with its working area (event store, stored lines, quality reports, scratch)
     * and its publication on S3: the working area as the month before left it ({@link MonthBefore}, from
     * the shared month's full build), a copy of the shared extract whose last flux month lands, and
     * {@code refresh} of the month. Every table and workbook it publishes is, byte for byte, what the
     * full rebuild published on the local disk (the quality tables and the report's quality section
     * describe what each run read). Then the readers resolve the pointer: {@code report} re-renders the
     * month's report (made stale here) from its tables, and {@code history --from-targeting
     * s3a://.../OUT/YYYY-MM} reads its action lists as from the local disk.
     */
    @Test
    void aRefreshOnS3PublishesTheLocalBytesAndItsReadersResolveThePointer(@TempDir Path dir) throws Exception {
        PublishedMonth.Fixture f = PublishedMonth.get();
        String month = PublishedMonth.MONTH.toString();
        Path extract = PublishedMonth.link(f.extract(), dir.resolve("extract"));
        Store out = Store.at(S3.uri() + "/refresh/out");
        Store work = Store.at(S3.uri() + "/refresh/work");
        MonthBefore.put(Store.local(extract), work, f);
        assertEquals(ExitCodes.OK, AtypieCli.execute("refresh", "--month", month, "--extract", extract.toString(),
                "--work", work.toString(), "--out", out.toString(), "--config", f.config().toString(),
                "--set", "atypie.spark.master=local[2]"));
        assertEquals(List.of(month + ".current", month + ".status.json", "last-run.status.json", "versions"), names(out));
        assertEquals(List.of(month, "state"), names(work));
        Store version = PublishedMonths.of(out, PublishedMonth.MONTH).orElseThrow();
        assertEquals("incremental", RunManifest.read(version).eventStore().mode());
        for (SndsTable t : MonthBefore.FLUX_TABLES) {   // the new flux month checked, the others read back from S3
            assertEquals(Integer.valueOf(2), StoredLineMonths.generations(StoredLineMonths.inWork(work), t).get(month), t.name());
        }
        Map<String, String> onS3 = snapshot(version);
        Map<String, String> onDisk = snapshot(Store.local(f.publication()));
        onS3.keySet().removeIf(name -> !sameBytes(name));
        onDisk.keySet().removeIf(name -> !sameBytes(name));
        assertTrue(onDisk.size() > 20, onDisk.keySet().toString());
        assertEquals(onDisk, onS3);

        String published = version.readText("rapport.html").orElseThrow();
        version.writeText("rapport.html", "stale");
        assertEquals(ExitCodes.OK, AtypieCli.execute("report", "--month", month, "--out", out.toString(),
                "--config", f.config().toString(), "--set", "atypie.spark.master=local[2]"));
        assertEquals(published, version.readText("rapport.html").orElseThrow());

        Path localHistory = dir.resolve("history.csv");
        assertEquals(ExitCodes.OK, AtypieCli.execute("history", "--from-targeting", f.publication().toString(),
                "--campaign", "c2025", "--out", localHistory.toString(), "--config", f.config().toString()));
        assertEquals(ExitCodes.OK, AtypieCli.execute("history", "--from-targeting", out.child(month).toString(),
                "--campaign", "c2025", "--out", out.child("history.csv").toString(), "--config", f.config().toString()));
        String history = Files.readString(localHistory);
        assertTrue(history.lines().count() > 1, history);
        assertEquals(history, out.readText("history.csv").orElseThrow());
    }

    /** Published files whose bytes do not depend on what the run read: tables and workbooks, not the quality tables or the report. */
    private static boolean sameBytes(String name) {
        return (name.endsWith(".csv") || name.endsWith(".xlsx") || name.endsWith(".html"))
                && !name.startsWith("quality/") && !name.equals("rapport.html");
    }

    /**
     * A campaign evaluation on S3: written once as a version, published by its pointer; a re-run
     * replaces it whole (the version before kept), and the month's publication reads it through the pointer.
     */
    @Test
    void anEvaluationIsAVersionBehindItsPointer() throws Exception {
        Store out = Store.at(S3.uri() + "/evaluated/out", S3.configuration());
        CampaignEvaluation.Result first = evaluation(0.25);
        Store written = EvaluationOutputs.write(SharedSpark.get(), first, out, 10);
        Store evaluations = out.child("evaluations");
        assertEquals(List.of("c1.current", "versions"), names(evaluations));
        assertEquals(written.root(), VersionedFolders.resolve(evaluations, "c1").orElseThrow().root());
        assertTrue(written.root().toString().contains("/evaluations/versions/c1/"), written.toString());
        assertEquals(List.of("balance.csv", "contacts.csv", "cost.csv", "effects.csv", "effects.parquet", "report.html"),
                names(written));

        Thread.sleep(1100);   // version names are the second of the run
        Store second = EvaluationOutputs.write(SharedSpark.get(), evaluation(-0.5), out, 10);
        assertEquals(second.root(), VersionedFolders.resolve(evaluations, "c1").orElseThrow().root());
        assertEquals(2, names(evaluations.child("versions/c1")).size());   // the previous version is kept
        List<fr.atypie.campaigns.PublishedEvaluation> read = fr.atypie.campaigns.PublishedEvaluation.readAll(evaluations);
        assertEquals(1, read.size());
        assertEquals("c1", read.get(0).campaign());
        assertEquals(Optional.empty(), read.get(0).problem());
        assertEquals(-0.5, read.get(0).effects().get(0).did(), 0.0);
    }

    /** One effect of a campaign c1 (difference in differences {@code did}) on enough patients to be shown. */
    private static CampaignEvaluation.Result evaluation(double did) {
        CampaignEvaluation.Effect effect = new CampaignEvaluation.Effect(CampaignMeasure.IJ_PATIENT_SHARE, "m1-m6",
                10.0, 9.0, 10.0, 9.5, did, did - 0.3, did + 0.3, 20, 40, 0.01, -0.2, 0.2, Double.NaN, Double.NaN, Double.NaN,
                CampaignEvaluation.TimePlaceboStatus.OK, 500);
        return new CampaignEvaluation.Result("c1", YearMonth.of(2024, 3), List.of(effect), List.of(), List.of(), List.of(),
                List.of(), 20, 20, 60, List.of(), YearMonth.of(2023, 9), Map.of(YearMonth.of(2024, 3), 20));
    }

    private static String read(Store out) throws IOException {
        return PublishedMonths.of(out, MARCH).orElseThrow().readText("result.csv").orElseThrow();
    }

    private static List<String> names(Store s) throws IOException {
        return s.list().stream().map(st -> st.getPath().getName()).sorted().toList();
    }

    /** SHA-256 of every file under {@code root}, by relative path. */
    private static Map<String, String> snapshot(Store root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (FileStatus f : root.files()) {
            try (var in = root.fs().open(f.getPath())) {
                files.put(root.relative(f.getPath()), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }
}
