package fr.atypie.testing;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Where the suite's time goes: the process CPU time of each interval between class starts and ends,
 * shared equally among the test classes running in it, written to {@code target/test-cpu.tsv}
 * ({@code target/test-cpu-it.tsv} for the integration tests): class, CPU seconds, wall seconds, and
 * when it first started and last ended (seconds from the suite's start), heaviest first, after a first
 * row {@code (jvm)} with the whole run's CPU and wall time. Classes run two at a time or more, so
 * their wall times overlap and say little; the CPU shares add up to the suite's CPU (this JVM's: the
 * cluster test's daemons are other processes) and tell which classes to make smaller when the suite
 * nears its 20-minute budget.
 *
 * <p>Beside it, {@code target/test-cpu-timeline.tsv} (or {@code -it-timeline}): every
 * {@value #SAMPLE_SECONDS} s, the JVM's CPU over that interval as a share of the machine's cores, and
 * the classes running. Where the cores are busy, only less CPU shortens the suite; where they idle
 * (a class waiting for the shared month, a lock, a server), the order of classes does. Registered
 * through {@code META-INF/services}; it prints nothing and asserts nothing.
 */
public final class ClassCpuListener implements TestExecutionListener {
    static final int SAMPLE_SECONDS = 10;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, double[]> byClass = new LinkedHashMap<>();   // class -> {cpu s, started at, wall s, first start, last end} (s from the suite's start)
    private final List<String> running = new ArrayList<>();
    private final StringBuilder timeline = new StringBuilder("at_s\tbusy_share\tclasses_running\n");
    private final int cores = Runtime.getRuntime().availableProcessors();
    private long startCpu = os.getProcessCpuTime();
    private double startWall = System.nanoTime() / 1e9;
    private long lastCpu = startCpu;
    private long sampledCpu = startCpu;
    private ScheduledExecutorService sampler;

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        startWall = System.nanoTime() / 1e9;
        startCpu = os.getProcessCpuTime();
        lastCpu = startCpu;
        sampledCpu = startCpu;
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "class-cpu-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        className(id).ifPresent(c -> {
            share();
            running.add(c);
            double[] a = byClass.computeIfAbsent(c, k -> new double[] {0, 0, 0, now(), 0});
            a[1] = now();
        });
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        className(id).ifPresent(c -> {
            share();
            running.remove(c);
            double[] a = byClass.get(c);
            a[2] += now() - a[1];
            a[4] = now();
        });
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        share();
        StringBuilder out = new StringBuilder("class\tcpu_s\twall_s\tfrom_s\tto_s\n");
        out.append(String.format(Locale.ROOT, "(jvm)\t%.1f\t%.1f\t0\t%.1f%n", (os.getProcessCpuTime() - startCpu) / 1e9, now(), now()));
        byClass.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s\t%.1f\t%.1f\t%.1f\t%.1f%n", e.getKey(),
                        e.getValue()[0], e.getValue()[2], e.getValue()[3], e.getValue()[4])));
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                // Surefire's and failsafe's JVMs each write their own (pom.xml names them).
                String file = System.getProperty("atypie.test.cpu.file", "test-cpu.tsv");
                Files.writeString(target.resolve(file), out);
                Files.writeString(target.resolve(file.replace(".tsv", "-timeline.tsv")), timeline);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of the timeline: the share of the cores this JVM used since the last sample. */
    private synchronized void sample() {
        long cpu = os.getProcessCpuTime();
        timeline.append(String.format(Locale.ROOT, "%.0f\t%.2f\t%s%n", now(), (cpu - sampledCpu) / 1e9 / SAMPLE_SECONDS / cores,
                String.join(",", running.stream().map(c -> c.substring(c.lastIndexOf('.') + 1)).toList())));
        sampledCpu = cpu;
    }

    private double now() {
        return System.nanoTime() / 1e9 - startWall;
    }

    /** The CPU spent since the last event, shared among the classes that were running. */
    private void share() {
        long now = os.getProcessCpuTime();
        if (!running.isEmpty()) {
            double each = (now - lastCpu) / 1e9 / running.size();
            running.forEach(c -> byClass.get(c)[0] += each);
        }
        lastCpu = now;
    }

    private static Optional<String> className(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName());
    }
}
