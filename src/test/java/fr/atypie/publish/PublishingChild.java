package fr.atypie.publish;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;

/**
 * A publishing run in its own JVM, for the crash tests: {@code slow-write} writes into staging
 * forever (the test kills it), {@code halt-after:STEP} publishes and dies abruptly right after
 * one swap step (Runtime.halt: no finally blocks, no shutdown hooks, like a kill -9).
 */
public final class PublishingChild {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        YearMonth month = YearMonth.parse(args[1]);
        String runId = args[2];
        String mode = args[3];
        AtomicPublisher.StepObserver observer = step -> { };
        if (mode.startsWith("halt-after:")) {
            AtomicPublisher.Step haltStep = AtomicPublisher.Step.valueOf(mode.substring("halt-after:".length()));
            observer = step -> {
                if (step == haltStep) {
                    System.out.flush();
                    Runtime.getRuntime().halt(99);
                }
            };
        }
        AtomicPublisher publisher = new AtomicPublisher(out, observer);
        try (AtomicPublisher.Publication p = publisher.begin(month, runId)) {
            if (mode.equals("slow-write")) {
                for (int i = 0; i < 3000; i++) {   // bounded: ends within a minute if the test never kills it
                    Files.writeString(p.staging().resolve(String.format("part-%05d.csv", i)), "child row " + i + "\n",
                            StandardCharsets.UTF_8);
                    System.out.println("wrote " + i);
                    System.out.flush();
                    Thread.sleep(20);
                }
                return;   // never committed: close() removes the staging folder
            }
            Files.writeString(p.staging().resolve("result.csv"), "written by " + runId + "\n", StandardCharsets.UTF_8);
            p.commit();
        }
    }
}
