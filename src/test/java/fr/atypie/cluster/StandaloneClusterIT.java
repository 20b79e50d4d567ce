package fr.atypie.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.fs.Store;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.testing.MiniHdfs;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real Spark standalone cluster built from the Maven jars (no Spark download): a
 * master and two workers on 127.0.0.1 (2 cores, 2 GiB each); {@code refresh} submitted with
 * SparkSubmit from the spark-submit jar in cluster mode: the driver on a worker, an executor on
 * each worker. Its publication is compared file by file with a local-mode run of the same extract;
 * the two runs go at once, in the set-up. (A third run, in client mode, had the executors of this
 * one without its remote driver: it cost a third of the class, 255 s then, for no further cover.)
 * Runs after {@code package} (failsafe): it needs target/atypie-spark.jar
 * and target/lib. conf/cluster/README.md gives the same steps by hand (in client mode).
 *
 * <p>The extract is read from HDFS (a MiniDFSCluster in the test JVM), as on a production cluster;
 * the work areas and publications are local folders that every JVM here shares. The extract is an
 * eighth of the shared test month's size (scale 0.002, the last 6 care months,
 * 3-month windows): what is checked is that the cluster publishes what a local run does, which any
 * size shows (measured: 542 s for the three refreshes on a loaded machine, 549 s over 24 months:
 * a refresh of a small extract is mostly fixed Spark overhead). Time-outs only guard against a
 * hang: generous, as a loaded machine slows a progressing run several-fold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
    /** Where the extract lives: a one-datanode MiniDFSCluster in this JVM, read by every JVM the test starts. */
    @RegisterExtension
    static final MiniHdfs.PerClass HDFS = new MiniHdfs.PerClass();

    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final String MONTH = PublishedMonth.MONTH.toString();
    static final String CONFIG = PublishedMonth.CONFIG.replace("scale = 0.004",
            "scale = 0.002, months = 6, first-month = \"2024-07\"") + "atypie.indicators.window-months = 3\n";
    static final int RUN_TIMEOUT_S = 1800;

    @TempDir
    static Path dir;
    final List<Process> started = new ArrayList<>();
    Path sparkJar;
    List<String> flags;
    Path conf;
    /** The extract on the HDFS of this test, where every run (local and cluster mode) reads it. */
    String extract;
    Path sparkHome;
    String master;
    int localExit;
    int clusterModeExit;

    @BeforeAll
    void generateAndStartTheCluster() throws Exception {
        sparkJar = TARGET.resolve("atypie-spark.jar");
        assertTrue(Files.isRegularFile(sparkJar), sparkJar + " missing: run through 'mvn verify' (package comes first)");
        // The launcher's flags, plus the test JIT setting (pom.xml's test.jit.flags) for every JVM started here.
        flags = new ArrayList<>(List.of(Files.readString(TARGET.resolve("classes/atypie-jvm.options")).trim().split("\\s+")));
        String jit = System.getProperty("atypie.test.jit.flags", "").trim();
        if (!jit.isEmpty()) {
            flags.addAll(List.of(jit.split("\\s+")));
        }
        assertTrue(CONFIG.contains("scale = 0.002"), CONFIG);
        conf = Files.writeString(dir.resolve("test.conf"), CONFIG);
        AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
        ExtractGenerator.generate(config.synth(), dir.resolve("data"));
        Store onHdfs = Store.at(HDFS.uri() + "/extract", HDFS.configuration());
        onHdfs.fs().copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dir.resolve("data/extract").toUri()),
                onHdfs.root());
        extract = onHdfs.toString();
        sparkHome = sparkHome();
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        daemon(sparkHome, flags, "master", "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        for (int w = 1; w <= 2; w++) {
            daemon(sparkHome, flags, "worker" + w, "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", Files.createDirectories(dir.resolve("work-worker" + w)).toString(), master);
        }
        for (int w = 1; w <= 2; w++) {
            awaitLog(dir.resolve("worker" + w + ".log"), "Successfully registered with master", 300);
        }
        Process local = start(localRun(), "local");
        Process clusterMode = start(clusterModeRun(), "cluster-mode");
        localExit = await(local, "local", RUN_TIMEOUT_S);
        clusterModeExit = await(clusterMode, "cluster-mode", RUN_TIMEOUT_S);
    }

    @AfterAll
    void stopTheCluster() throws InterruptedException {
        for (Process p : reversed(started)) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Reference: local mode, the launcher's classpath (bin/atypie). */
    private List<String> localRun() throws IOException {
        List<String> local = new ArrayList<>(List.of(java()));
        local.addAll(flags);
        local.addAll(List.of("-Xmx1g", "-cp", TARGET.resolve("atypie.jar") + ":" + TARGET.resolve("lib") + "/*",
                "fr.atypie.cli.AtypieCli"));
        local.addAll(refresh(extract, conf, "local", "--set", "atypie.spark.master=local[2]"));
        return local;
    }

    /**
     * Cluster mode: the driver on a worker (DriverWrapper), one executor of 1 core on each worker (the
     * master spreads an application's executors over the workers).
     */
    private List<String> clusterModeRun() {
        return submit("cluster", "256m", " -Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath(),
                List.of("spark.standalone.submit.waitAppCompletion=true", "spark.driver.memory=512m", "spark.driver.cores=1",
                        "spark.executor.memory=512m", "spark.executor.cores=1", "spark.cores.max=2"), "cluster-mode");
    }

    /**
     * A spark-submit to the standalone master, as conf/cluster's scripts make it: the job's JVM flags
     * for driver and executors, then {@code confs} (the deploy mode's resources), then the refresh.
     *
     * @param submitterHeap heap of the submitting JVM (the driver's too in client mode)
     * @param driverExtra   more driver JVM options
     * @param name          the run's name: its out-, work- folders
     */
    private List<String> submit(String deployMode, String submitterHeap, String driverExtra, List<String> confs,
                                String name) {
        String flagLine = String.join(" ", flags);
        List<String> submit = new ArrayList<>(List.of(java()));
        submit.addAll(flags);
        submit.addAll(List.of("-Xmx" + submitterHeap, "-cp", sparkHome.resolve("jars") + "/*",
                "org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", deployMode,
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.extraJavaOptions=" + flagLine + driverExtra,
                "--conf", "spark.executor.extraJavaOptions=" + flagLine));
        for (String c : confs) {
            submit.addAll(List.of("--conf", c));
        }
        submit.addAll(List.of("--class", "fr.atypie.cli.AtypieCli", sparkJar.toString()));
        submit.addAll(refresh(extract, conf, name));
        return submit;
    }

    @Test
    void clusterRunPublishesTheSameFilesAsALocalRun() throws Exception {
        assertEquals(0, localExit, "local run failed, see " + dir.resolve("local.log"));
        assertEquals(0, clusterModeExit, "cluster-mode submission failed, see " + dir.resolve("cluster-mode.log"));
        // Both executors took part: each worker launched one, for the one application the cluster ran.
        Matcher app = Pattern.compile("Asked to launch executor (app-[0-9-]+)/")
                .matcher(Files.readString(dir.resolve("worker1.log")));
        assertTrue(app.find(), "worker 1 launched no executor:\n" + tail(dir.resolve("worker1.log")));
        awaitLog(dir.resolve("worker2.log"), "Asked to launch executor " + app.group(1) + "/", 1);

        Path a = dir.resolve("out-local").resolve(MONTH);
        Path b = dir.resolve("out-cluster-mode").resolve(MONTH);
        List<Path> files = files(a);
        assertEquals(files, files(b), "published file lists differ");
        assertTrue(files.size() >= 20, "published files: " + files);
        List<String> byteDifferences = new ArrayList<>();
        for (Path f : files) {
            if (f.toString().equals("manifest.json")) {
                continue;
            }
            boolean same = Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)));
            if (f.toString().endsWith(".parquet")) {
                // Same rows and values, in the same order. Bytes may differ: parquet-mr writes a column's
                // encodings from a hash set, whose order follows the JVM's identity hash codes.
                assertEquals(SharedSpark.get().read().parquet(a.resolve(f).toString()).collectAsList(),
                        SharedSpark.get().read().parquet(b.resolve(f).toString()).collectAsList(),
                        f + " holds different rows in the local and the cluster run");
                if (!same) {
                    byteDifferences.add(f.toString());
                }
            } else {
                assertTrue(same, f + " differs between the local and the cluster run");
            }
        }
        System.err.println("StandaloneClusterIT: Parquet files equal by rows but not by bytes: " + byteDifferences);
    }

    /**
     * Cluster deploy mode: the master starts the driver on a worker (DriverWrapper), the
     * executors run on the workers. The driver's main returns on success (no System.exit), the worker
     * reports the driver "exited successfully", and the run-status file says succeeded.
     */
    @Test
    void clusterDeployModeReportsSuccessAndPublishes() throws Exception {
        assertEquals(0, clusterModeExit, "cluster-mode submission failed, see " + dir.resolve("cluster-mode.log"));
        boolean exitedSuccessfully = false;
        for (int w = 1; w <= 2; w++) {
            exitedSuccessfully |= Files.readString(dir.resolve("worker" + w + ".log")).contains("exited successfully");
        }
        assertTrue(exitedSuccessfully, "no worker saw the driver exit successfully");
        Path out = dir.resolve("out-cluster-mode");
        String status = Files.readString(out.resolve(MONTH + ".status.json"));
        assertTrue(status.contains("\"status\" : \"succeeded\"") && status.contains("\"exitCode\" : 0"), status);
        assertTrue(Files.isRegularFile(out.resolve(MONTH).resolve("manifest.json")));
        assertTrue(files(out.resolve(MONTH)).size() >= 20, "published files: " + files(out.resolve(MONTH)));
    }

    private List<String> refresh(String extract, Path conf, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("refresh", "--month", MONTH, "--extract", extract,
                "--out", dir.resolve("out-" + name).toString(), "--work", dir.resolve("work-" + name).toString(),
                "--config", conf.toString()));
        args.addAll(List.of(more));
        return args;
    }

    /** SPARK_HOME from the Maven jars: jars/ is target/lib, RELEASE tells the launcher to use it. */
    private Path sparkHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(home.resolve("jars"), TARGET.resolve("lib"));
        Files.writeString(home.resolve("RELEASE"), "Spark 3.5.7 (jars from the atypie Maven build)\n");
        return home;
    }

    private void daemon(Path sparkHome, List<String> flags, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-Xmx256m", "-cp", sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        // Without SPARK_HOME and the Scala version, executors fail with "Cannot find any build directories".
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        started.add(pb.start());
    }

    private Process start(List<String> cmd, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static int await(Process p, String name, int timeoutSeconds) throws IOException, InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " run took more than " + timeoutSeconds + " s:\n" + tail(dir.resolve(name + ".log")));
        }
        if (p.exitValue() != 0) {
            System.err.println(tail(dir.resolve(name + ".log")));
        }
        return p.exitValue();
    }

    private static void awaitLog(Path log, String line, int seconds) throws IOException, InterruptedException {
        for (int i = 0; i < seconds * 4; i++) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(log.getFileName() + ": no '" + line + "' within " + seconds + " s:\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Process> reversed(List<Process> ps) {
        List<Process> r = new ArrayList<>(ps);
        java.util.Collections.reverse(r);
        return r;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
