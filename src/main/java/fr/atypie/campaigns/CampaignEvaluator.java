package fr.atypie.campaigns;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import fr.atypie.publish.PublishSettings;
import fr.atypie.stats.MethodsSettings;
import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.errors.InputError;
import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.EventStore;
import fr.atypie.snds.ExtractLayout;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Scratch;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** {@code atypie evaluate}: ingestion, the panel, the evaluation, then the evaluation folder. */
public final class CampaignEvaluator {
    /** The sections an evaluation reads, ingestion's included (the assembled configuration implements it). */
    public interface Settings extends Ingestion.Settings {
        CampaignSettings campaigns();

        IndicatorSettings indicators();

        MethodsSettings methods();

        PublishSettings publish();
    }

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]+");

    /** In the report of an evaluation whose events came from the refresh's event store (evaluate --work). */
    public static final String FROM_STORE_NOTE = "events read from the event store of the monthly refresh, which holds "
            + "every flux partition of this extract: the patients of each care month as the referentials described them "
            + "when that month was built";

    private CampaignEvaluator() {}

    /**
     * @param extract the extract and @param out the output root: local folders or URIs ({@code hdfs://...})
     * @param stored  a refresh's event store to read the events from, when it holds this very extract
     */
    public record Request(String campaign, CampaignHistory history, Store extract, Store out, Optional<StoredEvents> stored) {
        public Request(String campaign, CampaignHistory history, Path extract, Path out) {
            this(campaign, history, Store.local(extract), Store.local(out), Optional.empty());
        }
    }

    /**
     * A refresh's event store ({@code WORK/state/events}) and the fingerprint of what shapes its
     * events besides the extract (code version, validation settings), as the refresh computes it.
     */
    public record StoredEvents(Store store, String settings) {}

    /** @param written the evaluation folder, {@code OUT/evaluations/<campaign>} */
    public record Outcome(CampaignEvaluation.Result result, Store written) {
        /** The local folder of an evaluation written on the local disk. */
        public Path folder() {
            return written.localPath().orElseThrow(() -> new IllegalStateException("written on " + written + ", not a local folder"));
        }
    }

    /** A campaign id names its evaluation folder: letters, digits, '.', '_' or '-', not starting with '.'. */
    public static void requireSafeId(String campaign) {
        if (!SAFE_ID.matcher(campaign).matches() || campaign.startsWith(".")) {
            throw new InputError("campaign id '" + campaign + "' must be letters, digits, '.', '_' or '-' (it names a folder)");
        }
        if (campaign.equals(VersionedFolders.VERSIONS) || campaign.endsWith(VersionedFolders.POINTER_SUFFIX)) {
            throw new InputError("campaign id '" + campaign + "' is reserved (OUT/evaluations/" + VersionedFolders.VERSIONS
                    + "/ holds the versions of evaluations published on an object store)");
        }
    }

    public static Outcome run(SparkSession spark, Settings config, Request request, PrintStream progress) throws IOException {
        requireSafeId(request.campaign());
        CampaignSettings s = config.campaigns();
        YearMonth[] range = CampaignEvaluation.panelRange(request.campaign(), request.history(), s);
        progress.println("evaluate: campaign " + request.campaign() + ", panel " + range[0] + " to " + range[1]);
        try (Events events = Events.of(spark, config, request, progress)) {
            // Cached: several actions read them, and each would otherwise re-run the validation.
            Dataset<Row> consultations = events.of(EventTable.CONSULTATIONS)
                    .select(EventColumns.PATIENT, EventColumns.CARE_MONTH, EventColumns.DEPT, EventColumns.AGE,
                            EventColumns.SEX, EventColumns.ALD, EventColumns.PRESCRIBER, EventColumns.PRESCRIBER_SPECIALTY)
                    .filter(col(EventColumns.PRESCRIBER).isNotNull())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> periods = events.of(EventTable.SICK_LEAVE_PERIODS)
                    .filter(col(EventColumns.PRESCRIBER).isNotNull())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Row span = consultations.agg(min(EventColumns.CARE_MONTH), max(EventColumns.CARE_MONTH)).first();
            if (span.isNullAt(0)) {
                throw new InputError("extract " + request.extract().shown() + ": no consultation event, so no prescriber patient base");
            }
            YearMonth dataFirst = YearMonth.from(span.getDate(0).toLocalDate());
            YearMonth dataLast = YearMonth.from(span.getDate(1).toLocalDate());
            // The base of the first pre-period month needs base-months of consultations before it.
            if (range[0].minusMonths(s.baseMonths() - 1).isBefore(dataFirst)) {
                progress.println("evaluate: note: the extract starts in " + dataFirst + "; patient bases of the first pre-period months"
                        + " use fewer than " + s.baseMonths() + " months of consultations");
            }
            if (range[0].isBefore(dataFirst)) {
                throw new InputError("extract " + request.extract().shown() + " starts in " + dataFirst + " but the pre-period of campaign "
                        + request.campaign() + " starts in " + range[0] + " (atypie.campaigns.before-months = " + s.beforeMonths() + ")");
            }
            YearMonth last = range[1].isAfter(dataLast) ? dataLast : range[1];
            // One panel for the evaluation and the in-time placebo: the circumvention cohorts of every
            // contact month and of the months placebo-shift-months earlier, from the earliest pre-period
            // the extract holds (a shifted pre-period before the extract is left out, and said so).
            java.util.Set<YearMonth> anchors = new java.util.TreeSet<>(CampaignEvaluation.contactMonths(request.campaign(),
                    request.history()));
            YearMonth first = range[0];
            for (YearMonth a : java.util.List.copyOf(anchors)) {
                YearMonth fake = a.minusMonths(s.placeboShiftMonths());
                if (!fake.minusMonths(s.beforeMonths()).isBefore(dataFirst)) {
                    anchors.add(fake);
                    first = fake.minusMonths(s.beforeMonths()).isBefore(first) ? fake.minusMonths(s.beforeMonths()) : first;
                }
            }
            Map<String, PrescriberPanel.Series> panel = PrescriberPanel.build(consultations, periods, anchors, first, last, s,
                    config.indicators().spellMaxGapDays(), config.dcir().codes().generalPractice());
            consultations.unpersist();
            periods.unpersist();
            progress.println("evaluate: panel of " + panel.size() + " prescribers");
            CampaignEvaluation.Result result = CampaignEvaluation.evaluate(request.campaign(), request.history(), panel, last, s,
                    new CampaignEvaluation.BootstrapSettings(config.methods().bootstrapReplicates(),
                            config.methods().bootstrapSeed(), config.methods().intervalLevel()),
                    Optional.of(dataFirst));
            if (events.fromStore()) {
                result = result.withNote(FROM_STORE_NOTE);
            }
            result.notes().forEach(n -> progress.println("evaluate: note: " + n));
            Store folder = EvaluationOutputs.write(spark, result, request.out(), config.publish().smallCellThreshold());
            return new Outcome(result, folder);
        }
    }

    /**
     * Where the evaluation's events come from: the refresh's event store when it holds this very
     * extract (no validation: seconds instead of the extract's full read), else the extract,
     * validated into a scratch folder. Open while the events are read: the store stays locked
     * (a refresh cannot replace its version meanwhile), the scratch folder stays in place.
     */
    private record Events(Map<EventTable, Dataset<Row>> tables, boolean fromStore, Closeable holder) implements Closeable {
        static Events of(SparkSession spark, Settings config, Request request, PrintStream progress) throws IOException {
            ExtractLayout layout = new ExtractLayout(request.extract());
            if (request.stored().isPresent()) {
                StoredEvents stored = request.stored().get();
                Optional<String> why = stored.store().isFolder() ? Optional.empty()
                        : Optional.of("no event store in " + stored.store().shown());
                if (why.isEmpty()) {
                    EventStore store = EventStore.open(stored.store());
                    try {
                        why = store.differenceFrom(layout, stored.settings());
                        if (why.isEmpty()) {
                            progress.println("evaluate: events read from the event store " + store.root().shown()
                                    + " (it holds every flux partition of the extract as it is now)");
                            return new Events(store.read(spark), true, store::close);
                        }
                    } catch (RuntimeException e) {
                        store.close();
                        throw e;
                    }
                    store.close();
                }
                progress.println("evaluate: the event store is not used (" + why.get() + "): validating the extract");
            }
            // The validated lines are kept in the output folder, where a cluster's executors can write them.
            Scratch lines = Scratch.in(request.out(), "evaluate-" + request.campaign(),
                    RestrictedAccess.from(config.publish().restrictedGroup()));
            try {
                return new Events(Ingestion.run(spark, layout, config, Optional.empty(), Optional.empty(),
                        Optional.of(lines.store())).events(), false, lines::close);
            } catch (RuntimeException e) {
                lines.close();
                throw e;
            }
        }

        Dataset<Row> of(EventTable t) {
            return tables.get(t);
        }

        @Override
        public void close() throws IOException {
            holder.close();
        }
    }
}
