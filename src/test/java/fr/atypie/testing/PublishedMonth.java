package fr.atypie.testing;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.events.EventStore;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.synth.ExtractGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One tiny generated extract and its published month, built once per test JVM and shared by the
 * tests that read a publication (report re-rendering, notebooks): a refresh costs tens of seconds.
 * Tiers are planted often enough that a 21-GP region has atypical prescribers to show.
 */
public final class PublishedMonth {
    public static final YearMonth MONTH = YearMonth.of(2024, 12);
    public static final String CONFIG = """
            atypie.synth { scale = 0.004, campaign.enabled = false,
              truth { strong-share = 0.15, moderate-share = 0.1, casemix-share = 0.15, small-share = 0.15 } }
            atypie.atypie { activity-bands = [0], min-patients = 25 }
            """;

    /**
     * @param root    the temporary folder; {@code config} is the test configuration file there
     * @param outcome what the refresh returned (segments, indicators, targeting), for the end-to-end checks
     */
    public record Fixture(Path root, Path config, AtypieConfig settings, Path extract, Path out, MonthlyRefresh.Outcome outcome) {
        public Path publication() {
            return out.resolve(MONTH.toString());
        }

        /**
         * {@code use} of the month's event store (in {@code root/work}): a store admits one reader or
         * writer at a time (its lock), so the tests of this JVM take turns here.
         */
        public <T> T withEventStore(EventStoreUse<T> use) throws IOException {
            synchronized (Fixture.class) {
                try (EventStore store = EventStore.open(root.resolve("work/state/events"))) {
                    return use.apply(store);
                }
            }
        }
    }

    /** What a test does with the shared month's event store ({@link Fixture#withEventStore}). */
    @FunctionalInterface
    public interface EventStoreUse<T> {
        T apply(EventStore store) throws IOException;
    }

    /** The generated extract alone, before any refresh: what {@link #get()} refreshes. */
    public record Generated(Path root, Path config, AtypieConfig settings, Path extract) {}

    private static Generated generated;
    private static Fixture fixture;
    /** Held while the month is refreshed; {@link #generated()} does not wait for it. */
    private static final Object REFRESH = new Object();

    private PublishedMonth() {}

    /** The generated extract (seconds), for a test that runs its own refresh beside {@link #get()}. */
    public static synchronized Generated generated() {
        if (generated == null) {
            try {
                Path root = Files.createTempDirectory("atypie-published-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
                Path conf = Files.writeString(root.resolve("test.conf"), CONFIG);
                AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
                ExtractGenerator.generate(config.synth(), root.resolve("data"));
                generated = new Generated(root, conf, config, root.resolve("data/extract"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return generated;
    }

    public static Fixture get() {
        synchronized (REFRESH) {
            if (fixture == null) {
                Generated g = generated();
                try {
                    Path out = g.root().resolve("out");
                    MonthlyRefresh.Outcome outcome = MonthlyRefresh.run(SharedSpark.get(), g.settings(), new MonthlyRefresh.Request(
                            g.extract(), out, g.root().resolve("work"), Optional.of(MONTH), Optional.empty()),
                            new PrintStream(OutputStream.nullOutputStream()));
                    fixture = new Fixture(g.root(), g.config(), g.settings(), g.extract(), out, outcome);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return fixture;
        }
    }

    /** Copies a published month (or any folder) to {@code target}, which must not exist. */
    public static void copy(Path from, Path target) throws IOException {
        mirror(from, target, Files::copy);
    }

    /**
     * A copy of a folder (the shared extract) made of hard links in {@code target}, which must not exist:
     * the same files, their modification times with them, in folders of its own.
     */
    public static Path link(Path from, Path target) throws IOException {
        mirror(from, target, (file, t) -> Files.createLink(t, file));
        return target;
    }

    private interface FileOp {
        void apply(Path file, Path target) throws IOException;
    }

    /** {@code from}'s folders made again under {@code target}, {@code op} applied to each file. */
    private static void mirror(Path from, Path target, FileOp op) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = target.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    op.apply(p, t);
                }
            }
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
