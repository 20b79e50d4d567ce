package fr.atypie.publish;

import static fr.atypie.publish.SmallPublication.MARCH;
import static fr.atypie.publish.SmallPublication.clock;
import static fr.atypie.publish.SmallPublication.publishDepartments;
import static fr.atypie.publish.SmallPublication.publishText;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.quality.QualityOutputs;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import fr.atypie.snds.SndsFixture;
import fr.atypie.testing.MiniHdfs;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Publication on a real HDFS (a one-datanode MiniDFSCluster in this JVM, ephemeral ports): the
 * same files as on the local disk, a run killed mid-publication leaves the previous month
 * readable, and the configuration file can live on HDFS.
 */
@Isolated("captures System.err; starts a MiniDFSCluster: one at a time in the JVM")
@Timeout(600)   // guards a hang of the cluster only
class HdfsPublicationTest {
    private static final AtypieConfig CONFIG = ConfigLoader.defaults();

    @RegisterExtension
    static final MiniHdfs.PerClass HDFS = new MiniHdfs.PerClass();

    @Test
    void aMonthPublishedOnHdfsHoldsTheSameFilesAsOnLocalDisk(@TempDir Path local) throws Exception {
        Store onHdfs = Store.at(HDFS.uri() + "/risk/out", HDFS.configuration());
        assertFalse(onHdfs.isLocal());
        publishDepartments(MonthlyRelease.open(onHdfs, MARCH, "run-a", CONFIG, clock()));
        publishDepartments(MonthlyRelease.open(local, MARCH, "run-a", CONFIG, clock()));

        Map<String, String> fromHdfs = snapshot(onHdfs.fs(), onHdfs.resolve("2024-03"));
        Map<String, String> fromDisk = new TreeMap<>(AtomicPublisherTest.snapshot(local.resolve("2024-03")));
        assertEquals(List.of("cpg/departements.csv", "cpg/departements.parquet", "manifest.json"), List.copyOf(fromHdfs.keySet()));
        assertEquals(fromDisk, fromHdfs);   // same bytes, the manifest too (same clock, same run id)
        String csv = onHdfs.readText("2024-03/cpg/departements.csv").orElseThrow();
        assertEquals(3, csv.lines().count(), csv);    // header + 2 departments
        assertEquals(2, SharedSpark.get().read().parquet(onHdfs.resolve("2024-03/cpg/departements.parquet").toString()).count());
        assertEquals(List.of("2024-03"), names(onHdfs));   // no staging, backup or lock left
    }

    @Test
    void aRunKilledMidPublicationLeavesThePreviousMonthReadable() throws Exception {
        Store out = Store.at(HDFS.uri() + "/kill/out", HDFS.configuration());
        publishText(AtomicPublisher.at(out), "run1", "v1\n");
        assertEquals("v1\n", out.readText("2024-03/result.csv").orElseThrow());

        // Killed once the new files are uploaded, before any rename: like a kill -9, nothing is closed.
        AtomicPublisher.Publication killed = SmallPublication.killedAfter(out, AtomicPublisher.Step.STAGING_UPLOADED)
                .begin(MARCH, "run2");
        Files.writeString(killed.staging().resolve("result.csv"), "v2\n", StandardCharsets.UTF_8);
        assertThrows(SmallPublication.Killed.class, killed::commit);
        SmallPublication.removeLocalStaging(killed);
        assertEquals("v1\n", out.readText("2024-03/result.csv").orElseThrow());
        assertEquals(List.of(".publish.lock", ".staging-2024-03-run2", "2024-03"), names(out));

        // The next run finds the dead run's lock: it stops and names it; the operator removes it.
        IllegalStateException locked = assertThrows(IllegalStateException.class,
                () -> AtomicPublisher.at(out).begin(MARCH, "run3"));
        assertTrue(locked.getMessage().contains(".publish.lock: run run2 on "), locked.getMessage());
        out.fs().delete(out.resolve(".publish.lock"), false);

        // Killed between the two renames: no month folder for a moment, the backup holds v1.
        AtomicPublisher.Publication killedMidSwap = SmallPublication.killedAfter(out, AtomicPublisher.Step.PREVIOUS_MOVED_TO_BACKUP)
                .begin(MARCH, "run3");   // recovers first: the leftover staging of run2 goes
        Files.writeString(killedMidSwap.staging().resolve("result.csv"), "v3\n", StandardCharsets.UTF_8);
        assertThrows(SmallPublication.Killed.class, killedMidSwap::commit);
        SmallPublication.removeLocalStaging(killedMidSwap);
        assertEquals(List.of(".backup-2024-03-run3", ".publish.lock", ".staging-2024-03-run3"), names(out));
        out.fs().delete(out.resolve(".publish.lock"), false);

        AtomicPublisher.Recovery r = AtomicPublisher.at(out).recover();
        assertEquals(List.of(MARCH), r.restoredBackups());
        assertEquals(List.of(".staging-2024-03-run3"), r.deletedLeftovers());
        assertEquals("v1\n", out.readText("2024-03/result.csv").orElseThrow());
        assertEquals(List.of("2024-03"), names(out));

        publishText(AtomicPublisher.at(out), "run4", "v4\n");
        assertEquals("v4\n", out.readText("2024-03/result.csv").orElseThrow());
        assertEquals(List.of("2024-03"), names(out));
    }

    /**
     * Restricted outputs on HDFS get the modes they get on a local disk: owner-only by default, the
     * configured group's read access otherwise; the public part keeps the usual modes.
     */
    @Test
    void restrictedOutputsAndTheQuarantineAreOwnerOnlyOnHdfs() throws Exception {
        Store out = Store.at(HDFS.uri() + "/secret/out", HDFS.configuration());
        publishRestricted(MonthlyRelease.open(out, MARCH, "run-r", CONFIG, clock()));
        FileSystem fs = out.fs();
        assertEquals(Map.of("", "rwxr-xr-x", "indicators.csv", "rw-r--r--", "manifest.json", "rw-r--r--", "restricted", "rwx------",
                "restricted/segments.csv", "rw-------", "restricted/workbooks", "rwx------",
                "restricted/workbooks/ciblage-034.xlsx", "rw-------"), modes(fs, out.resolve("2024-03"), false));

        // Opened to a group: it owns the restricted files and may read them; others still may not.
        AtypieConfig grouped = ConfigLoader.load(Optional.empty(), Map.of(RestrictedAccess.GROUP_KEY, "riskteam"));
        Store shared = Store.at(HDFS.uri() + "/shared/out", HDFS.configuration());
        publishRestricted(MonthlyRelease.open(shared, MARCH, "run-g", grouped, clock()));
        assertEquals(Map.of("restricted", "rwxr-x--- riskteam", "restricted/segments.csv", "rw-r----- riskteam",
                "restricted/workbooks", "rwxr-x--- riskteam", "restricted/workbooks/ciblage-034.xlsx", "rw-r----- riskteam"),
                modes(fs, shared.resolve("2024-03/restricted"), true).entrySet().stream().collect(java.util.stream.Collectors
                        .toMap(e -> e.getKey().isEmpty() ? "restricted" : "restricted/" + e.getKey(), Map.Entry::getValue)));

        // The quarantine (patient pseudonyms) written on HDFS: owner-only, the reports (counts) not.
        ValidatedExtract v = new Validator(CONFIG.quality(), CONFIG.dcir().codes()).validate(SndsFixture.extract(
                SndsFixture.prs().keys(1), SndsFixture.prs().keys(1)));
        Store quality = Store.at(HDFS.uri() + "/work/2024-03/quality", HDFS.configuration());
        QualityOutputs.write(v, quality, "test extract", RestrictedAccess.ownerOnly());
        Map<String, String> modes = modes(fs, quality.root(), false);
        assertEquals("rwxr-xr-x", modes.get(""));
        assertEquals("rw-r--r--", modes.get(QualityOutputs.REPORT_TEXT));
        assertEquals("rwx------", modes.get("quarantine"));
        assertEquals("rwx------", modes.get("quarantine/ER_PRS_F"));
        modes.forEach((path, mode) -> {
            if (path.startsWith("quarantine/") && !path.endsWith("_F") && !path.endsWith("_R")) {
                assertEquals("rw-------", mode, path);
            }
        });
        assertEquals(1, SharedSpark.get().read().parquet(quality.resolve("quarantine/ER_PRS_F").toString()).count());
    }

    private static void publishRestricted(MonthlyRelease release) throws IOException {
        try (release) {
            Path restricted = release.restrictedFolder("restricted");
            Files.writeString(restricted.resolve("segments.csv"), "prescriber_id\nP1\n");
            // Written later, in a sub-folder: restricted all the same at commit.
            Files.writeString(Files.createDirectories(restricted.resolve("workbooks")).resolve("ciblage-034.xlsx"), "x");
            release.text("indicators.csv", "dept\n034\n");
            release.commit();
        }
    }

    /** Mode of every file and folder under {@code root} (root itself as ""), with the group when asked. */
    private static Map<String, String> modes(FileSystem fs, org.apache.hadoop.fs.Path root, boolean group) throws IOException {
        Map<String, String> out = new TreeMap<>();
        String prefix = fs.makeQualified(root).toString();
        java.util.ArrayDeque<org.apache.hadoop.fs.FileStatus> todo = new java.util.ArrayDeque<>(List.of(fs.getFileStatus(root)));
        while (!todo.isEmpty()) {
            org.apache.hadoop.fs.FileStatus st = todo.pop();
            String name = st.getPath().toString().substring(prefix.length()).replaceFirst("^/", "");
            out.put(name, st.getPermission().toString() + (group ? " " + st.getGroup() : ""));
            if (st.isDirectory()) {
                todo.addAll(List.of(fs.listStatus(st.getPath())));
            }
        }
        return out;
    }

    @Test
    void theConfigurationFileIsReadFromHdfs(@TempDir Path local) throws Exception {
        Store conf = Store.at(HDFS.uri() + "/conf", HDFS.configuration());
        conf.writeTextAtomically("site.conf", "atypie.spark.shuffle-partitions = 0\n");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        int missing;
        try {
            code = fr.atypie.cli.AtypieCli.execute("validate", local.toString(), "--config", HDFS.uri() + "/conf/site.conf");
            missing = fr.atypie.cli.AtypieCli.execute("validate", local.toString(), "--config", HDFS.uri() + "/conf/none.conf");
        } finally {
            System.setErr(stderr);
        }
        // Exit 3 naming the key: the file was read from HDFS, then rejected like a local one.
        assertEquals(fr.atypie.cli.ExitCodes.BAD_CONFIG, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("atypie.spark.shuffle-partitions = 0 is outside [1, 100000]"));
        assertEquals(fr.atypie.cli.ExitCodes.BAD_CONFIG, missing);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read the configuration file " + HDFS.uri() + "/conf/none.conf"));
    }

    private static List<String> names(Store s) throws IOException {
        return java.util.Arrays.stream(s.fs().listStatus(s.root())).map(st -> st.getPath().getName()).sorted().toList();
    }

    private static Map<String, String> snapshot(FileSystem fs, org.apache.hadoop.fs.Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        String prefix = fs.makeQualified(root).toString() + "/";
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            try (var in = fs.open(f.getPath())) {
                files.put(f.getPath().toString().substring(prefix.length()), HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }
}
