package fr.atypie.quality;

import static fr.atypie.quality.QuarantineRule.*;
import static fr.atypie.snds.SndsColumns.BEN_NIR_PSA;
import static fr.atypie.snds.SndsColumns.BEN_RNG_GEM;
import static fr.atypie.snds.SndsColumns.DCT_ORD_NUM;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.FLX_DIS_DTD;
import static fr.atypie.snds.SndsColumns.PATIENT_KEY;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTF;
import static fr.atypie.snds.SndsColumns.JOIN_KEYS;
import static fr.atypie.snds.SndsColumns.PRS_NAT_REF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static fr.atypie.testing.StoredLineMonths.generations;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.IngestionResult;
import fr.atypie.fs.Store;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.Columns;
import fr.atypie.spark.ScalaSeqs;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.synth.GenerationSummary;
import fr.atypie.testing.RowDigest;
import fr.atypie.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.time.YearMonth;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * End to end: a small generated extract validates clean; with known faults planted, validation
 * quarantines exactly those rows under the right rules and nothing else.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
class GeneratedExtractValidationTest {
    @TempDir
    static Path dir;
    private static AtypieConfig config;
    private static GenerationSummary generated;
    private static final FaultInjector.Faults FAULTS = new FaultInjector.Faults(3, 2, 4, 1, 2, 5);

    @BeforeAll
    static void generate() {
        config = ConfigLoader.load(Optional.empty(), Map.of(
                "atypie.synth.scale", "0.0005", "atypie.synth.months", "4", "atypie.synth.campaign.enabled", "false"));
        generated = ExtractGenerator.generate(config.synth(), dir.resolve("gen"));
    }

    private static IngestionResult fullRun;
    private static IngestionResult incrementalRun;
    private static final YearMonth INCREMENTAL_FROM = YearMonth.of(2023, 3);

    /** The clean extract read whole, once for the tests that read it; its events computed once. */
    private static synchronized IngestionResult fullRun() {
        if (fullRun == null) {
            fullRun = settled(Ingestion.run(SharedSpark.get(), new ExtractLayout(generated.extract()), config));
        }
        return fullRun;
    }

    /** The clean extract's care months from {@link #INCREMENTAL_FROM} (flux months 2023-03 and 2023-04), once. */
    private static synchronized IngestionResult incrementalRun() {
        if (incrementalRun == null) {
            incrementalRun = settled(Ingestion.run(SharedSpark.get(), new ExtractLayout(generated.extract()), config,
                    Optional.of(INCREMENTAL_FROM)));
        }
        return incrementalRun;
    }

    @Test
    void cleanExtractQuarantinesNothingAndYieldsEveryEventTable() {
        IngestionResult r = fullRun();
        QualityReport report = r.qualityReport();
        System.out.print(QualityReportFormat.text(report, "generated extract"));
        for (SndsTable t : SndsTable.values()) {
            assertEquals(generated.rows(t), report.table(t).rowsIn(), t + " rows read");
            assertEquals(0, report.table(t).quarantined(), t + ": " + report.table(t).rules());
        }
        for (EventTable e : EventTable.values()) {
            assertEquals(e.schema(), r.events(e).schema(), e + " schema");
            assertTrue(r.events(e).count() > 0, e + " is empty");
        }
    }

    /**
     * An incremental read (care months from 2023-03, so flux months 2023-03 and 2023-04): the late
     * lines of older care and their drug lines are passed over, and counted: rows read = rows
     * validated + rows passed over, the expectation computed here from the flux files directly.
     */
    @Test
    void anIncrementalReadPassesOverTheLinesOfOlderCareAndCountsThem() {
        SparkSession spark = SharedSpark.get();
        YearMonth from = INCREMENTAL_FROM;
        ExtractLayout layout = new ExtractLayout(generated.extract());
        IngestionResult r = incrementalRun();

        FluxSelection flux = new FluxSelection(Optional.of(from), Optional.empty());
        Dataset<Row> prs = new ExtractReader(spark, layout).read(SndsTable.ER_PRS_F, flux);
        Dataset<Row> pha = new ExtractReader(spark, layout).read(SndsTable.ER_PHA_F, flux);
        Dataset<Row> olderPrs = prs.where(col(EXE_SOI_DTD).lt(lit(java.sql.Date.valueOf(from.atDay(1)))));
        long olderPha = pha.join(olderPrs.select(Columns.named(JOIN_KEYS)), ScalaSeqs.of(JOIN_KEYS), "left_semi").count();
        assertTrue(olderPrs.count() > 0 && olderPha > 0, "the generated late lines reach back before " + from);
        assertEquals(Map.of(SndsTable.ER_PRS_F, olderPrs.count(), SndsTable.ER_PHA_F, olderPha), r.passedOver());
        assertEquals(prs.count() - olderPrs.count(), r.qualityReport().table(SndsTable.ER_PRS_F).rowsIn());
        assertEquals(pha.count() - olderPha, r.qualityReport().table(SndsTable.ER_PHA_F).rowsIn());
        assertEquals(0, r.qualityReport().table(SndsTable.ER_PRS_F).quarantined());
        assertEquals(0, r.qualityReport().table(SndsTable.ER_PHA_F).quarantined());
    }

    /**
     * A copy of a consultation of later care, dated before the first care month read but under the
     * same 9 keys: a full read keeps the copy (the first of the key by all columns, its care date
     * the earlier) and quarantines the later line as a duplicate. An incremental read must validate
     * both: passing the copy over would keep the later line, and its event, which the full read has not.
     */
    @Test
    void anIncrementalReadValidatesTheOlderLinesThatShareTheir9KeysWithLaterCare() {
        SparkSession spark = SharedSpark.get();
        YearMonth from = YearMonth.of(2023, 3);
        Date before = Date.valueOf(from.minusMonths(1).atDay(15));
        Map<SndsTable, Dataset<Row>> t = new EnumMap<>(new ExtractReader(spark, new ExtractLayout(generated.extract()))
                .readAll(FluxSelection.ALL));
        Dataset<Row> prs = t.get(SndsTable.ER_PRS_F).select(Columns.named(SndsTable.ER_PRS_F.columnNames()));
        Dataset<Row> later = prs.filter(col(PRS_NAT_REF).isin(SndsFixture.codes().consultations().toArray())
                        .and(col(EXE_SOI_DTD).geq(lit(Date.valueOf(from.atDay(1))))))
                .orderBy(Columns.named(JOIN_KEYS)).limit(1);
        t.put(SndsTable.ER_PRS_F, prs.unionByName(later.withColumn(EXE_SOI_DTD, lit(before))
                .withColumn(EXE_SOI_DTF, lit(before))));
        Path shared = dir.resolve("shared-key");
        SndsFixture.write(t, shared);
        ExtractLayout layout = new ExtractLayout(shared);

        IngestionResult full = settled(Ingestion.run(spark, layout, config));
        IngestionResult incremental = settled(Ingestion.run(spark, layout, config, Optional.of(from)));
        assertEquals(Map.of(DUPLICATE_KEY, 1L), counts(full.qualityReport().table(SndsTable.ER_PRS_F)));
        assertEquals(Map.of(DUPLICATE_KEY, 1L), counts(incremental.qualityReport().table(SndsTable.ER_PRS_F)),
                "the later line is a duplicate of the copy, validated with it");
        Column fromOn = col(EventColumns.CARE_MONTH).geq(lit(Date.valueOf(from.atDay(1))));
        for (EventTable e : EventTable.values()) {
            Dataset<Row> a = full.events(e).where(fromOn);
            Dataset<Row> b = incremental.events(e).where(fromOn);
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), e + ": events of care from " + from);
        }
    }

    @Test
    void plantedFaultsAreQuarantinedExactlyUnderTheirRules() {
        SparkSession spark = SharedSpark.get();
        ValidatedExtract v = Ingestion.validate(spark, new ExtractLayout(faultyExtract()), config, FluxSelection.ALL,
                Store.local(dir.resolve("faulty-lines")));
        QualityReport report = v.report();
        System.out.print(QualityReportFormat.text(report, "generated extract with planted faults"));

        TableQuality prs = report.table(SndsTable.ER_PRS_F);
        assertEquals(generated.rows(SndsTable.ER_PRS_F) + FAULTS.unmatchedRegularisations() + FAULTS.duplicateLines(),
                prs.rowsIn());
        assertEquals(Map.of(MISSING_PATIENT, 3L, CARE_AFTER_FLUX, 2L, UNMATCHED_REGULARISATION, 1L, DUPLICATE_KEY, 2L),
                counts(prs));
        TableQuality pha = report.table(SndsTable.ER_PHA_F);
        assertEquals(generated.rows(SndsTable.ER_PHA_F) + 4, pha.rowsIn());
        assertEquals(Map.of(ORPHAN_DRUG_LINE, 4L), counts(pha));
        assertEquals(Map.of(UNKNOWN_BENEFICIARY, 5L), counts(report.table(SndsTable.IR_IMB_R)));
        for (SndsTable t : new SndsTable[] {SndsTable.IR_BEN_R, SndsTable.DA_PRA_R, SndsTable.IR_PHA_R}) {
            assertEquals(0, report.table(t).quarantined(), t.name());
        }
        assertTrue(report.acceptable());
    }

    /**
     * Service lines kept by flux month between runs ({@link MonthLines}), on the extract with planted
     * faults: a beneficiary gone from IR_BEN_R has the months of their lines checked again, and those
     * only, and the run validates as a run without the store does (counts by rule, quarantine, events);
     * a full rebuild checks every month.
     */
    @Test
    void checkedServiceLinesAreKeptByFluxMonthAndGiveTheVerdictsOfAFullCheck() throws Exception {
        SparkSession spark = SharedSpark.get();
        Path faulty = dir.resolve("months-faulty");
        copyTree(faultyExtract(), faulty);   // IR_BEN_R changes below
        ExtractLayout layout = new ExtractLayout(faulty);
        Store lines = Store.local(dir.resolve("months-lines"));

        IngestionResult first = keepingMonths(layout, lines, false);
        Map<String, Integer> all = generations(lines, SndsTable.ER_PRS_F);
        assertEquals(4, all.size(), "the 4 flux months: " + all);
        assertEquals(Set.of(1), Set.copyOf(all.values()));
        assertEquals(all, generations(lines, SndsTable.ER_PHA_F), "drug lines kept by the same flux months");
        assertEquals(Map.of(MISSING_PATIENT, 3L, CARE_AFTER_FLUX, 2L, UNMATCHED_REGULARISATION, 1L, DUPLICATE_KEY, 2L),
                counts(first.qualityReport().table(SndsTable.ER_PRS_F)), "the planted faults");

        // A patient with lines in the latest flux month only, a drug dispensed among them, leaves IR_BEN_R;
        // the flux folders stay as they are.
        ExtractReader reader = new ExtractReader(spark, layout);
        Dataset<Row> prs = reader.read(SndsTable.ER_PRS_F, FluxSelection.ALL)
                .withColumn("flux", date_format(col(FLX_DIS_DTD), "yyyy-MM"));
        Dataset<Row> dispensed = prs.join(reader.read(SndsTable.ER_PHA_F, FluxSelection.ALL).select(Columns.named(JOIN_KEYS)),
                ScalaSeqs.of(JOIN_KEYS), "left_semi").select(Columns.named(PATIENT_KEY)).distinct();
        String latest = Collections.max(all.keySet());
        Row gone = prs.where(col(BEN_NIR_PSA).isNotNull()).groupBy(Columns.named(PATIENT_KEY))
                .agg(org.apache.spark.sql.functions.min(col("flux")).as("first"))
                .where(col("first").equalTo(latest)).join(dispensed, ScalaSeqs.of(PATIENT_KEY), "left_semi")
                .orderBy(Columns.named(PATIENT_KEY)).first();
        Column theirs = col(BEN_NIR_PSA).equalTo(gone.getString(0)).and(col(BEN_RNG_GEM).equalTo(gone.get(1)));
        assertEquals(List.of(latest), prs.where(theirs).select("flux").distinct().as(Encoders.STRING()).collectAsList());
        Path beneficiaries = layout.tableDir(SndsTable.IR_BEN_R);
        Dataset<Row> others = spark.read().parquet(beneficiaries.toString()).where(not(theirs)).localCheckpoint();
        others.write().mode(SaveMode.Overwrite).parquet(beneficiaries.toString());
        IngestionResult without = keepingMonths(layout, lines, false);
        assertSameValidation(Ingestion.run(spark, layout, config), without);
        assertTrue(counts(without.qualityReport().table(SndsTable.ER_PRS_F)).getOrDefault(UNKNOWN_BENEFICIARY, 0L) > 0,
                "their lines are quarantined");
        assertTrue(counts(without.qualityReport().table(SndsTable.ER_PHA_F)).getOrDefault(ORPHAN_DRUG_LINE, 0L) > 0,
                "so are their drug lines, whose service line is quarantined");
        Map<String, Integer> after = generations(lines, SndsTable.ER_PRS_F);
        Map<String, Integer> drugsAfter = generations(lines, SndsTable.ER_PHA_F);
        for (String m : all.keySet()) {
            assertEquals(m.equals(latest) ? 2 : 1, after.get(m), m + ": only the month of their lines is checked again");
            assertEquals(m.equals(latest) ? 2 : 1, drugsAfter.get(m), m + ": and the drug lines of that month");
        }

        keepingMonths(layout, lines, true);
        assertEquals(Set.of(3), Set.copyOf(generations(lines, SndsTable.ER_PRS_F).values()), "a full rebuild checks every month");
        assertEquals(Set.of(3), Set.copyOf(generations(lines, SndsTable.ER_PHA_F).values()), "drug lines too");
    }

    /**
     * Drug lines kept by flux month, between incremental and full runs: an incremental run (care from
     * 2023-03) writes the months it reads, leaving out the drug lines of the service lines it passes
     * over; a full run cannot reuse them (lines are missing) and checks every month again; a later
     * incremental run reads them all back, passing over the drug lines of older service lines by the
     * care dates stored with them. Each run validates as the same run without the store does.
     */
    @Test
    void drugLinesKeptByFluxMonthServeIncrementalRunsAsAFreshCheckWould() throws Exception {
        SparkSession spark = SharedSpark.get();
        ExtractLayout layout = new ExtractLayout(generated.extract());
        Store lines = Store.local(dir.resolve("drug-months"));
        Optional<YearMonth> from = Optional.of(INCREMENTAL_FROM);
        IngestionResult incremental = incrementalRun();
        IngestionResult full = fullRun();
        assertTrue(incremental.passedOver().get(SndsTable.ER_PHA_F) > 0, "drug lines of older care are passed over");

        IngestionResult first = keepingMonths(layout, lines, from);
        assertSameValidation(incremental, first);
        assertEquals(incremental.passedOver(), first.passedOver());
        assertEquals(Map.of("2023-03", 1, "2023-04", 1), generations(lines, SndsTable.ER_PHA_F));

        assertSameValidation(full, keepingMonths(layout, lines, Optional.empty()));
        assertEquals(Map.of("2023-01", 2, "2023-02", 2, "2023-03", 2, "2023-04", 2), generations(lines, SndsTable.ER_PHA_F),
                "the months an incremental run wrote lack the drug lines it passed over: checked again");

        IngestionResult again = keepingMonths(layout, lines, from);
        assertSameValidation(incremental, again);
        assertEquals(incremental.passedOver(), again.passedOver());
        assertEquals(Map.of("2023-01", 2, "2023-02", 2, "2023-03", 2, "2023-04", 2), generations(lines, SndsTable.ER_PHA_F),
                "every month read back");
    }

    /**
     * A hand-built extract whose flux folder of 2024-03 also holds a service line and its drug line
     * dated 2024-02 (a damaged export): the reader quarantines both. A stored month holding such a
     * line does not hold every line of its flux date, so its drug lines are checked again on every
     * run while the clean month is read back; each run validates as the run without the store.
     */
    @Test
    void aFolderHoldingLinesOfAnotherFluxMonthHasItsDrugLinesCheckedEveryRun() throws Exception {
        SparkSession spark = SharedSpark.get();
        Date february = Date.valueOf("2024-02-01");
        Date january = Date.valueOf("2024-01-20");
        SndsFixture dispensing = SndsFixture.prs().with(PRS_NAT_REF, 3313).with(SndsColumns.PFS_EXE_NUM, "PH1");
        SndsFixture cleanFebruary = dispensing.keys(3).flux("2024-02-01").with(EXE_SOI_DTD, january).with(EXE_SOI_DTF, january);
        SndsFixture stray = cleanFebruary.keys(2).flux("2024-02-01");
        Map<SndsTable, Dataset<Row>> t = new EnumMap<>(SndsFixture.extract(dispensing.keys(1), SndsFixture.pha(1),
                cleanFebruary, SndsFixture.pha(3).flux("2024-02-01"), stray, SndsFixture.pha(2).flux("2024-02-01")));
        Path root = dir.resolve("strays");
        // Every line in the folder of its flux date, but for DCT_ORD_NUM 2 (flux 2024-02), in the folder of 2024-03.
        for (SndsTable flux : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            Column folder = org.apache.spark.sql.functions.when(col(DCT_ORD_NUM).equalTo(2), lit("2024-03"))
                    .otherwise(date_format(col(FLX_DIS_DTD), "yyyy-MM"));
            t.remove(flux).withColumn(ExtractLayout.FLUX_PARTITION, folder).write().mode(SaveMode.Overwrite)
                    .partitionBy(ExtractLayout.FLUX_PARTITION).parquet(new ExtractLayout(root).tableDir(flux).toString());
        }
        SndsFixture.write(t, root);
        ExtractLayout layout = new ExtractLayout(root);
        IngestionResult fresh = settled(Ingestion.run(spark, layout, config));
        assertEquals(Map.of(FLUX_DATE_MISMATCH, 1L), counts(fresh.qualityReport().table(SndsTable.ER_PRS_F)));
        assertEquals(1, fresh.qualityReport().table(SndsTable.ER_PHA_F).quarantined());
        assertEquals(2, fresh.qualityReport().table(SndsTable.ER_PHA_F).kept());

        Store lines = Store.local(dir.resolve("strays-lines"));
        assertSameValidation(fresh, keepingMonths(layout, lines, false));
        assertEquals(Map.of("2024-02", 1, "2024-03", 1), generations(lines, SndsTable.ER_PHA_F));
        assertSameValidation(fresh, keepingMonths(layout, lines, false));
        assertEquals(Map.of("2024-02", 1, "2024-03", 1), generations(lines, SndsTable.ER_PRS_F), "service lines read back");
        assertEquals(Map.of("2024-02", 1, "2024-03", 2), generations(lines, SndsTable.ER_PHA_F), "the folder's drug lines checked again");
    }

    private static Path faulty;

    /** The generated extract with {@link #FAULTS} planted, made once for the tests that read it. */
    private static synchronized Path faultyExtract() {
        if (faulty == null) {
            faulty = dir.resolve("faulty");
            FaultInjector.inject(SharedSpark.get(), generated.extract(), FAULTS, faulty);
        }
        return faulty;
    }

    /** Copies a folder, files keeping their modification times (the flux folders' fingerprints). */
    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(from)) {
            for (Path p : walk.toList()) {
                java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static IngestionResult keepingMonths(ExtractLayout layout, Store lines, boolean checkAll) {
        return Ingestion.run(SharedSpark.get(), layout, config, Optional.empty(), Optional.empty(), Optional.of(lines),
                Optional.of("test settings"), checkAll);
    }

    private static IngestionResult keepingMonths(ExtractLayout layout, Store lines, Optional<YearMonth> careFrom) {
        return Ingestion.run(SharedSpark.get(), layout, config, careFrom, Optional.empty(), Optional.of(lines),
                Optional.of("test settings"), false);
    }

    /**
     * The run with its events computed once (localCheckpoint): each comparison of a lazy event table
     * would run ingestion's plan again, on both sides.
     */
    private static IngestionResult settled(IngestionResult r) {
        Map<EventTable, Dataset<Row>> events = new EnumMap<>(EventTable.class);
        r.events().forEach((t, e) -> events.put(t, e.localCheckpoint()));
        return new IngestionResult(events, r.validation(), r.fluxWindow(), r.passedOver());
    }

    /**
     * The same counts by rule, quarantined lines and events: each table read once per run
     * ({@link RowDigest}), so neither run's lazy tables need computing ahead.
     */
    private static void assertSameValidation(IngestionResult expected, IngestionResult actual) {
        for (SndsTable t : SndsTable.values()) {
            TableQuality e = expected.qualityReport().table(t);
            TableQuality a = actual.qualityReport().table(t);
            assertEquals(List.of(e.rowsIn(), e.kept(), counts(e)), List.of(a.rowsIn(), a.kept(), counts(a)), t.name());
        }
        for (SndsTable t : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            assertEquals(RowDigest.of(expected.quarantine(t)), RowDigest.of(actual.quarantine(t)), t + " quarantine");
        }
        for (EventTable t : EventTable.values()) {
            assertEquals(RowDigest.of(expected.events(t)), RowDigest.of(actual.events(t)), t + " events");
        }
    }

    private static Map<QuarantineRule, Long> counts(TableQuality t) {
        Map<QuarantineRule, Long> m = new java.util.EnumMap<>(QuarantineRule.class);
        t.rules().forEach(r -> m.put(r.rule(), r.rows()));
        return m;
    }
}
