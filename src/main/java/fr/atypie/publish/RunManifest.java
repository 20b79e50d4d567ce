package fr.atypie.publish;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.atypie.version.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What a run read, did and wrote, saved as {@value #FILE_NAME} at the root of the publication,
 * so that a figure can be traced back to its inputs, code and configuration.
 *
 * <p>Re-running the same month on the same inputs with the same code and configuration gives
 * byte-identical outputs; the manifest is the one file allowed to differ, because it records
 * the run id, the wall-clock start and end and the stage durations. {@link #reproducibleJson()}
 * is the manifest without those fields: it must be identical between two such runs.
 *
 * <p>JSON field order is the declaration order below; lists are sorted (inputs by table,
 * quarantine by table and rule, outputs by path), stages keep their execution order.
 */
@JsonPropertyOrder({"runId", "month", "codeVersion", "configHash", "startedAt", "endedAt",
        "eventStore", "inputs", "stages", "quarantine", "outputs"})
public record RunManifest(String runId, String month, String codeVersion, String configHash,
                          String startedAt, String endedAt, EventStoreUse eventStore, List<Input> inputs,
                          List<StageTiming> stages, List<QuarantineCount> quarantine, List<Output> outputs) {

    public static final String FILE_NAME = "manifest.json";

    /**
     * Fields that change from one run to the next even when nothing else does (what the event store
     * held decides how much a run rebuilt, not what it publishes).
     */
    private static final List<String> RUN_SPECIFIC = List.of("runId", "startedAt", "endedAt", "eventStore");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    public RunManifest {
        inputs = List.copyOf(inputs);
        stages = List.copyOf(stages);
        quarantine = List.copyOf(quarantine);
        outputs = List.copyOf(outputs);
    }

    /** One input table: where it was read, how many rows, bytes and data files. */
    @JsonPropertyOrder({"table", "path", "rows", "bytes", "files"})
    public record Input(String table, String path, long rows, long bytes, int files) {

        /**
         * Describes a Parquet table folder (any depth, e.g. {@code flux_month=...} partitions):
         * data files are the {@code *.parquet} files outside hidden ({@code .}/{@code _}) entries;
         * the row count is read from their footers, without a Spark job.
         */
        public static Input parquet(String table, Path dir) {
            List<Path> files = dataFiles(dir, ".parquet");
            long rows = 0;
            long bytes = 0;
            Configuration conf = new Configuration(false);
            for (Path f : files) {
                try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                        new org.apache.hadoop.fs.Path(f.toUri()), conf))) {
                    rows += r.getRecordCount();
                    bytes += Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the Parquet footer of " + f + " (table " + table + ")", e);
                }
            }
            return new Input(table, dir.toString(), rows, bytes, files.size());
        }

        /** As {@link #parquet(String, Path)}, the folder on any file system ({@code hdfs://...}). */
        public static Input parquet(String table, fr.atypie.fs.Store dir) {
            if (dir.localPath().isPresent()) {
                return parquet(table, dir.localPath().get());
            }
            long rows = 0;
            long bytes = 0;
            int count = 0;
            try {
                for (org.apache.hadoop.fs.FileStatus f : dir.files()) {
                    String rel = dir.relative(f.getPath());
                    if (!rel.endsWith(".parquet") || java.util.Arrays.stream(rel.split("/"))
                            .anyMatch(n -> n.startsWith(".") || n.startsWith("_"))) {
                        continue;
                    }
                    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, dir.fs().getConf()))) {
                        rows += r.getRecordCount();
                    }
                    bytes += f.getLen();
                    count++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Parquet footers of " + dir + " (table " + table + ")", e);
            }
            return new Input(table, dir.toString(), rows, bytes, count);
        }
    }

    /**
     * How the run used the event store: {@code full} or {@code incremental}, the first care month
     * rebuilt (null when full), why, the rows of older care months read but passed over, and the
     * ER_PRS_F flux months read ({@code "2023-01..2024-12"}; a run with {@code --month} reads none after it).
     */
    @JsonPropertyOrder({"mode", "rebuiltFrom", "reason", "rowsPassedOver", "fluxRead"})
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record EventStoreUse(String mode, String rebuiltFrom, String reason, long rowsPassedOver, String fluxRead) { }

    /**
     * One stage of the run: rows in and out, its duration and, where measured, the Spark work it
     * did (both run-specific: left out of {@link #reproducibleJson()}).
     */
    @JsonPropertyOrder({"name", "rowsIn", "rowsOut", "seconds", "spark"})
    public record StageTiming(String name, long rowsIn, long rowsOut, double seconds,
                              @JsonInclude(JsonInclude.Include.NON_NULL) SparkWork spark) {
        public StageTiming(String name, long rowsIn, long rowsOut, double seconds) {
            this(name, rowsIn, rowsOut, seconds, null);
        }
    }

    /**
     * Spark work of one stage, summed over its tasks: shuffle bytes written and read, bytes spilled
     * from memory (in memory size) and to disk, Spark stages and tasks run, and the Spark stage that
     * wrote the most shuffle bytes (its call site, e.g. {@code count at Validator.java:95}).
     */
    @JsonPropertyOrder({"shuffleWriteBytes", "shuffleReadBytes", "memorySpillBytes", "diskSpillBytes",
            "sparkStages", "tasks", "heaviestShuffle", "heaviestShuffleBytes"})
    public record SparkWork(long shuffleWriteBytes, long shuffleReadBytes, long memorySpillBytes, long diskSpillBytes,
                            int sparkStages, long tasks, String heaviestShuffle, long heaviestShuffleBytes) { }

    /** Rows of one input table set aside by one validation rule. */
    @JsonPropertyOrder({"table", "rule", "rows"})
    public record QuarantineCount(String table, String rule, long rows) { }

    /**
     * One published file: path relative to the publication root ('/' separated), size, SHA-256,
     * and the data rows it holds (null where rows mean nothing, e.g. an HTML report).
     */
    @JsonPropertyOrder({"path", "bytes", "sha256", "rows"})
    public record Output(String path, long bytes, String sha256, Long rows) { }

    /** Starts the manifest of a run with this code version and configuration. */
    public static Builder start(YearMonth month, String runId, MonthlyRelease.Settings config, Clock clock) {
        return new Builder(month, runId, Version.current(), config.hash(), clock);
    }

    public static Builder start(YearMonth month, String runId, String codeVersion, String configHash, Clock clock) {
        return new Builder(month, runId, codeVersion, configHash, clock);
    }

    /** The manifest as written to disk. */
    public String toJson() {
        try {
            return WRITER.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest without run id, start, end and stage durations: identical on a faithful re-run. */
    public String reproducibleJson() {
        ObjectNode tree = MAPPER.valueToTree(this);
        RUN_SPECIFIC.forEach(tree::remove);
        tree.withArray("stages").forEach(stage -> ((ObjectNode) stage).remove(List.of("seconds", "spark")));
        try {
            return WRITER.writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(Path publicationRoot) throws IOException {
        Path file = publicationRoot.resolve(FILE_NAME);
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        return file;
    }

    public static RunManifest read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunManifest.class);
    }

    /** The manifest of the publication {@code month} (a local folder or on HDFS). */
    public static RunManifest read(fr.atypie.fs.Store month) throws IOException {
        return MAPPER.readValue(month.readText(FILE_NAME).orElseThrow(() -> new java.io.FileNotFoundException(
                month.resolve(FILE_NAME).toString())), RunManifest.class);
    }

    /** Collects a run's facts as it goes; {@link #finish} closes the manifest. */
    public static final class Builder {
        private final YearMonth month;
        private final String runId;
        private final String codeVersion;
        private final String configHash;
        private final Clock clock;
        private final Instant startedAt;
        private final List<Input> inputs = new ArrayList<>();
        private final List<StageTiming> stages = new ArrayList<>();
        private final List<QuarantineCount> quarantine = new ArrayList<>();
        private EventStoreUse eventStore;

        private Builder(YearMonth month, String runId, String codeVersion, String configHash, Clock clock) {
            this.month = month;
            this.runId = runId;
            this.codeVersion = codeVersion;
            this.configHash = configHash;
            this.clock = clock;
            this.startedAt = clock.instant();
        }

        public Builder input(Input input) {
            inputs.add(input);
            return this;
        }

        public Builder eventStore(EventStoreUse use) {
            this.eventStore = use;
            return this;
        }

        public Builder quarantine(String table, String rule, long rows) {
            quarantine.add(new QuarantineCount(table, rule, rows));
            return this;
        }

        public Builder stage(String name, long rowsIn, long rowsOut, Duration duration) {
            return stage(name, rowsIn, rowsOut, duration, null);
        }

        /** A stage with the Spark work it did ({@code spark} null where not measured). */
        public Builder stage(String name, long rowsIn, long rowsOut, Duration duration, SparkWork spark) {
            stages.add(new StageTiming(name, rowsIn, rowsOut, seconds(duration), spark));
            return this;
        }

        /** Times a stage: {@code try (var t = builder.stage("events")) { ...; t.rows(in, out); }}. */
        public StageTimer stage(String name) {
            return new StageTimer(this, name, clock.instant());
        }

        /**
         * Closes the manifest: lists every file under {@code publicationRoot} (the manifest
         * itself excepted) with its size and SHA-256; {@code rowsByPath} gives the data rows of
         * each file by relative path (files it does not name get null rows).
         */
        public RunManifest finish(Path publicationRoot, Map<String, Long> rowsByPath) throws IOException {
            List<Output> outputs = new ArrayList<>();
            for (Path f : dataFiles(publicationRoot, "")) {
                String rel = publicationRoot.relativize(f).toString().replace('\\', '/');
                if (rel.equals(FILE_NAME)) {
                    continue;
                }
                outputs.add(new Output(rel, Files.size(f), sha256(f), rowsByPath.get(rel)));
            }
            List<String> unknown = rowsByPath.keySet().stream()
                    .filter(p -> outputs.stream().noneMatch(o -> o.path().equals(p))).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("row counts given for files that were not written: " + unknown);
            }
            List<Input> sortedInputs = new ArrayList<>(inputs);
            sortedInputs.sort(Comparator.comparing(Input::table).thenComparing(Input::path));
            List<QuarantineCount> sortedQuarantine = new ArrayList<>(quarantine);
            sortedQuarantine.sort(Comparator.comparing(QuarantineCount::table).thenComparing(QuarantineCount::rule));
            return new RunManifest(runId, month.toString(), codeVersion, configHash, iso(startedAt),
                    iso(clock.instant()), eventStore, sortedInputs, stages, sortedQuarantine, outputs);
        }
    }

    /** Measures one stage from its creation to {@link #close()}. */
    public static final class StageTimer implements AutoCloseable {
        private final Builder builder;
        private final String name;
        private final Instant start;
        private long rowsIn;
        private long rowsOut;

        private StageTimer(Builder builder, String name, Instant start) {
            this.builder = builder;
            this.name = name;
            this.start = start;
        }

        public void rows(long in, long out) {
            this.rowsIn = in;
            this.rowsOut = out;
        }

        @Override
        public void close() {
            builder.stage(name, rowsIn, rowsOut, Duration.between(start, builder.clock.instant()));
        }
    }

    private static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static double seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * Regular files under {@code root} ending with {@code suffix}, sorted by path, skipping hidden
     * entries ({@code .}/{@code _} names: Hadoop's checksums and _SUCCESS markers are not data).
     */
    static List<Path> dataFiles(Path root, String suffix) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !hidden(root.relativize(p)))
                    .sorted(Comparator.comparing(p -> root.relativize(p).toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            String n = part.toString();
            if (n.startsWith(".") || n.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
