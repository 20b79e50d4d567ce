package fr.atypie.events;

import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.JOIN_KEYS;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.xxhash64;

import fr.atypie.snds.DcirSettings;
import fr.atypie.quality.FluxMonths;
import fr.atypie.quality.QualityConfig;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.FluxWindow;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.ScalaSeqs;
import fr.atypie.fs.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one way into the job: read the extract (schema checks, {@code InputError} on unusable input),
 * validate rows into kept and quarantined, then build the typed events from the kept rows. Every
 * pipeline run starts here; {@code atypie validate} runs the first two steps.
 *
 * <p>The threshold is not enforced here, so that the caller can write the quarantine and the report
 * first: call {@code result.qualityReport().requireAcceptable()} (exit 5) after writing them.
 */
public final class Ingestion {
    /** The two sections ingestion reads (the assembled configuration implements it). */
    public interface Settings {
        QualityConfig quality();

        DcirSettings dcir();
    }

    private Ingestion() {}

    public static IngestionResult run(SparkSession spark, ExtractLayout layout, Settings config) {
        return run(spark, layout, config, Optional.empty());
    }

    /**
     * Ingests the care months from {@code careFrom} on (every month when empty). Lines of care from
     * month C arrive in flux months ≥ C, so only flux months ≥ careFrom are read; their lines of
     * earlier care months (already in the {@link EventStore}) are passed over before validation,
     * their drug lines with them, and counted in {@link IngestionResult#passedOver()}: rows read =
     * kept + quarantined + passed over. An older line that shares its 9 keys with a later one is
     * validated with it ({@link #passedOver}), so that the later lines get a full read's verdicts.
     */
    public static IngestionResult run(SparkSession spark, ExtractLayout layout, Settings config,
                                      Optional<YearMonth> careFrom) {
        return run(spark, layout, config, careFrom, Optional.empty());
    }

    /** As above, reading no flux month after {@code asOf} (an as-of run). */
    public static IngestionResult run(SparkSession spark, ExtractLayout layout, Settings config,
                                      Optional<YearMonth> careFrom, Optional<YearMonth> asOf) {
        return run(spark, layout, config, careFrom, asOf, Optional.empty());
    }

    /**
     * As above, the validated flux lines stored under {@code lineStore} (replaced; restricted: it holds
     * patient pseudonyms), else in a temporary folder. The result reads from it while it is used.
     */
    public static IngestionResult run(SparkSession spark, ExtractLayout layout, Settings config,
                                      Optional<YearMonth> careFrom, Optional<YearMonth> asOf, Optional<Store> lineStore) {
        return run(spark, layout, config, careFrom, asOf, lineStore, Optional.empty(), false);
    }

    /**
     * As above; with {@code monthSettings} (what shapes the checks besides the lines: see
     * {@code MonthlyRefresh.eventSettings}) and an extract whose ER_PRS_F is in {@code flux_month=YYYY-MM}
     * folders, the checked service lines are kept in {@code lineStore} by flux month between runs, and
     * a run checks only the months that are new or re-delivered ({@link FluxMonths}), or every month
     * when {@code checkAll} ({@code --full-rebuild}).
     */
    public static IngestionResult run(SparkSession spark, ExtractLayout layout, Settings config,
                                      Optional<YearMonth> careFrom, Optional<YearMonth> asOf, Optional<Store> lineStore,
                                      Optional<String> monthSettings, boolean checkAll) {
        FluxSelection selection = new FluxSelection(careFrom, asOf);
        ExtractReader reader = new ExtractReader(spark, layout);
        Map<SndsTable, Dataset<Row>> raw = new EnumMap<>(reader.readAll(selection));
        Map<SndsTable, Long> read = new EnumMap<>(SndsTable.class);
        PassOver passOver = PassOver.NONE;
        UnaryOperator<Dataset<Row>> leaveOutDrugs = UnaryOperator.identity();
        if (careFrom.isPresent()) {
            Dataset<Row> prs = raw.get(SndsTable.ER_PRS_F);
            Dataset<Row> pha = raw.get(SndsTable.ER_PHA_F);
            passOver = passOver(prs, careFrom.get(), MAX_SHARED_KEYS);
            Column passedOver = passOver.of(keyHash(), col(EXE_SOI_DTD));
            Dataset<Row> passedOverKeys = prs.where(passedOver).select(JOIN_KEYS.stream().map(k -> col(k)).toArray(Column[]::new));
            leaveOutDrugs = drugs -> drugs.join(passedOverKeys, ScalaSeqs.of(JOIN_KEYS), "left_anti");
            raw.put(SndsTable.ER_PRS_F, prs.where(not(passedOver)));
            raw.put(SndsTable.ER_PHA_F, leaveOutDrugs.apply(pha));
            // Passed over = read - validated: counting the rows read costs a scan; counting what the
            // anti-join keeps would compute the join once more (validation counts its stored lines).
            read.put(SndsTable.ER_PRS_F, prs.count());
            read.put(SndsTable.ER_PHA_F, pha.count());
        }
        Validator validator = new Validator(config.quality(), config.dcir().codes(), Nomenclatures.of(spark, layout));
        Optional<FluxMonths> months = Optional.empty();
        Optional<FluxMonths> drugMonths = Optional.empty();
        if (lineStore.isPresent() && monthSettings.isPresent()) {
            SortedMap<YearMonth, String> fingerprints = fluxMonths(layout, SndsTable.ER_PRS_F, selection);
            PassOver p = passOver;
            if (!fingerprints.isEmpty()) {
                months = Optional.of(new FluxMonths(monthSettings.get(), fingerprints,
                        s -> reader.read(SndsTable.ER_PRS_F, s), h -> p.of(h, col(EXE_SOI_DTD)), UnaryOperator.identity(),
                        p.careFrom(), p.hasSharedKeys(), checkAll));
                // Drug lines by flux month too, passed over by the latest care of their service lines.
                SortedMap<YearMonth, String> drugFingerprints = fluxMonths(layout, SndsTable.ER_PHA_F, selection);
                if (!drugFingerprints.isEmpty()) {
                    drugMonths = Optional.of(new FluxMonths(monthSettings.get(), drugFingerprints,
                            s -> reader.read(SndsTable.ER_PHA_F, s), h -> p.of(h, col(Validator.PRS_CARE)), leaveOutDrugs,
                            p.careFrom(), p.hasSharedKeys(), checkAll));
                }
            }
        }
        ValidatedExtract v = lineStore.isPresent() ? validator.validate(raw, lineStore.get(), months, drugMonths)
                : validator.validate(raw);
        Map<SndsTable, Long> passedOver = new EnumMap<>(SndsTable.class);
        read.forEach((t, rows) -> passedOver.put(t, rows - v.report().table(t).rowsIn()));
        return new IngestionResult(ClaimEvents.build(v, config.dcir().codes()), v,
                Validator.latestFlux(v.kept(SndsTable.ER_PRS_F)).map(l -> new FluxWindow(l, config.dcir().consolidationMonths())),
                passedOver);
    }

    /**
     * The flux months of {@code table} (ER_PRS_F or ER_PHA_F) in {@code selection} with their folders'
     * fingerprints; none when the table is not wholly in {@code flux_month=YYYY-MM} folders (a plain
     * folder, or Spark's folder of null flux dates), whose lines cannot be kept by month.
     */
    static SortedMap<YearMonth, String> fluxMonths(ExtractLayout layout, SndsTable table, FluxSelection selection) {
        String prefix = ExtractLayout.FLUX_PARTITION + "=";
        try {
            if (!layout.table(table).isFolder()) {
                return new TreeMap<>();
            }
            for (FileStatus f : layout.table(table).list()) {
                String name = f.getPath().getName();
                if (f.isDirectory() && name.startsWith(prefix) && !name.substring(prefix.length()).matches("\\d{4}-\\d{2}")) {
                    return new TreeMap<>();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SortedMap<YearMonth, String> out = new TreeMap<>();
        String name = table.name() + "/";
        for (Map.Entry<String, String> e : EventStore.fingerprints(layout).entrySet()) {
            if (e.getKey().equals(name + "*")) {
                return new TreeMap<>();
            }
            if (e.getKey().startsWith(name)) {
                YearMonth m = YearMonth.parse(e.getKey().substring(name.length()));
                if (selection.includes(m)) {
                    out.put(m, e.getValue());
                }
            }
        }
        return out;
    }

    /** The most 9-keys shared by older and later lines that are looked up by hash; past it, nothing is passed over. */
    static final int MAX_SHARED_KEYS = 10_000;

    /**
     * Which service lines an incremental read passes over: those of care before {@code careFrom},
     * unless one of care from {@code careFrom} on has the same 9 keys. The duplicate check decides
     * among all the lines of a key, whatever their care dates (the 9 keys do not hold it): with the
     * older line passed over, the later one would be kept where a full read may quarantine it, and
     * the key's drug lines passed over where a full read may join them to the later line. Such keys
     * are rare (none in the generated extracts); they are found on a 64-bit hash of the keys, so a
     * collision only validates one older line more, whose events are not stored (care before
     * {@code careFrom}). Past {@code maxShared} of them ({@value #MAX_SHARED_KEYS} in a run), no line is
     * passed over.
     */
    static Column passedOver(Dataset<Row> prs, YearMonth careFrom, int maxShared) {
        return passOver(prs, careFrom, maxShared).of(keyHash(), col(EXE_SOI_DTD));
    }

    /** A line's 64-bit hash of its 9 keys, as the validated line stores hold it. */
    private static Column keyHash() {
        return xxhash64(JOIN_KEYS.stream().map(k -> col(k)).toArray(Column[]::new));
    }

    /**
     * What an incremental read of {@code prs} from {@code careFrom} passes over: lines of older care, but
     * for the 9-keys (by hash) that older and later lines share; nothing past {@code maxShared} of them.
     *
     * @param careFrom the first care month read; empty when nothing is passed over
     * @param shared   the hashes of the 9-keys that older and later lines share
     */
    record PassOver(Optional<YearMonth> careFrom, List<Long> shared) {
        static final PassOver NONE = new PassOver(Optional.empty(), List.of());

        /** Whether some older lines are validated with later ones of the same keys, not passed over. */
        boolean hasSharedKeys() {
            return !shared.isEmpty();
        }

        /** Whether the line whose 9 keys hash to {@code keyHash} and whose care is {@code care} is passed over. */
        Column of(Column keyHash, Column care) {
            if (careFrom.isEmpty()) {
                return lit(false);
            }
            Column older = coalesce(care.lt(lit(Date.valueOf(careFrom.get().atDay(1)))), lit(false));
            return shared.isEmpty() ? older : older.and(not(keyHash.isInCollection(shared)));
        }
    }

    /** What an incremental read of {@code prs} from {@code careFrom} passes over, found on a scan of it. */
    static PassOver passOver(Dataset<Row> prs, YearMonth careFrom, int maxShared) {
        Column older = coalesce(col(EXE_SOI_DTD).lt(lit(Date.valueOf(careFrom.atDay(1)))), lit(false));
        String hash = "_i_key_hash";
        Dataset<Row> olderHashes = prs.where(older).select(keyHash().as(hash)).distinct();
        List<Long> shared = prs.where(not(older)).select(keyHash().as(hash))
                .join(olderHashes, ScalaSeqs.of(List.of(hash)), "left_semi").distinct()
                .limit(maxShared + 1).as(Encoders.LONG()).collectAsList();
        return shared.size() > maxShared ? PassOver.NONE : new PassOver(Optional.of(careFrom), List.copyOf(shared));
    }

    /** Validation only ({@code atypie validate}), the flux lines stored under {@code lineStore} (replaced). */
    public static ValidatedExtract validate(SparkSession spark, ExtractLayout layout, Settings config,
                                            FluxSelection flux, Store lineStore) {
        return new Validator(config.quality(), config.dcir().codes(), Nomenclatures.of(spark, layout))
                .validate(new ExtractReader(spark, layout).readAll(flux), lineStore);
    }
}
