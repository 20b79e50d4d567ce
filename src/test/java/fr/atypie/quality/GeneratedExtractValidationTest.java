package fr.atypie.quality;

import static fr.atypie.quality.QuarantineRule.*;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTF;
import static fr.atypie.snds.SndsColumns.JOIN_KEYS;
import static fr.atypie.snds.SndsColumns.PRS_NAT_REF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.Columns;
import fr.atypie.spark.ScalaSeqs;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.synth.GenerationSummary;
import fr.atypie.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

    @Test
    void cleanExtractQuarantinesNothingAndYieldsEveryEventTable() {
        SparkSession spark = SharedSpark.get();
        IngestionResult r = Ingestion.run(spark, new ExtractLayout(generated.extract()), config);
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
        YearMonth from = YearMonth.of(2023, 3);
        ExtractLayout layout = new ExtractLayout(generated.extract());
        IngestionResult r = Ingestion.run(spark, layout, config, Optional.of(from));

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

        IngestionResult full = Ingestion.run(spark, layout, config);
        IngestionResult incremental = Ingestion.run(spark, layout, config, Optional.of(from));
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
        Path faulty = dir.resolve("faulty");
        FaultInjector.inject(spark, generated.extract(), FAULTS, faulty);
        ValidatedExtract v = Ingestion.validate(spark, new ExtractLayout(faulty), config, FluxSelection.ALL,
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

    private static Map<QuarantineRule, Long> counts(TableQuality t) {
        Map<QuarantineRule, Long> m = new java.util.EnumMap<>(QuarantineRule.class);
        t.rules().forEach(r -> m.put(r.rule(), r.rows()));
        return m;
    }
}
