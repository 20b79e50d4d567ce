package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.cli.AtypieCli;
import fr.atypie.cli.ExitCodes;
import fr.atypie.fs.Store;
import fr.atypie.publish.CatalogRegistration;
import fr.atypie.publish.RunManifest;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.MiniHdfs;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands end to end on a real HDFS (a one-datanode MiniDFSCluster in this JVM): the shared
 * test extract copied there, {@code refresh} reads it and keeps its working area and publication
 * there, {@code report} re-renders the month there and {@code evaluate} reads the extract and
 * writes its evaluation there; each gives the same rows and bytes as on the local disk. The local
 * side is the shared published month ({@link PublishedMonth}): this class runs one refresh only.
 */
@Timeout(2400)   // guards a hang of the cluster only (one refresh and two evaluations: 24 min measured on 2 busy cores)
class HdfsRefreshTest {
    private static final String MONTH = PublishedMonth.MONTH.toString();
    /** Files that name the extract's location (a local path there, an hdfs:// URI here) or the run. */
    private static final List<String> NAMING_THE_RUN = List.of("manifest.json", "quality/quality-report.json",
            "quality/quality-report.txt");

    @RegisterExtension
    static final MiniHdfs.PerClass HDFS = new MiniHdfs.PerClass();

    @BeforeAll
    static void startSpark() {
        SharedSpark.get();
    }

    @Test
    void refreshReportAndEvaluateOnHdfsGiveTheRowsOfTheLocalRun(@TempDir Path local) throws Exception {
        PublishedMonth.Fixture f = PublishedMonth.get();
        Store root = Store.at(HDFS.uri() + "/risk");
        root.fs().copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.extract().toUri()), root.resolve("extract"));
        String extract = HDFS.uri() + "/risk/extract";
        String out = HDFS.uri() + "/risk/out";
        String work = HDFS.uri() + "/risk/work";

        // 1. refresh: extract, working area and publication on HDFS, the month registered in the session's catalog.
        assertEquals(ExitCodes.OK, AtypieCli.execute("refresh", "--month", MONTH, "--extract", extract, "--work", work,
                "--out", out, "--config", f.config().toString(), "--set", "atypie.spark.master=local[2]",
                "--set", "atypie.publish.catalog.enabled=true"));
        Store month = Store.at(out).child(MONTH);
        Map<String, String> onDisk = snapshot(Store.local(f.publication()));
        Map<String, String> onHdfs = snapshot(month);
        assertEquals(onDisk.keySet(), onHdfs.keySet(), "the same files are published");
        List<String> differ = onDisk.keySet().stream().filter(k -> !onDisk.get(k).equals(onHdfs.get(k))).toList();
        assertEquals(NAMING_THE_RUN, differ, "every table, workbook and report byte-identical");
        // The quality reports differ by the extract's name only.
        for (String q : NAMING_THE_RUN.subList(1, 3)) {
            assertEquals(Files.readString(f.publication().resolve(q)).replace(f.extract().toString(), extract),
                    month.readText(q).orElseThrow(), q);
        }
        // The same rows, read back by Spark from each side, table by table.
        int tables = 0;
        for (String file : onDisk.keySet().stream().filter(k -> k.endsWith(".parquet")).toList()) {
            List<String> expected = rows(f.publication().resolve(file).toString());
            assertEquals(expected, rows(month.resolve(file).toString()), file);
            tables++;
        }
        assertEquals(15, tables);
        assertEquals(rows(f.publication().resolve("indicators.parquet").toString()).size(),
                month.readText("plain/indicators.csv").orElseThrow().lines().count() - 1);
        // The manifests list the same outputs and read the same input rows.
        RunManifest before = RunManifest.read(f.publication().resolve(RunManifest.FILE_NAME));
        RunManifest after = RunManifest.read(month);
        assertEquals(before.outputs().stream().filter(o -> !NAMING_THE_RUN.contains(o.path())).toList(),
                after.outputs().stream().filter(o -> !NAMING_THE_RUN.contains(o.path())).toList());
        assertEquals(before.inputs().stream().map(i -> i.table() + " " + i.rows() + " rows, " + i.files() + " files").toList(),
                after.inputs().stream().map(i -> i.table() + " " + i.rows() + " rows, " + i.files() + " files").toList());
        assertTrue(after.inputs().get(0).path().startsWith(extract), after.inputs().get(0).path());
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
            assertEquals(List.of("[" + MONTH + "," + rows(f.publication().resolve("indicators.parquet").toString()).size() + "]"),
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

        // 2. report: re-rendered on HDFS from the published tables, the refresh's bytes again.
        String published = month.readText(MonthlyReport.REPORT_FILE).orElseThrow();
        month.writeTextAtomically(MonthlyReport.REPORT_FILE, "stale");
        assertEquals(ExitCodes.OK, AtypieCli.execute("report", "--month", MONTH, "--out", out,
                "--config", f.config().toString(), "--set", "atypie.spark.master=local[2]"));
        assertEquals(published, month.readText(MonthlyReport.REPORT_FILE).orElseThrow());
        assertEquals(Files.readString(f.publication().resolve(MonthlyReport.REPORT_FILE)), published);
        assertEquals("rw-------", w.fs().getFileStatus(month.resolve("restricted/rapport-prescripteurs.html"))
                .getPermission().toString());

        // 3. evaluate: a campaign on four of the month's prescribers, from the extract on HDFS and on disk.
        List<String> ids = SharedSpark.get().read().parquet(f.publication().resolve("restricted/segments.parquet").toString())
                .select("prescriber_id").distinct().orderBy("prescriber_id").limit(4).collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        StringBuilder history = new StringBuilder("campaign;prescriber_id;action;theme;start;end;outcome\n");
        ids.forEach(id -> history.append("c1;").append(id).append(";DAM;sick-leave;2024-01;;\n"));
        Path localHistory = Files.writeString(local.resolve("history.csv"), history.toString());
        root.writeText("history.csv", history.toString());
        String[] settings = {"--config", f.config().toString(), "--set", "atypie.spark.master=local[2]",
            "--set", "atypie.methods.bootstrap.replicates=100",
            // The four (the first ids) are all the GPs of two small departments: controls come from the region,
            // and the tiny extract's 46 prescribers leave none within the default 0.5 SD.
            "--set", "atypie.campaigns.match-within=region", "--set", "atypie.campaigns.caliper=100"};
        assertEquals(ExitCodes.OK, AtypieCli.execute(concat(new String[] {"evaluate", "--campaign", "c1", "--history",
            localHistory.toString(), "--extract", f.extract().toString(), "--out", local.resolve("out").toString()}, settings)));
        assertEquals(ExitCodes.OK, AtypieCli.execute(concat(new String[] {"evaluate", "--campaign", "c1", "--history",
            HDFS.uri() + "/risk/history.csv", "--extract", extract, "--out", out}, settings)));
        Map<String, String> evaluatedOnDisk = snapshot(Store.local(local.resolve("out/evaluations/c1")));
        assertEquals(List.of("balance.csv", "contacts.csv", "cost.csv", "effects.csv", "effects.parquet", "report.html"),
                List.copyOf(evaluatedOnDisk.keySet()));
        assertEquals(evaluatedOnDisk, snapshot(Store.at(out).child("evaluations/c1")));
        List<String> effects = rows(local.resolve("out/evaluations/c1/effects.parquet").toString());
        assertEquals(effects, rows(out + "/evaluations/c1/effects.parquet"));
        assertEquals(effects.size(), Store.at(out).readText("evaluations/c1/effects.csv").orElseThrow().lines().count() - 1);
        assertFalse(effects.isEmpty());
        assertEquals(List.of("c1"), names(Store.at(out).child("evaluations")));
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

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
