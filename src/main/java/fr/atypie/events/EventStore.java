package fr.atypie.events;

import static fr.atypie.events.EventColumns.CARE_MONTH;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.atypie.errors.InputError;
import fr.atypie.fs.Store;
import fr.atypie.settings.Sha256;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The job's memory between monthly runs: the typed events stored by care month in the restricted
 * working area ({@code <work>/state/events}), so that a refresh rebuilds only the care months new
 * flux can have changed and rolls its 12-month windows over the stored months.
 *
 * <p><b>Which months.</b> Every line of care month C arrives in a flux month ≥ C (a line whose care
 * starts after its flux month is quarantined), and a regularisation carries its original's care
 * date. So rebuilding care months ≥ C0 needs exactly the flux months ≥ C0, restricted to lines of
 * care ≥ C0 and the older lines that share their 9 keys with one of them (a duplicate key is decided
 * among all its lines); older care months are final. C0 is the earliest care month among the flux
 * partitions that are new, re-delivered or gone since the store was built (partitions are
 * fingerprinted by file names, sizes and modification times). With no new flux, the latest flux
 * month is rebuilt.
 * This is exact: an incremental run gives the same events as a full rebuild (tested).
 *
 * <p><b>Full rebuild</b> when asked, when there is no store yet, when the extract folder, the code
 * version, the validation settings ({@code atypie.quality}, {@code atypie.dcir}) or the codes of the
 * nomenclatures lines are checked against (the extract's IR_NAT_V, IR_SPE_V) changed, or when
 * C0 reaches back to the first stored month anyway.
 *
 * <p><b>What is not tracked.</b> Events carry the patient's department, age and ALD status from the
 * referentials (IR_BEN_R, IR_IMB_R, DA_PRA_R, IR_PHA_R) as they were when their month was built:
 * a change in a referential reaches older months only with {@code --full-rebuild}.
 *
 * <p><b>Atomic.</b> Each update writes a complete new version ({@code v-<run>}: rebuilt months
 * written by Spark, unchanged months hard-linked) and then switches the {@code CURRENT} pointer in
 * one rename; a run that dies leaves the previous version in use. A lock file keeps two runs from
 * sharing one store.
 */
public final class EventStore implements AutoCloseable {
    /** Bumped when the stored layout or the event building changes: older stores are rebuilt. */
    // 3: events carry the prescribing establishment (issue 16).
    static final int FORMAT = 3;
    static final String CURRENT = "CURRENT";
    static final String STATE = "state.json";
    /** Partition columns of the stored events: folders {@code event_table=NAME/store_month=YYYY-MM}. */
    static final String TABLE_COLUMN = "event_table";
    static final String MONTH_COLUMN = "store_month";
    private static final String PRS_PREFIX = SndsTable.ER_PRS_F.name() + "/";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private static final String LOCK = ".lock";

    private final Store root;
    /** The OS lock of a local store; a store on HDFS holds an exclusive {@value #LOCK} file instead. */
    private final FileChannel lockChannel;
    private final FileLock lock;

    /**
     * What the store holds: the extract and settings it was built from, each flux partition's
     * fingerprint (key {@code TABLE/YYYY-MM}) and, for ER_PRS_F partitions, their earliest care month.
     */
    @JsonPropertyOrder({"format", "extract", "settings", "firstCareMonth", "flux"})
    public record State(int format, String extract, String settings, String firstCareMonth,
                        SortedMap<String, FluxPartition> flux) {
        public State {
            flux = new TreeMap<>(flux);
        }
    }

    /** @param firstCare earliest valid care month of an ER_PRS_F partition (null for ER_PHA_F or none) */
    @JsonPropertyOrder({"fingerprint", "firstCare"})
    public record FluxPartition(String fingerprint, String firstCare) {}

    /**
     * What a run rebuilds: everything ({@code full}), or the care months from {@code rebuildFrom}
     * on. {@code reason} says why, in words for the progress output and the manifest.
     * {@code firstCareOfChanged}: the earliest valid care month of the ER_PRS_F flux partitions the
     * plan measured to decide (those new or changed since the store was built; none for a full plan).
     */
    public record Plan(boolean full, Optional<YearMonth> rebuildFrom, String reason,
                       SortedMap<String, String> fingerprints, String settings, String extract,
                       SortedMap<YearMonth, YearMonth> firstCareOfChanged) {
        public Plan {
            if (!full && rebuildFrom.isEmpty()) {
                throw new IllegalArgumentException("an incremental plan needs the first care month to rebuild");
            }
            fingerprints = new TreeMap<>(fingerprints);
            firstCareOfChanged = new TreeMap<>(firstCareOfChanged);
        }

        private Plan(boolean full, String reason, SortedMap<String, String> fingerprints, String settings, String extract) {
            this(full, Optional.empty(), reason, fingerprints, settings, extract, new TreeMap<>());
        }

        /** Flux months to read: all for a full rebuild, else from the first rebuilt care month. */
        public FluxSelection fluxToRead() {
            return full ? FluxSelection.ALL : new FluxSelection(rebuildFrom, Optional.empty());
        }

        public String describe() {
            return full ? "full rebuild (" + reason + ")"
                    : "incremental: care months from " + rebuildFrom.get() + " rebuilt (" + reason + ")";
        }
    }

    private EventStore(Store root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating it if needed) and locks the store; removes versions a dead run left behind. */
    public static EventStore open(Path root) throws IOException {
        return open(Store.local(root));
    }

    /** As {@link #open(Path)}, on any file system ({@code hdfs://...}). */
    public static EventStore open(Store root) throws IOException {
        root.mkdirs();
        if (root.localPath().isEmpty()) {
            // No OS lock on HDFS: an exclusive file naming the run; a killed run leaves it for the operator.
            String holder = "pid " + ProcessHandle.current().pid() + " on " + java.net.InetAddress.getLocalHost().getHostName()
                    + " since " + java.time.Instant.now() + "\n";
            if (!root.createNew(LOCK, holder)) {
                throw new InputError("the event store " + root.shown() + " is in use by another run, a refresh or an "
                        + "evaluation (" + LOCK + ": " + root.readText(LOCK).orElse("?").strip() + "); wait for it to end, give this run "
                        + "its own --work folder, or delete " + root.resolve(LOCK) + " if that run is dead");
            }
            EventStore store = new EventStore(root, null, null);
            store.removeStaleVersions();
            return store;
        }
        FileChannel channel = FileChannel.open(root.localPath().get().resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this same JVM
        }
        if (lock == null) {
            channel.close();
            throw new InputError("the event store " + root.shown() + " is in use by another run, a refresh or an evaluation; "
                    + "wait for it to end or give this run its own --work folder");
        }
        EventStore store = new EventStore(root, channel, lock);
        store.removeStaleVersions();
        return store;
    }

    public Store root() {
        return root;
    }

    // ---- planning ------------------------------------------------------------------------------

    /**
     * Decides what to rebuild, comparing the extract's flux partitions with the stored state.
     *
     * @param settings fingerprint of what shapes events besides the extract (code version, settings)
     */
    public Plan plan(SparkSession spark, ExtractLayout layout, String settings, int earliestCareYear, boolean fullRebuild) {
        return plan(spark, layout, settings, earliestCareYear, fullRebuild, Optional.empty());
    }

    /**
     * As {@link #plan(SparkSession, ExtractLayout, String, int, boolean)}, the extract seen as of flux
     * month {@code asOf}: later flux partitions are left out, as if not yet delivered (a past month
     * re-run on a longer extract publishes what it published then). The stored state then lacks
     * them, so the next run without {@code asOf} sees them as new.
     */
    public Plan plan(SparkSession spark, ExtractLayout layout, String settings, int earliestCareYear, boolean fullRebuild,
                     Optional<YearMonth> asOf) {
        SortedMap<String, String> now = fingerprints(layout);
        asOf.ifPresent(m -> now.keySet().removeIf(k -> !k.endsWith("/*")
                && YearMonth.parse(k.substring(k.indexOf('/') + 1)).isAfter(m)));
        String extract = layout.location();
        Optional<State> state = state();
        String why = fullRebuild ? "asked with --full-rebuild"
                : state.isEmpty() ? "no event store yet in " + root.shown()
                : unusable(state.get(), settings, extract, now);
        if (why != null) {
            return new Plan(true, why, now, settings, extract);
        }
        State s = state.get();
        List<YearMonth> changed = new ArrayList<>();
        List<YearMonth> bounds = new ArrayList<>();
        TreeMap<String, String> all = new TreeMap<>(now);
        s.flux().keySet().forEach(k -> all.putIfAbsent(k, null));
        for (Map.Entry<String, String> e : all.entrySet()) {
            FluxPartition before = s.flux().get(e.getKey());
            if (before != null && before.fingerprint().equals(e.getValue())) {
                continue;
            }
            YearMonth flux = YearMonth.parse(e.getKey().substring(e.getKey().indexOf('/') + 1));
            changed.add(flux);
            // What the partition held before, and (below) what it holds now, both bound C0.
            FluxPartition prs = s.flux().get(PRS_PREFIX + flux);
            bounds.add(prs == null || prs.firstCare() == null ? flux : YearMonth.parse(prs.firstCare()));
        }
        String reason;
        SortedMap<YearMonth, YearMonth> measured = new TreeMap<>();
        if (changed.isEmpty()) {
            YearMonth latest = now.keySet().stream().filter(k -> k.startsWith(PRS_PREFIX))
                    .map(k -> YearMonth.parse(k.substring(PRS_PREFIX.length()))).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new InputError("table ER_PRS_F: no flux partition in " + layout.table(SndsTable.ER_PRS_F).shown()));
            FluxPartition p = s.flux().get(PRS_PREFIX + latest);
            bounds.add(p.firstCare() == null ? latest : YearMonth.parse(p.firstCare()));
            reason = "no new flux; the latest flux month " + latest + " is re-read";
        } else {
            YearMonth lo = changed.stream().min(Comparator.naturalOrder()).get();
            YearMonth hi = changed.stream().max(Comparator.naturalOrder()).get();
            if (asOf.isPresent() && hi.isAfter(asOf.get())) {
                hi = asOf.get(); // partitions after it are left out: nothing of theirs to read
            }
            if (!lo.isAfter(hi)) {
                measured.putAll(firstCareByFlux(spark, layout, FluxSelection.between(lo, hi), earliestCareYear));
            }
            changed.forEach(m -> bounds.add(measured.getOrDefault(m, m)));
            reason = changed.size() + " flux partition(s) new or changed since the store was built: "
                    + changed.stream().distinct().sorted().map(YearMonth::toString).reduce((a, b) -> a + ", " + b).get();
        }
        YearMonth from = bounds.stream().min(Comparator.naturalOrder()).get();
        if (s.firstCareMonth() == null || !from.isAfter(YearMonth.parse(s.firstCareMonth()))) {
            return new Plan(true, reason + "; it reaches back to the first stored care month", now, settings, extract);
        }
        return new Plan(false, Optional.of(from), reason, now, settings, extract, measured);
    }

    /**
     * The earliest valid care month of the ER_PRS_F flux partitions {@code plan} reads up to
     * {@code upTo} that {@link #update} must learn: all of them, measured, for a full plan; for an
     * incremental one, those the plan measured (new or changed partitions), {@link #update} keeping
     * the stored month of the others (the same files: at scale 0.05, a monthly refresh measures its
     * new flux month instead of the 17 it re-reads).
     */
    public static Map<YearMonth, YearMonth> firstCareToRecord(SparkSession spark, ExtractLayout layout, Plan plan,
                                                             Optional<YearMonth> upTo, int earliestCareYear) {
        return plan.full() ? firstCareByFlux(spark, layout, plan.fluxToRead().upTo(upTo), earliestCareYear)
                : plan.firstCareOfChanged();
    }

    /** Earliest valid care month of each ER_PRS_F flux partition read (partition folder month → care month). */
    public static Map<YearMonth, YearMonth> firstCareByFlux(SparkSession spark, ExtractLayout layout, FluxSelection flux,
                                                     int earliestCareYear) {
        Dataset<Row> prs = new ExtractReader(spark, layout).read(SndsTable.ER_PRS_F, flux);
        var care = col(SndsColumns.EXE_SOI_DTD);
        List<Row> rows = prs.select(ExtractLayout.fluxFolderOfFile().as("f"),
                        when(year(care).geq(earliestCareYear), care).as("c"))
                .groupBy(col("f")).agg(min(col("c"))).collectAsList();
        Map<YearMonth, YearMonth> out = new TreeMap<>();
        for (Row r : rows) {
            if (!r.getString(0).isEmpty() && !r.isNullAt(1)) {
                out.put(YearMonth.parse(r.getString(0)), YearMonth.from(r.getDate(1).toLocalDate()));
            }
        }
        return out;
    }

    /**
     * Fingerprint of every flux partition of ER_PRS_F and ER_PHA_F, keyed {@code TABLE/YYYY-MM}
     * ({@code TABLE/*} for a flux table that is not partitioned).
     */
    static SortedMap<String, String> fingerprints(ExtractLayout layout) {
        SortedMap<String, String> out = new TreeMap<>();
        try {
            for (SndsTable t : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
                Store dir = layout.table(t);
                if (!dir.isFolder()) {
                    continue; // the reader names the missing folder
                }
                String prefix = ExtractLayout.FLUX_PARTITION + "=";
                List<String> parts = dir.list().stream().filter(FileStatus::isDirectory).map(st -> st.getPath().getName())
                        .filter(n -> n.startsWith(prefix)).toList();
                if (parts.isEmpty()) {
                    out.put(t.name() + "/*", fingerprint(dir));
                }
                for (String p : parts) {
                    String month = p.substring(prefix.length());
                    if (month.matches("\\d{4}-\\d{2}")) {
                        out.put(t.name() + "/" + month, fingerprint(dir.child(p)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String fingerprint(Store dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (org.apache.hadoop.fs.FileStatus f : dir.files()) {
            b.append(dir.relative(f.getPath())).append(' ').append(f.getLen()).append(' ')
                    .append(f.getModificationTime()).append('\n');
        }
        return Sha256.hex(b.toString());
    }

    // ---- writing and reading -------------------------------------------------------------------

    /**
     * Stores the rebuilt events (care months from the plan's first one, or all) as a new version,
     * keeps the other stored months, and switches to it.
     *
     * @param firstCare earliest care month of ER_PRS_F flux partitions read by this run ({@link #firstCareToRecord});
     *                  a partition it lacks keeps the month stored for it
     */
    public void update(Map<EventTable, Dataset<Row>> rebuilt, Plan plan, Map<YearMonth, YearMonth> firstCare,
                       String runId) throws IOException {
        Optional<Store> current = currentVersion();
        Store version = root.child("v-" + runId);
        for (int i = 2; root.exists(version.name()); i++) {
            version = root.child("v-" + runId + "-" + i);
        }
        Optional<State> before = plan.full() ? Optional.empty() : state();
        // The four tables in one write: their lines are netted once, whatever table they end in.
        Dataset<Row> all = null;
        for (EventTable t : EventTable.values()) {
            Dataset<Row> e = rebuilt.get(t).withColumn(TABLE_COLUMN, lit(t.name()));
            all = all == null ? e : all.unionByName(e, true);
        }
        if (plan.rebuildFrom().isPresent()) {
            all = all.where(col(CARE_MONTH).geq(lit(Date.valueOf(plan.rebuildFrom().get().atDay(1)))));
        }
        all.withColumn(MONTH_COLUMN, date_format(col(CARE_MONTH), "yyyy-MM"))
                .write().partitionBy(TABLE_COLUMN, MONTH_COLUMN).parquet(version.toString());
        YearMonth firstStored = null;
        for (EventTable t : EventTable.values()) {
            if (!plan.full()) {
                linkOlderMonths(tableDir(current.orElseThrow(), t), tableDir(version, t), plan.rebuildFrom().get());
            }
            for (YearMonth m : storedMonths(tableDir(version, t))) {
                firstStored = firstStored == null || m.isBefore(firstStored) ? m : firstStored;
            }
        }
        SortedMap<String, FluxPartition> flux = new TreeMap<>();
        for (Map.Entry<String, String> e : plan.fingerprints().entrySet()) {
            String key = e.getKey();
            String care = null;
            if (key.startsWith(PRS_PREFIX) && !key.endsWith("/*")) {
                YearMonth m = YearMonth.parse(key.substring(PRS_PREFIX.length()));
                care = firstCare.containsKey(m) ? firstCare.get(m).toString()
                        : before.map(s -> s.flux().get(key)).map(FluxPartition::firstCare).orElse(null);
            }
            flux.put(key, new FluxPartition(e.getValue(), care));
        }
        State state = new State(FORMAT, plan.extract(), plan.settings(),
                firstStored == null ? null : firstStored.toString(), flux);
        version.writeText(STATE, JSON.writeValueAsString(state) + "\n");
        // One rename switches versions (atomic on a local disk and on HDFS).
        root.writeTextAtomically(CURRENT, version.name() + "\n");
        removeStaleVersions();
    }

    /**
     * Why the stored events are not what validating the whole extract {@code layout} now would give
     * under {@code settings}, or empty when they are: the same extract folder, code and validation
     * settings, and every flux partition stored as it is now, none added, changed or removed (a
     * store built as of an earlier month lacks the later ones). Referentials aside, as for an
     * incremental refresh (see the class comment). For readers of the events other than the
     * refresh, such as {@code evaluate --work}.
     */
    public Optional<String> differenceFrom(ExtractLayout layout, String settings) {
        Optional<State> state = state();
        if (state.isEmpty()) {
            return Optional.of("no event store in " + root.shown());
        }
        State s = state.get();
        SortedMap<String, String> now = fingerprints(layout);
        TreeSet<String> differ = new TreeSet<>(now.keySet());
        differ.addAll(s.flux().keySet());
        differ.removeIf(k -> s.flux().containsKey(k) && s.flux().get(k).fingerprint().equals(now.get(k)));
        String why = unusable(s, settings, layout.location(), now);
        if (why == null && !differ.isEmpty()) {
            why = differ.size() + " flux partition(s) new, changed or removed since the store was built: "
                    + String.join(", ", differ.stream().limit(6).toList()) + (differ.size() > 6 ? ", ..." : "");
        }
        return Optional.ofNullable(why);
    }

    /**
     * Why no stored month can be kept, whatever the flux partitions (another job version, other
     * settings or code, another extract folder, flux tables not partitioned by month), or null.
     */
    private static String unusable(State s, String settings, String extract, SortedMap<String, String> now) {
        return s.format() != FORMAT ? "the store was written by another version of the job"
                : !s.settings().equals(settings) ? "the code or the validation settings changed since the store was built"
                : !s.extract().equals(extract) ? "the store was built from another extract, " + s.extract()
                : now.keySet().stream().anyMatch(k -> k.endsWith("/*")) ? "the flux tables are not partitioned by flux_month"
                : null;
    }

    /** The stored events of every table, read from the current version (empty tables where none). */
    public Map<EventTable, Dataset<Row>> read(SparkSession spark) {
        Store version = currentVersion().orElseThrow(() -> new IllegalStateException("the event store " + root.shown() + " is empty"));
        Map<EventTable, Dataset<Row>> out = new EnumMap<>(EventTable.class);
        for (EventTable t : EventTable.values()) {
            Store dir = tableDir(version, t);
            if (storedMonths(dir).isEmpty()) {
                out.put(t, spark.createDataFrame(List.of(), t.schema()));
            } else {
                out.put(t, spark.read().schema(t.schema().add(MONTH_COLUMN, DataTypes.StringType))
                        .option("basePath", dir.toString()).parquet(dir.toString()).drop(MONTH_COLUMN));
            }
        }
        return out;
    }

    /** The stored state, if the store holds a version. */
    public Optional<State> state() {
        return currentVersion().map(v -> {
            try {
                return JSON.readValue(v.readText(STATE).orElseThrow(), State.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the event store state " + v.resolve(STATE), e);
            }
        });
    }

    /** A version's folder of one table ({@code event_table=NAME}, as the partitioned write names it). */
    static Store tableDir(Store version, EventTable t) {
        return version.child(TABLE_COLUMN + "=" + t.name());
    }

    /** Care months held by one stored table folder, in order. */
    static List<YearMonth> storedMonths(Store tableDir) {
        String prefix = MONTH_COLUMN + "=";
        try {
            return tableDir.list().stream().map(st -> st.getPath().getName()).filter(n -> n.startsWith(prefix))
                    .map(n -> YearMonth.parse(n.substring(prefix.length()))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void linkOlderMonths(Store from, Store to, YearMonth rebuildFrom) throws IOException {
        for (YearMonth m : storedMonths(from)) {
            if (!m.isBefore(rebuildFrom)) {
                continue;
            }
            Store src = from.child(MONTH_COLUMN + "=" + m);
            Store dst = to.child(MONTH_COLUMN + "=" + m).mkdirs();
            for (FileStatus f : src.list()) {
                if (src.localPath().isPresent() && dst.localPath().isPresent()) {
                    Path target = dst.localPath().get().resolve(f.getPath().getName());
                    Path source = src.localPath().get().resolve(f.getPath().getName());
                    try {
                        Files.createLink(target, source);
                        continue;
                    } catch (UnsupportedOperationException | IOException e) {
                        // No hard links on this file system: a copy is as good, only slower.
                    }
                }
                // HDFS has no hard links: the older months are copied into the new version.
                FileUtil.copy(src.fs(), f.getPath(), dst.fs(), dst.resolve(f.getPath().getName()), false, true, src.fs().getConf());
            }
        }
    }

    private Optional<Store> currentVersion() {
        try {
            Optional<String> pointer = root.isFile(CURRENT) ? root.readText(CURRENT) : Optional.empty();
            if (pointer.isEmpty()) {
                return Optional.empty();
            }
            Store v = root.child(pointer.get().strip());
            return v.isFile(STATE) ? Optional.of(v) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void removeStaleVersions() throws IOException {
        Optional<Store> current = currentVersion();
        for (FileStatus p : root.list()) {
            String name = p.getPath().getName();
            if (name.startsWith("v-") && !current.map(c -> c.name().equals(name)).orElse(false)) {
                root.child(name).delete();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (lock == null) {
            root.fs().delete(root.resolve(LOCK), false);
            return;
        }
        lock.release();
        lockChannel.close();
    }
}
