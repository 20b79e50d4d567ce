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
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Where the suite's time goes: the process CPU time of each interval between class starts and ends,
 * shared equally among the test classes running in it, written to {@code target/test-cpu.tsv}
 * ({@code target/test-cpu-it.tsv} for the integration tests): class, CPU seconds, wall seconds,
 * heaviest first. Classes run two at a time or more, so their wall times overlap and say little; the
 * CPU shares add up to the suite's CPU (this JVM's: the cluster test's daemons are other processes)
 * and tell which classes to make smaller when the suite nears its 20-minute budget. Registered
 * through {@code META-INF/services}; it prints nothing and asserts nothing.
 */
public final class ClassCpuListener implements TestExecutionListener {
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, double[]> byClass = new LinkedHashMap<>();   // class -> {cpu s, started at s, wall s}
    private final List<String> running = new ArrayList<>();
    private long lastCpu = os.getProcessCpuTime();

    @Override
    public synchronized void executionStarted(TestIdentifier id) {
        className(id).ifPresent(c -> {
            share();
            running.add(c);
            byClass.computeIfAbsent(c, k -> new double[3])[1] = System.nanoTime() / 1e9;
        });
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        className(id).ifPresent(c -> {
            share();
            running.remove(c);
            double[] a = byClass.get(c);
            a[2] += System.nanoTime() / 1e9 - a[1];
        });
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        share();
        StringBuilder out = new StringBuilder("class\tcpu_s\twall_s\n");
        byClass.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s\t%.1f\t%.1f%n", e.getKey(), e.getValue()[0],
                        e.getValue()[2])));
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                // Surefire's and failsafe's JVMs each write their own (pom.xml names them).
                Files.writeString(target.resolve(System.getProperty("atypie.test.cpu.file", "test-cpu.tsv")), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
