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
import fr.atypie.events.IngestionResult;
import fr.atypie.snds.ExtractLayout;
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

    private CampaignEvaluator() {}

    /** @param extract the extract and @param out the output root: local folders or URIs ({@code hdfs://...}) */
    public record Request(String campaign, CampaignHistory history, Store extract, Store out) {
        public Request(String campaign, CampaignHistory history, Path extract, Path out) {
            this(campaign, history, Store.local(extract), Store.local(out));
        }
    }

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
        // The validated lines are kept in the output folder, where a cluster's executors can write them.
        try (Scratch lines = Scratch.in(request.out(), "evaluate-" + request.campaign(),
                RestrictedAccess.from(config.publish().restrictedGroup()))) {
            IngestionResult ingested = Ingestion.run(spark, new ExtractLayout(request.extract()), config, Optional.empty(),
                    Optional.empty(), Optional.of(lines.store()));
            // Cached: several actions read them, and each would otherwise re-run the validation.
            Dataset<Row> consultations = ingested.events(EventTable.CONSULTATIONS)
                    .select(EventColumns.PATIENT, EventColumns.CARE_MONTH, EventColumns.DEPT, EventColumns.AGE,
                            EventColumns.SEX, EventColumns.ALD, EventColumns.PRESCRIBER, EventColumns.PRESCRIBER_SPECIALTY)
                    .filter(col(EventColumns.PRESCRIBER).isNotNull())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> periods = ingested.events(EventTable.SICK_LEAVE_PERIODS)
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
            result.notes().forEach(n -> progress.println("evaluate: note: " + n));
            Store folder = EvaluationOutputs.write(spark, result, request.out(), config.publish().smallCellThreshold());
            return new Outcome(result, folder);
        }
    }
}
