package fr.atypie.quality;

import static fr.atypie.quality.QuarantineColumns.RULE;
import static fr.atypie.snds.SndsColumns.JOIN_KEYS;
import static fr.atypie.snds.SndsColumns.PATIENT_KEY;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static fr.atypie.snds.SndsColumns.FLX_DIS_DTD;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.atypie.fs.Store;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.FluxSelection;
import fr.atypie.spark.Columns;
import fr.atypie.spark.PartitionedWrites;
import fr.atypie.spark.ScalaSeqs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A flux table's checked lines kept between runs, flux month by flux month, in the restricted working
 * area: the lines as {@link StoredLines} stores them (every line read, with the rule of the first row
 * check it failed, the unknown beneficiary included), each with its flux month. A run checks and
 * writes only the months that are new, re-delivered, checked under other settings, or whose
 * beneficiaries (ER_PRS_F) or service lines' verdicts (ER_PHA_F, {@link DrugLineDependence}) changed;
 * it reads the others back. Writing the checked lines is most of a validation's cost (Parquet
 * encoding, 37 % of its CPU samples at scale 0.05), and a monthly refresh validates every flux month
 * its new late lines reach back to (17 of 24 at scale 0.05).
 *
 * <p><b>Exact.</b> A line's row checks depend on its own columns, the settings (fingerprinted) and,
 * for the flux date, the current month: a month is reused only when it is not after the latest
 * plausible flux month, so its lines' verdicts cannot move. The unknown-beneficiary check depends on
 * IR_BEN_R: each write also keeps, per month, the patients its lines were checked against and whether
 * they were known; a month one of whose patients changed side is checked again. The checks between
 * lines (duplicates, regularisations) run on the lines read back, as for a full write. So the lines a
 * run reads are the lines a full write would store, except for {@link StoredLines#LINE}, which only
 * needs to be unique: generation {@code g} numbers its lines {@code g * 2^42 +} Spark's
 * monotonically increasing id.
 *
 * <p><b>Layout.</b> {@code g<N>/} the lines of one write, a folder {@code _q_flux=YYYY-MM} per month,
 * {@code g<N>-patients/} their patients (ER_PRS_F), {@value #STATE} which generation holds each month
 * and how many lines (a month whose folder is gone is checked again, never read as empty). A write
 * is recorded in the state after its files: a run that dies leaves a generation no state names, removed
 * by the next run. Generations no month needs any more are removed.
 */
final class MonthLines {
    /** Bumped when the stored lines' columns or checks change in a way the settings do not show. */
    // 2: a folder per month in each generation, and each month's line count.
    static final int FORMAT = 2;
    static final String STATE = "months.json";
    /** The flux month of a stored line: its folder's, {@code YYYY-MM}. */
    static final String MONTH = "_q_flux";
    private static final String KNOWN = "_q_known";
    private static final String KNOWN_NOW = "_q_known_now";
    private static final String GENERATION = "g";
    private static final String PATIENTS = "-patients";
    /** Spark's monotonically increasing id puts the partition in bits 33 and up: 2^9 partitions fit below 2^42. */
    private static final int LINE_BITS = 42;
    private static final int MAX_PARTITIONS = 1 << (LINE_BITS - 33);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Which generation holds each stored month, checked under which settings. */
    @JsonPropertyOrder({"format", "settings", "months"})
    record State(int format, String settings, SortedMap<String, Part> months) {
        State {
            months = new TreeMap<>(months);
        }
    }

    /**
     * A stored month: its folder's fingerprint when checked, the generation holding its lines, how many;
     * for lines that depend on another table's verdicts ({@link Dependence}), what it was checked against.
     */
    @JsonPropertyOrder({"fingerprint", "generation", "lines", "careStart", "strays", "against"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Part(String fingerprint, int generation, long lines, String careStart, Long strays,
                SortedMap<String, List<Long>> against) {}

    /**
     * What else a month's checked lines depend on than their own columns and the settings (drug lines:
     * the verdicts of their service lines), and whether that is unchanged since a month was written.
     */
    interface Dependence {
        /** Whether {@code stored}, written as {@code m}'s lines by an earlier run, still holds for this run. */
        boolean unchanged(YearMonth m, Part stored);

        /**
         * {@code written} with what {@link #unchanged} reads later; {@code strays}: its lines whose flux
         * date is another month's.
         */
        Part record(YearMonth m, Part written, long strays);
    }

    /** Lines that depend on nothing but their own columns and the settings. */
    static final Dependence NOTHING_ELSE = new Dependence() {
        @Override
        public boolean unchanged(YearMonth m, Part stored) {
            return true;
        }

        @Override
        public Part record(YearMonth m, Part written, long strays) {
            return written;
        }
    };

    private final Store dir;

    MonthLines(Store dir) {
        this.dir = dir;
    }

    /**
     * The checked lines of {@code source}'s months, those an incremental run passes over left out:
     * the months that cannot be reused are read, checked by {@code check} (the row checks, then the
     * unknown beneficiary against {@code knownPatients}) and written first.
     *
     * @param knownPatients the kept beneficiaries' patient keys (distinct)
     * @param latestPlausible the latest flux month the row checks accept (later months are never reused)
     */
    StoredLines lines(FluxMonths source, UnaryOperator<Dataset<Row>> check, Dataset<Row> knownPatients,
                      YearMonth latestPlausible, List<String> keys, List<String> sameService) {
        return lines(knownPatients.sparkSession(), source, (raw, months) -> check.apply(raw), Optional.of(knownPatients),
                NOTHING_ELSE, latestPlausible, keys, sameService);
    }

    /**
     * As above, for lines checked against no beneficiary ({@code knownPatients} empty) and whose months
     * are reused only while {@code dependence} says they still hold; {@code check} is given the months
     * whose lines it checks.
     */
    StoredLines lines(SparkSession spark, FluxMonths source,
                      BiFunction<Dataset<Row>, SortedSet<YearMonth>, Dataset<Row>> check, Optional<Dataset<Row>> knownPatients,
                      Dependence dependence, YearMonth latestPlausible, List<String> keys, List<String> sameService) {
        if (!keys.equals(JOIN_KEYS)) {
            throw new IllegalArgumentException("lines kept by month are keyed by the 9 join keys, not " + keys);
        }
        State state = state().filter(s -> s.format() == FORMAT && s.settings().equals(source.settings()))
                .orElse(new State(FORMAT, source.settings(), new TreeMap<>()));
        SortedMap<String, Part> months = new TreeMap<>(state.months());
        SortedSet<YearMonth> reused = new TreeSet<>();
        // Each generation's month folders, listed once (a generation holds many months).
        Map<Integer, Set<String>> listed = new java.util.HashMap<>();
        java.util.function.IntFunction<Set<String>> monthFolders = g -> listed.computeIfAbsent(g, x -> folderNames(generation(x)));
        source.fingerprints().forEach((m, fingerprint) -> {
            Part p = months.get(m.toString());
            if (!source.checkAll() && p != null && p.fingerprint().equals(fingerprint) && !m.isAfter(latestPlausible)
                    && (p.lines() == 0 || monthFolders.apply(p.generation()).contains(MONTH + "=" + m))
                    && dependence.unchanged(m, p)) {
                reused.add(m);
            }
        });
        knownPatients.ifPresent(known -> reused.removeAll(beneficiariesChanged(spark, months, reused, known)));
        SortedSet<YearMonth> written = new TreeSet<>(source.fingerprints().keySet());
        written.removeAll(reused);
        removeUnnamedGenerations(months);
        if (!written.isEmpty()) {
            int generation = months.values().stream().mapToInt(Part::generation).max().orElse(0) + 1;
            Map<String, long[]> counts = write(source, written, check, knownPatients.isPresent(), generation, keys, sameService);
            written.forEach(m -> {
                long[] c = counts.getOrDefault(m.toString(), new long[2]);
                months.put(m.toString(), dependence.record(m,
                        new Part(source.fingerprints().get(m), generation, c[0], null, null, null), c[1]));
            });
            writeState(new State(FORMAT, source.settings(), months));
            removeUnnamedGenerations(months);
        }
        // Each month's folder is read, no other: a generation holds other months too, not read here.
        List<String> folders = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> g : byGeneration(months, source.fingerprints().keySet()).entrySet()) {
            Set<String> present = monthFolders.apply(g.getKey());
            g.getValue().stream().map(m -> MONTH + "=" + m).filter(present::contains)
                    .forEach(f -> folders.add(generation(g.getKey()).resolve(f).toString()));
        }
        Dataset<Row> all = folders.isEmpty()
                ? StoredLines.numbered(check.apply(source.read().apply(FluxSelection.between(
                        source.fingerprints().firstKey(), source.fingerprints().lastKey())),
                        new TreeSet<>(source.fingerprints().keySet())), 0, keys, sameService).limit(0)
                : spark.read().parquet(folders.toArray(String[]::new));
        // The stored hash of the 9 keys (keys are JOIN_KEYS here) spares hashing every line on every read.
        Column passOver = coalesce(source.passOver().apply(col(StoredLines.KEY_HASH)), lit(false));
        return StoredLines.of(all.where(not(passOver)), keys, sameService);
    }

    /**
     * Checks and writes the months {@code written} as generation {@code generation} (with the patients
     * their lines were checked against when {@code withPatients}); returns, per month, its line count
     * and how many of its lines have a flux date of another month (the reader quarantines them).
     */
    private Map<String, long[]> write(FluxMonths source, SortedSet<YearMonth> written,
                                      BiFunction<Dataset<Row>, SortedSet<YearMonth>, Dataset<Row>> check,
                                      boolean withPatients, int generation, List<String> keys, List<String> sameService) {
        // Read as one range, so one Spark job writes every month; a month's rows are those of its folder.
        Dataset<Row> raw = source.read().apply(FluxSelection.between(written.first(), written.last()))
                .withColumn(MONTH, ExtractLayout.fluxFolderOfFile())
                .where(col(MONTH).isin(written.stream().map(YearMonth::toString).toArray()));
        // The input's partitions, counted before the checks' broadcast join (whose planning would run it).
        Dataset<Row> checked = check.apply(raw.rdd().getNumPartitions() > MAX_PARTITIONS ? raw.coalesce(MAX_PARTITIONS) : raw,
                written);
        Store lines = generation(generation);
        // One folder per month, so that a later run reads only its months. A task's rows come from a few
        // month folders in file order: a writer per month, rather than Spark's sort of the task's rows by month.
        SparkSession session = raw.sparkSession();
        PartitionedWrites.withOpenFiles(session, 64,
                () -> StoredLines.writeNumbered(checked, lines, (long) generation << LINE_BITS, keys, sameService, MONTH));
        // Read with the written schema: the month, a folder name, stays the text it was (no type inference).
        Dataset<Row> stored = session.read().schema(StoredLines.numbered(checked, 0, keys, sameService).schema())
                .parquet(lines.toString());
        if (withPatients) {
            // The patients each month's clean lines were checked against, and whether they were known then.
            List<org.apache.spark.sql.Column> patientColumns = new ArrayList<>(List.of(col(MONTH)));
            patientColumns.addAll(List.of(Columns.named(PATIENT_KEY)));
            patientColumns.add(col(RULE).isNull().as(KNOWN));
            stored.where(col(RULE).isNull().or(col(RULE).equalTo(QuarantineRule.UNKNOWN_BENEFICIARY.code())))
                    .select(patientColumns.toArray(org.apache.spark.sql.Column[]::new))
                    .distinct().write().mode(SaveMode.Overwrite).parquet(patients(generation).toString());
        }
        // Counted by folder and flux month as a number (a date formatted per line cost seconds).
        Map<String, long[]> counts = new TreeMap<>();
        stored.groupBy(col(MONTH), DrugLineDependence.monthNumber(col(FLX_DIS_DTD))).count().collectAsList().forEach(r -> {
            long[] c = counts.computeIfAbsent(r.getString(0), m -> new long[2]);
            c[0] += r.getLong(2);
            if (r.isNullAt(1) || !DrugLineDependence.monthName(r.getInt(1)).equals(r.getString(0))) {
                c[1] += r.getLong(2);
            }
        });
        return counts;
    }

    /** Months of {@code reused} one of whose patients is known now and was not then, or the reverse. */
    private Set<YearMonth> beneficiariesChanged(SparkSession spark, SortedMap<String, Part> months,
                                                SortedSet<YearMonth> reused, Dataset<Row> knownPatients) {
        Set<YearMonth> out = new TreeSet<>();
        if (reused.isEmpty()) {
            return out;
        }
        Dataset<Row> checkedAgainst = null;
        for (Map.Entry<Integer, List<String>> g : byGeneration(months, reused).entrySet()) {
            Dataset<Row> part = spark.read().parquet(patients(g.getKey()).toString()).where(col(MONTH).isin(g.getValue().toArray()));
            checkedAgainst = checkedAgainst == null ? part : checkedAgainst.unionByName(part);
        }
        Dataset<Row> now = knownPatients.select(Columns.named(PATIENT_KEY)).withColumn(KNOWN_NOW, lit(true));
        checkedAgainst.join(broadcast(now), ScalaSeqs.of(PATIENT_KEY), "left")
                .where(col(KNOWN).notEqual(coalesce(col(KNOWN_NOW), lit(false))))
                .select(col(MONTH)).distinct().collectAsList()
                .forEach(r -> out.add(YearMonth.parse(r.getString(0))));
        return out;
    }

    /** Generation → the months among {@code wanted} it holds, in order. */
    private static SortedMap<Integer, List<String>> byGeneration(SortedMap<String, Part> months, Set<YearMonth> wanted) {
        SortedMap<Integer, List<String>> out = new TreeMap<>();
        for (YearMonth m : new TreeSet<>(wanted)) {
            Part p = months.get(m.toString());
            if (p == null) {
                throw new IllegalStateException("flux month " + m + " is not in the line store");
            }
            out.computeIfAbsent(p.generation(), g -> new ArrayList<>()).add(m.toString());
        }
        return out;
    }

    private static Set<String> folderNames(Store dir) {
        try {
            Set<String> out = new TreeSet<>();
            dir.list().stream().filter(FileStatus::isDirectory).forEach(f -> out.add(f.getPath().getName()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.shown(), e);
        }
    }

    private Store generation(int g) {
        return dir.child(GENERATION + g);
    }

    private Store patients(int g) {
        return dir.child(GENERATION + g + PATIENTS);
    }

    private java.util.Optional<State> state() {
        try {
            java.util.Optional<String> text = dir.readText(STATE);
            return text.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(JSON.readValue(text.get(), State.class));
        } catch (IOException e) {
            // An unreadable state (a version of the job before this one, a truncated file): everything is checked again.
            return java.util.Optional.empty();
        }
    }

    private void writeState(State s) {
        try {
            dir.writeTextAtomically(STATE, JSON.writeValueAsString(s) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(STATE), e);
        }
    }

    /** Removes what no stored month needs: generations superseded, and those a dead run left unrecorded. */
    private void removeUnnamedGenerations(SortedMap<String, Part> months) {
        Set<String> needed = new TreeSet<>();
        months.values().forEach(p -> {
            needed.add(GENERATION + p.generation());
            needed.add(GENERATION + p.generation() + PATIENTS);
        });
        try {
            for (FileStatus f : dir.list()) {
                String name = f.getPath().getName();
                if (f.isDirectory() && name.matches(GENERATION + "\\d+(" + PATIENTS + ")?") && !needed.contains(name)) {
                    dir.child(name).delete();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir.shown(), e);
        }
    }
}
