package fr.atypie.refresh;

import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.FLUX_MONTH;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.PeerComparison;
import fr.atypie.atypie.PrescriberProfiles;
import fr.atypie.atypie.PrescriberTrend;
import fr.atypie.atypie.PositiveFeedback;
import fr.atypie.atypie.PrescriberSegment;
import fr.atypie.atypie.Prescribers;
import fr.atypie.atypie.Segment;
import fr.atypie.atypie.Segmentation;
import fr.atypie.atypie.Targeting;
import fr.atypie.atypie.Typology;
import fr.atypie.atypie.TargetingSettings;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.campaigns.MeasuredEffects;
import fr.atypie.campaigns.PublishedEvaluation;
import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.version.Version;
import fr.atypie.events.EventStore;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.IngestionResult;
import fr.atypie.indicators.PatientKeys;
import fr.atypie.indicators.Population;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.indicators.IndicatorValue;
import fr.atypie.indicators.RatioIndicators;
import fr.atypie.indicators.SpellIndicators;
import fr.atypie.indicators.PatientContributions;
import fr.atypie.indicators.StratifiedCube;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.indicators.Windows;
import fr.atypie.indicators.scorecard.Scorecard;
import fr.atypie.procedure.ContactStore;
import fr.atypie.procedure.ProcedureExclusion;
import fr.atypie.procedure.ProcedureTracking;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.PublishedMonths;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.publish.RunLock;
import fr.atypie.quality.ImplausibleMonth;
import fr.atypie.publish.RunManifest;
import fr.atypie.quality.QualityOutputs;
import fr.atypie.quality.QualityReportFormat;
import fr.atypie.quality.RuleCount;
import fr.atypie.quality.TableQuality;
import fr.atypie.quality.Validator;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.FluxWindow;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.SparkSessions;
import fr.atypie.stats.PoissonInterval;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The monthly job: validation → events → indicators (crude, standardised, spells, savings) → CPG
 * scorecard → prescriber profiles → segments → targeting → publication. Everything of one month
 * is written aside and published in one atomic step ({@link Publisher}); a run that fails leaves
 * the previous publication as it was.
 */
public final class MonthlyRefresh {

    /**
     * @param month       refresh month (last month of the 12-month windows); default: latest flux month
     * @param work        restricted working area: quarantined rows and the event store (patient
     *                    pseudonyms: never published)
     * @param campaigns   campaign history CSV, for exclusions of recently contacted prescribers
     * @param fullRebuild rebuild every care month's events instead of the months new flux touched
     * @param force       publish even when the plausibility checks fail (their reasons are kept)
     */
    public record Request(Store extract, Store out, Store work, Optional<YearMonth> month, Optional<Store> campaigns,
                          boolean fullRebuild, boolean force) {
        /** Local folders (the locations may also be given as {@link Store}s: {@code hdfs://...}). */
        public Request(Path extract, Path out, Path work, Optional<YearMonth> month, Optional<Path> campaigns,
                       boolean fullRebuild, boolean force) {
            this(Store.local(extract), Store.local(out), Store.local(work), month, campaigns.map(Store::local),
                    fullRebuild, force);
        }

        public Request(Path extract, Path out, Path work, Optional<YearMonth> month, Optional<Path> campaigns) {
            this(extract, out, work, month, campaigns, false);
        }

        public Request(Path extract, Path out, Path work, Optional<YearMonth> month, Optional<Path> campaigns,
                       boolean fullRebuild) {
            this(extract, out, work, month, campaigns, fullRebuild, false);
        }

        /** The event store of this working area. */
        public Store eventStore() {
            return eventStoreIn(work);
        }

        /** The event store of the working area {@code work}: {@code WORK/state/events}. */
        public static Store eventStoreIn(Store work) {
            return work.child("state").child("events");
        }

        /** The validated flux lines of this working area, by flux month. */
        public Store lineStore() {
            return lineStoreIn(work);
        }

        /** The line store of the working area {@code work}, beside its event store: {@code WORK/state/lines}. */
        public static Store lineStoreIn(Store work) {
            return eventStoreIn(work).parent().child("lines");
        }
    }

    /** @param published where the month was published (a local folder or a URI) */
    public record Outcome(YearMonth month, Store published, List<IndicatorValue> indicators,
                          List<PrescriberSegment> segments, Targeting.Result targeting,
                          EventStore.Plan eventPlan) {
        Outcome publishedAt(Store where) {
            return new Outcome(month, where, indicators, segments, targeting, eventPlan);
        }

        /** The local folder of a month published on the local disk. */
        public Path publication() {
            return published.localPath().orElseThrow(() -> new IllegalStateException(
                    "published on " + published + ", not a local folder"));
        }
    }

    static final int STAGES = 7;

    private MonthlyRefresh() {}

    public static Outcome run(SparkSession spark, AtypieConfig config, Request request, PrintStream log) throws IOException {
        ExtractLayout layout = new ExtractLayout(request.extract());
        Plausibility.Settings plausibility = Plausibility.Settings.from(config);
        // First the output folder's lock: a second run stops here at once (exit 6), before any work.
        try (RunLock lock = RunLock.acquire(request.out())) {
            List<String> early = request.month().map(m -> Plausibility.requestedMonth(layout, m,
                    config.indicators().windowMonths(), plausibility)).orElse(List.of());
            if (!early.isEmpty() && !request.force()) {
                throw new ImplausibleMonth(early, " (nothing done; --force to run anyway)");
            }
            return run(spark, config, request, log, layout, plausibility, early);
        }
    }

    private static Outcome run(SparkSession spark, AtypieConfig config, Request request, PrintStream log,
                               ExtractLayout layout, Plausibility.Settings plausibility, List<String> early)
            throws IOException {
        java.util.Set<String> themes = new java.util.TreeSet<>();
        config.atypie().metrics().forEach(m -> themes.add(m.theme()));
        CampaignHistory.Rules rules = new CampaignHistory.Rules(themes, CampaignHistory.Rules.lenient().latestStart());
        CampaignHistory history = request.campaigns().map(p -> CampaignHistory.read(p, rules)).orElse(CampaignHistory.empty());
        Clock clock = Clock.systemUTC();
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        // The event store holds patient-level data: restricted before anything is written in it (the
        // folders only: --work may name a shared parent, whose mode is not ours to change).
        RestrictedAccess access = RestrictedAccess.from(config.publish().restrictedGroup());
        access.directory(request.eventStore().parent());
        access.directory(request.eventStore());
        try (SparkWorkListener sparkWork = SparkWorkListener.register(spark.sparkContext());
             EventStore store = EventStore.open(request.eventStore())) {
            Progress progress = new Progress(log, STAGES, sparkWork);
            Progress.Stage validation = progress.start("validate", "reading and checking " + layout.location());
            // --month M reads the extract as of flux month M: later fluxes are left out, so a past month
            // re-run on a longer extract publishes what it published then.
            EventStore.Plan plan = store.plan(spark, layout, eventSettings(config, Nomenclatures.of(spark, layout)),
                    config.quality().earliestCareYear(), request.fullRebuild(), request.month());
            progress.note("event store " + store.root().shown() + ": " + plan.describe());
            FluxSelection read = plan.fluxToRead().upTo(request.month());
            long bytes = layout.fluxBytes(read);
            progress.note(String.format(Locale.ROOT, "%,d MB of flux Parquet to read: %d shuffle partitions",
                    bytes >> 20, SparkSessions.sizeFor(spark, config.spark(), bytes)));
            // The validated lines are stored beside the events, in the restricted area, by flux month:
            // a month checked under the same settings by an earlier run is read back, not checked again.
            Store lines = access.directory(request.lineStore());
            IngestionResult ingested = Ingestion.run(spark, layout, config, plan.rebuildFrom(), request.month(),
                    Optional.of(lines), Optional.of(plan.settings()), request.fullRebuild());
            access.protect(lines);
            YearMonth month = request.month().orElseGet(() -> ingested.qualityReport().latestFlux()
                    .orElseThrow(() -> new InputError(QualityReportFormat.nothingKept(ingested.qualityReport(), SndsTable.ER_PRS_F)
                            + "\nnothing to refresh")));
            // The release holds the publication lock for the whole run; closed without commit, it leaves
            // the previous publication of the month as it was.
            try (MonthlyRelease release = MonthlyRelease.open(request.out(), month, runId, config, clock)) {
                progress.recordInto(release.manifest());
                release.manifest().eventStore(new RunManifest.EventStoreUse(plan.full() ? "full" : "incremental",
                        plan.rebuildFrom().map(YearMonth::toString).orElse(null), plan.reason(), ingested.passedOverRows(),
                        fluxRead(plan, request.month())));
                List<ProcedureOutputs.Result> procedure = new ArrayList<>(1);
                Outcome o = run(spark, config, request, ingested, month, history, release, progress, validation,
                        store, plan, runId, plausibility, early, procedure);
                release.commit();
                // The month's action lists join the contact store once they are published.
                for (ProcedureOutputs.Result p : procedure) {
                    p.store().write(p.storeFile());
                }
                // Where readers now find it: the month folder, or on an object store the new version.
                return o.publishedAt(PublishedMonths.of(request.out(), month).orElseThrow(() -> new IllegalStateException(
                        "month " + month + " committed but not found in " + request.out().shown())));
            }
        }
    }

    /** The ER_PRS_F flux months this run read, "first..last" (null for a plain, unpartitioned folder). */
    static String fluxRead(EventStore.Plan plan, Optional<YearMonth> asOf) {
        FluxSelection read = plan.fluxToRead().upTo(asOf);
        String prefix = SndsTable.ER_PRS_F.name() + "/";
        List<YearMonth> months = plan.fingerprints().keySet().stream().filter(k -> k.startsWith(prefix) && !k.endsWith("/*"))
                .map(k -> YearMonth.parse(k.substring(prefix.length()))).filter(read::includes).sorted().toList();
        return months.isEmpty() ? null : months.get(0) + ".." + months.get(months.size() - 1);
    }

    /**
     * What shapes the stored events besides the extract's flux: the code, the validation settings
     * and the nomenclatures lines are checked against (an extract's own IR_NAT_V, IR_SPE_V: a nature
     * added there turns quarantined lines of every stored month into events). A store built under
     * another fingerprint is rebuilt in full.
     */
    public static String eventSettings(AtypieConfig config, Nomenclatures nomenclatures) {
        return Version.current() + ";" + config.hash("quality", "dcir") + ";" + nomenclatures.fingerprint();
    }

    private static Outcome run(SparkSession spark, AtypieConfig config, Request request, IngestionResult ingested,
                               YearMonth month, CampaignHistory history, MonthlyRelease release, Progress progress,
                               Progress.Stage validation, EventStore store, EventStore.Plan plan, String runId,
                               Plausibility.Settings plausibility, List<String> early,
                               List<ProcedureOutputs.Result> procedure) throws IOException {
        // 1. Validation (its report and quarantine) and events.
        Store qualityDir = request.work().child(month.toString()).child("quality");
        // An incremental run validates what it read: the report says so next to the extract's name.
        QualityOutputs.write(ingested.validation(), qualityDir, new ExtractLayout(request.extract()).location() + (plan.full() ? ""
                : String.format(Locale.ROOT, " (incremental run: flux months from %s; %,d rows of care months before "
                        + "it passed over, already in the event store)", plan.rebuildFrom().get(), ingested.passedOverRows())),
                RestrictedAccess.from(config.publish().restrictedGroup()));
        long rowsIn = 0;
        long quarantined = 0;
        for (TableQuality t : ingested.qualityReport().tables()) {
            rowsIn += t.rowsIn();
            quarantined += t.quarantined();
            for (RuleCount r : t.rules()) {
                release.manifest().quarantine(t.table().name(), r.rule().name(), r.rows());
            }
        }
        ExtractLayout layout = new ExtractLayout(request.extract());
        for (SndsTable t : SndsTable.values()) {
            release.manifest().input(RunManifest.Input.parquet(t.name(), layout.table(t)));
        }
        validation.done(rowsIn, rowsIn - quarantined, String.format(Locale.ROOT,
                "%,d rows in, %,d quarantined (report: %s)%s", rowsIn, quarantined, qualityDir.shown(),
                plan.full() ? "" : String.format(Locale.ROOT, "; %,d more rows of care months before %s passed over "
                        + "(stored)", ingested.passedOverRows(), plan.rebuildFrom().get())));
        QualityReportFormat.inputNotes(ingested.qualityReport()).forEach(progress::note);
        List<String> absent = Validator.departmentsWithoutBeneficiary(
                ingested.validation().kept(SndsTable.IR_BEN_R), config.quality().departments());
        if (!absent.isEmpty()) {
            // Named, not held: a partial extract is a choice an analyst may make (a hold would need --force).
            progress.note("WARNING: no beneficiary kept in department(s) " + String.join(", ", absent)
                    + " of the region: their people are in no output (absent from IR_BEN_R, or quarantined: see "
                    + qualityDir.shown() + ")");
        }
        ingested.qualityReport().requireAcceptable();
        // Plausibility, first part: an empty required table holds the month before any computation.
        List<String> reasons = new ArrayList<>(early);
        reasons.addAll(Plausibility.emptyTables(ingested.qualityReport(), plausibility));
        hold(month, reasons, request.force(), qualityDir);

        // The heavy stages start with the shuffle files of what the stages before dropped deleted: the local
        // dir's peak is one stage's shuffles, not two.
        SparkSessions.releaseDroppedShuffles();
        Progress.Stage stage = progress.start("events", plan.full() ? "building typed events of every care month"
                : "building typed events of care months from " + plan.rebuildFrom().get() + ", then reading the store");
        store.update(ingested.events(), plan, EventStore.firstCareToRecord(spark, layout, plan, request.month(),
                config.quality().earliestCareYear()), runId);
        RestrictedAccess.from(config.publish().restrictedGroup()).protect(request.eventStore());
        Map<EventTable, Dataset<Row>> events = new EnumMap<>(EventTable.class);
        long eventRows = 0;
        // Stored events of care months this run did not rebuild: their patients were checked against an earlier IR_BEN_R.
        List<Dataset<Row>> olderEvents = new ArrayList<>();
        // Read from the store's Parquet files by each stage, the columns it needs: nothing held in memory.
        for (Map.Entry<EventTable, Dataset<Row>> e : store.read(spark).entrySet()) {
            events.put(e.getKey(), e.getValue());
            eventRows += e.getValue().count();
            plan.rebuildFrom().ifPresent(from ->
                    olderEvents.add(e.getValue().where(col(CARE_MONTH).lt(lit(Date.valueOf(from.atDay(1)))))));
        }
        // Spell counts need each period marked on the patient's whole history, before any filter. Not
        // persisted: each consumer reads the columns it needs from the store's Parquet and Spark prunes the
        // rest; a persisted marking (every column, serialised) measured 30 s slower at scale 0.05.
        if (config.indicators().countsSpells()) {
            events.put(EventTable.SICK_LEAVE_PERIODS, SickLeaveSpells.markOpenings(events.get(EventTable.SICK_LEAVE_PERIODS),
                    config.indicators().spellMaxGapDays()));
        }
        Optional<FluxWindow> flux = ingested.fluxWindow();
        Windows windows = windows(events, month, config.indicators().windowMonths());
        // The tables the roll-ups keep in memory, compressed or not, by the size of the store.
        boolean compressed = SparkSessions.compressCachesFor(spark, config.spark(), eventRows);
        stage.done(rowsIn - quarantined, eventRows, String.format(Locale.ROOT,
                "%,d events stored; windows %s to %s; in-memory tables %s", eventRows, windows.firstWindowMonth(),
                windows.lastWindowMonth(), compressed ? "compressed" : "uncompressed"));

        // 2. Indicators.
        SparkSessions.releaseDroppedShuffles();
        stage = progress.start("indicators", "crude and standardised, by department and region");
        // The aggregations by patient key patients by a 64-bit hash when no two of them share one. The
        // patients they meet: the insured (kept IR_BEN_R), which holds every patient of the events this
        // run built (a line of an unknown beneficiary is quarantined), and those of the older stored
        // events. (Checking every event instead cost 10 s of task time at scale 0.05.)
        List<Dataset<Row>> patientIds = new ArrayList<>(olderEvents);
        patientIds.add(Population.patientIds(ingested.validation().kept(SndsTable.IR_BEN_R)));
        PatientKeys patientKeys = PatientKeys.forPatients(patientIds);
        Map<EventTable, Dataset<Row>> byKey = patientKeys.keyed(events);
        Population.Insured population = Population.byWindow(ingested.validation().kept(SndsTable.IR_BEN_R),
                ingested.validation().kept(SndsTable.IR_IMB_R), windows, config.indicators().ageBands())
                .keyedBy(patientKeys).persist();
        // The indicators, the profiles and the prescribers' trend roll the same events up: moved by patient once.
        PatientContributions contributions = PatientContributions.of(byKey, config.indicators().measures().values(),
                PrescriberTrend.CARRIED, windows.firstCareMonthNeeded(), windows.lastWindowMonth()).persist();
        Dataset<Row> patientWindows = StratifiedCube.patientWindows(contributions, windows, config.indicators()).persist();
        List<Row> cube = StratifiedCube.build(population, patientWindows, config.indicators()).collectAsList();
        long outside = StratifiedCube.patientsOutsidePopulation(population, patientWindows);
        String region = config.region().code();
        List<IndicatorValue> indicators = new ArrayList<>(RatioIndicators.compute(cube, config.indicators(), region,
                (o, e) -> {
                    PoissonInterval.Ratio r = PoissonInterval.ratio(o, e, config.methods().intervalLevel());
                    return new double[] {r.lower(), r.upper()};
                }));
        // Spells once: every spell indicator and the procedure read them.
        Dataset<Row> spells = SickLeaveSpells.build(events.get(EventTable.SICK_LEAVE_PERIODS),
                month.atEndOfMonth(), config.indicators().spellMaxGapDays()).persist();
        indicators.addAll(SpellIndicators.compute(spells, config.indicators(), windows, region, month.atEndOfMonth()));
        TrendSavings.Result savings = TrendSavings.compute(events, config.indicators(), windows, region);
        indicators.addAll(Savings.withPatients(savings.savings(), cube, config.indicators(), region));
        patientWindows.unpersist();
        // Complementary suppression, decided once: the scorecard does not score what the tables hide.
        AdditiveSets.Suppression complements = AdditiveSets.complements(indicators, savings.points(),
                config.publish().smallCellThreshold());
        stage.done(eventRows, indicators.size(), String.format(Locale.ROOT,
                "%,d indicator values; %,d patient-windows with claims but no beneficiary row (left out); patients keyed %s",
                indicators.size(), outside, patientKeys.hashed() ? "by a 64-bit hash" : "by pseudonym (two hashes met)"));

        // 3. CPG scorecard on the refresh month's window.
        stage = progress.start("scorecard", "CPG success rates and ranks");
        List<Scorecard.DepartmentScore> scores = Scorecard.compute(
                CpgResults.measured(indicators, config, month, complements.indicators()), null, config.cpg());
        Map<String, Integer> previousRanks = CpgResults.ranks(Scorecard.compute(
                CpgResults.measured(indicators, config, month.minusMonths(1), complements.indicators()), null, config.cpg()));
        stage.done(indicators.size(), scores.size(), scores.size() + " departments scored");

        // 4. Prescriber profiles, peer comparison, segments, targeting.
        SparkSessions.releaseDroppedShuffles();
        stage = progress.start("profiles", "prescribers against peers, case-mix adjusted");
        YearMonth earlier = month.minusMonths(config.atypie().persistenceMonths());
        // The month's window and the earlier one persistence is judged on, not the months between
        // (at persistence-months = 6, seven windows were rolled up for the two read).
        Windows profileWindows = Windows.pair(earlier.isBefore(windows.firstWindowMonth()) ? month : earlier, month,
                config.indicators().windowMonths());
        // Prescribers DA_PRA_R lacks (hospital doctors, other regions) kept, with the specialty of their claim lines.
        Prescribers.Completed completed = Prescribers.withClaimLines(
                Prescribers.fromPractitioners(ingested.validation().kept(SndsTable.DA_PRA_R), config.dcir().codes().generalPractice()),
                events.values(), config.dcir().codes().generalPractice());
        Dataset<Row> prescribers = completed.prescribers();
        List<Row> profiles = PrescriberProfiles.compute(contributions, population, prescribers, profileWindows,
                        config.indicators(), config.atypie())
                .where(col(Windows.WINDOW_MONTH).isin(Windows.firstDay(month), Windows.firstDay(earlier)))
                .collectAsList();
        List<MetricAssessment> assessed = PeerComparison.assess(profiles, config.atypie(), config.methods());
        stage.done(eventRows, assessed.size(), String.format(Locale.ROOT, "%,d prescriber-metric assessments; %,d prescribers "
                + "absent from DA_PRA_R kept with the specialty of their claim lines", assessed.size(), completed.fromClaimLines()));

        stage = progress.start("segments", "action ladder and targeting under capacity");
        List<PrescriberSegment> segments = Segmentation.segment(assessed, month, config.atypie());
        // Exclusions by theme and action (contact store, history, last month's procedure states): the ladder can be climbed.
        // Expected effects: those measured on the region's own campaigns (OUT/evaluations) where there are some.
        TargetingSettings targetingSettings = MeasuredEffects.apply(config.targeting(),
                PublishedEvaluation.readAll(request.out().child(Publisher.EVALUATIONS)));
        Targeting.Result targeting = Targeting.target(segments, month, targetingSettings, ProcedureExclusion.of(
                ContactStore.read(ProcedureTracking.contactStore(request.work())).withHistory(history), history,
                ProcedureTracking.read(ProcedureTracking.stateFile(request.work(), month.minusMonths(1))),
                config.targeting().exclusionMonths()));
        List<MetricAssessment> ofMonth = assessed.stream().filter(a -> a.window().equals(month)).toList();
        // Positive feedback: prescribers back in the norm after a DAM visit or an EC made, then those always in it.
        List<PositiveFeedback.Entry> feedback = PositiveFeedback.entries(segments, ofMonth,
                feedbackContacts(ContactStore.read(ProcedureTracking.contactStore(request.work())).withHistory(history)),
                month, config.targeting().exclusionMonths());
        long improvedAfterContact = feedback.stream().filter(PositiveFeedback.Entry::improvedAfterContact).count();
        Typology.Result typology = Typology.fit(spark, ofMonth, config.atypie().metrics(), config.atypie().typology(),
                PublishedMonths.of(request.out(), month.minusMonths(1)).map(previous -> OutputTables.previousTypology(spark, previous,
                        Publisher.RESTRICTED + "/typology.parquet")).orElse(List.of()));
        stage.done(assessed.size(), segments.size(), segmentSummary(segments) + String.format(Locale.ROOT,
                "; %d on action lists, %d excluded by the campaign history; %d positive feedback (%d improved after a "
                        + "contact); %d profile types, silhouette %.3f",
                targeting.entries().size(), targeting.excluded().size(), feedback.size(), improvedAfterContact,
                typology.clusters().size(), typology.silhouette()));

        // 5. Publication: written into the release's staging folder, committed by the caller.
        SparkSessions.releaseDroppedShuffles();
        stage = progress.start("publish", "writing the month's tables, workbooks and report");
        List<PrescriberSegment> conforming = feedback.stream().map(PositiveFeedback.Entry::segment).toList();
        Publisher.Tables published = Publisher.hideSmallCells(new Publisher.Tables(
                OutputTables.indicators(spark, indicators, config.indicators(), flux),
                OutputTables.trend(spark, savings.points(), config.indicators()),
                OutputTables.scorecard(spark, scores), OutputTables.scores(spark, scores, previousRanks),
                OutputTables.segments(spark, segments, typology), OutputTables.metrics(spark, ofMonth),
                OutputTables.targeting(spark, targeting.entries(), conforming), OutputTables.typology(spark, typology)),
                release.smallCells(), complements);
        // Plausibility, second part, before anything of the month is written: totals against the
        // previous publication. A held month leaves the previous one as it was.
        Optional<Store> before = Plausibility.previous(request.out(), month);
        reasons.addAll(Plausibility.totals(Plausibility.of(published.indicators(), published.segments()),
                before.flatMap(p -> Plausibility.read(spark, p)), before.map(Store::name).orElse(""),
                plausibility));
        String checks = hold(month, reasons, request.force(), qualityDir);
        progress.note(checks.strip());
        Publisher.write(release, published, qualityDir, Publisher.readMe(config, month));
        release.text("quality/" + Plausibility.REPORT, checks);
        release.html(MonthlyReport.REPORT_FILE, MonthlyReport.build(config, month, published,
                MonthlyReport.TableCounts.of(ingested.qualityReport()), release.smallCells().hiddenLabel(),
                Publisher.evaluations(release, request.out())));
        ProcedureOutputs.Result p = ProcedureOutputs.run(spark, config, request.work(),
                events.get(EventTable.SICK_LEAVE_PERIODS), spells, windows, month, ofMonth, targeting.entries(), history, release);
        procedure.add(p);
        long establishments = EstablishmentOutputs.publish(spark, release, events, month, config.indicators().windowMonths());
        progress.note(String.format(Locale.ROOT, "establishment profiles (hospital prescriptions executed in town): %,d rows",
                establishments));
        // The profile sheets show the procedure states as published, and the series of their prescribers.
        Dataset<Row> states = spark.read().parquet(release.sparkLocation(Publisher.RESTRICTED + "/"
                + ProcedureOutputs.STATE_TABLE + ".parquet"));
        long seriesStart = System.nanoTime();
        Dataset<Row> series = PrescriberReports.trend(spark, config, month, windows.firstCareMonthNeeded(), contributions,
                published.metrics(), published.targeting(), release.smallCells());
        progress.note(String.format(Locale.ROOT, "profile sheets' series: %,d rows in %.1f s", series.count(),
                (System.nanoTime() - seriesStart) / 1e9));
        PrescriberReports.write(release, config, month, published, history, series, states);
        progress.note(String.format(Locale.ROOT, "procedure (art. L162-1-15): %d prescribers meet the legal criterion, %d "
                        + "followed, %d changed step; trend atypie: %d flagged%s; %d insured reaching day %s (medical service: %s)",
                p.met(), p.concerned(), p.changed(), p.trendFlagged(), p.note().isEmpty() ? "" : " (" + p.note() + ")",
                p.longLeave(), config.procedure().longSickLeaveDays(), request.work().child(month.toString()).child("medical-service").shown()));
        stage.done(0, 0, "staged in " + release.staging());
        spells.unpersist();
        population.unpersist();
        contributions.unpersist();
        return new Outcome(month, request.out().child(month.toString()), indicators, segments, targeting, plan);
    }

    /** The contact store's DAM visits and EC made (outcome DONE), for the positive feedback after a contact. */
    static List<PositiveFeedback.Contacted> feedbackContacts(ContactStore store) {
        List<PositiveFeedback.Contacted> out = new ArrayList<>();
        for (fr.atypie.procedure.Contact c : store.contacts()) {
            if (c.outcome() == fr.atypie.procedure.Contact.Outcome.DONE) {
                switch (c.action()) {
                    case DAM -> out.add(new PositiveFeedback.Contacted(c.prescriber(), c.theme(), PositiveFeedback.Kind.DAM, c.month()));
                    case EC -> out.add(new PositiveFeedback.Contacted(c.prescriber(), c.theme(), PositiveFeedback.Kind.EC, c.month()));
                    default -> { }
                }
            }
        }
        return out;
    }

    /** Writes the plausibility report; throws {@link ImplausibleMonth} when a check failed, unless forced. */
    private static String hold(YearMonth month, List<String> reasons, boolean force, Store qualityDir) throws IOException {
        String checks = Plausibility.report(month, reasons, force);
        qualityDir.writeText(Plausibility.REPORT, checks);
        if (!reasons.isEmpty() && !force) {
            throw new ImplausibleMonth(reasons, " (report: " + qualityDir.child(Plausibility.REPORT).shown() + ")");
        }
        return checks;
    }

    /**
     * Windows from the first complete one to the refresh month. The extract covers care from its
     * first flux month: earlier care months hold only the lines of a few late arrivals.
     */
    static Windows windows(Map<EventTable, Dataset<Row>> events, YearMonth month, int length) {
        YearMonth firstCare = null;
        for (Dataset<Row> e : events.values()) {
            Row r = e.agg(min(col(FLUX_MONTH))).first();
            if (!r.isNullAt(0)) {
                YearMonth m = YearMonth.from(((Date) r.get(0)).toLocalDate());
                firstCare = firstCare == null || m.isBefore(firstCare) ? m : firstCare;
            }
        }
        if (firstCare == null) {
            throw new InputError("the extract holds no event (consultation, sick leave, drug or transport): nothing to compute");
        }
        YearMonth firstWindow = firstCare.plusMonths(length - 1L);
        if (month.isBefore(firstWindow)) {
            throw new InputError("the extract starts in flux month " + firstCare + ": the first complete " + length
                    + "-month window ends in " + firstWindow + ", after the refresh month " + month);
        }
        return new Windows(firstWindow, month, length);
    }

    private static String segmentSummary(List<PrescriberSegment> segments) {
        Map<Segment, Integer> counts = new EnumMap<>(Segment.class);
        segments.forEach(s -> counts.merge(s.segment(), 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        for (Segment s : Segment.values()) {
            int n = counts.getOrDefault(s, 0);
            b.append(b.length() == 0 ? "" : ", ").append(s.name().toLowerCase(Locale.ROOT)).append(' ').append(n)
                    .append(String.format(Locale.ROOT, " (%.1f %%)", segments.isEmpty() ? 0.0 : 100.0 * n / segments.size()));
        }
        return b.toString();
    }

}
