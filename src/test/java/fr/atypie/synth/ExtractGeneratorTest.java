package fr.atypie.synth;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.ConfigLoader;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.PrestationCodes;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Generates one small extract (scale 0.003, 24 months: ~16 000 people) and checks it with real
 * Spark: schemas and layout, calibration within stated tolerances, planted mess and truth.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
class ExtractGeneratorTest {
    private static final fr.atypie.snds.CodeLists CODES = fr.atypie.config.ConfigLoader.defaults().dcir().codes();
    private static final double SCALE = 0.003;
    @TempDir
    static Path dir;
    static SynthConfig config;
    static GenerationSummary summary;
    static ExtractLayout layout;
    static SparkSession spark;
    static Dataset<Row> prs;
    static Dataset<Row> pha;

    @BeforeAll
    static void generate() {
        config = config(Map.of("atypie.synth.scale", Double.toString(SCALE), "atypie.synth.months", "24"));
        summary = ExtractGenerator.generate(config, dir.resolve("gen"));
        layout = new ExtractLayout(summary.extract());
        spark = SharedSpark.get();
        // Read the flux tables once: the checks below are many small queries on the same rows.
        prs = spark.read().parquet(layout.tableDir(SndsTable.ER_PRS_F).toString()).cache();
        pha = spark.read().parquet(layout.tableDir(SndsTable.ER_PHA_F).toString()).cache();
        prs.count();
        pha.count();
    }

    @org.junit.jupiter.api.AfterAll
    static void release() {
        prs.unpersist();
        pha.unpersist();
    }

    static SynthConfig config(Map<String, String> overrides) {
        return ConfigLoader.load(Optional.empty(), overrides).synth();
    }

    static Dataset<Row> read(SndsTable t) {
        if (t == SndsTable.ER_PRS_F) {
            return prs;
        }
        if (t == SndsTable.ER_PHA_F) {
            return pha;
        }
        return spark.read().parquet(layout.tableDir(t).toString());
    }

    // ---------------------------------------------------------------- schema and layout

    @Test
    void everyTableHasTheSndsSchemaAndTheLayoutOfExtractLayout() throws IOException {
        for (SndsTable t : SndsTable.values()) {
            StructType actual = read(t).schema();
            for (StructField f : t.schema().fields()) {
                StructField a = actual.apply(f.name());
                assertEquals(f.dataType(), a.dataType(), t + "." + f.name());
            }
            assertEquals(t.schema().size() + (t.partitionedByFlux() ? 1 : 0), actual.size(), t.toString());
            assertEquals(summary.rows(t), read(t).count(), t.toString());
        }
        // Flux tables: one folder per flux month of the window, part files named by department rank.
        List<String> months = new ArrayList<>();
        try (Stream<Path> s = Files.list(layout.tableDir(SndsTable.ER_PRS_F))) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(months::add);
        }
        assertEquals(24, months.size());
        assertEquals("flux_month=2023-01", months.get(0));
        assertEquals("flux_month=2024-12", months.get(23));
        assertTrue(Files.isRegularFile(layout.fluxDir(SndsTable.ER_PRS_F, YearMonth.of(2023, 6)).resolve("part-00000.parquet")));
        assertTrue(Files.isRegularFile(layout.fluxDir(SndsTable.ER_PHA_F, YearMonth.of(2023, 6)).resolve("part-00012.parquet")));
        assertTrue(Files.isRegularFile(layout.tableDir(SndsTable.IR_BEN_R).resolve("part-00012.parquet")));
        // FLX_DIS_DTD is the first day of the partition's month.
        assertEquals(0, read(SndsTable.ER_PRS_F)
                .filter(col(FLX_DIS_DTD).cast("string").substr(1, 7).notEqual(col(ExtractLayout.FLUX_PARTITION).cast("string"))
                        .or(org.apache.spark.sql.functions.dayofmonth(col(FLX_DIS_DTD)).notEqual(1))).count());
        // The truth is beside the extract, not in it.
        assertTrue(Files.isRegularFile(summary.truth().resolve("prescribers.csv")));
        assertFalse(Files.exists(summary.extract().resolve("truth")));
    }

    @Test
    void joinKeysIdentifyOneClaimAndEveryDrugLineHasItsClaim() {
        Dataset<Row> prs = read(SndsTable.ER_PRS_F);
        Column[] keys = JOIN_KEYS.stream().map(functionsCol()).toArray(Column[]::new);
        assertEquals(prs.count(), prs.select(keys).distinct().count());
        Dataset<Row> pha = read(SndsTable.ER_PHA_F);
        assertEquals(0, pha.join(prs, scala(JOIN_KEYS), "left_anti").count());
        // Drug lines have 1 to 4 lines per claim and real CIP13 shapes.
        long maxLines = pha.groupBy(keys).count().agg(org.apache.spark.sql.functions.max("count")).first().getLong(0);
        assertTrue(maxLines >= 2 && maxLines <= 4, "max drug lines " + maxLines);
        assertEquals(0, pha.join(read(SndsTable.IR_PHA_R).withColumnRenamed(PHA_CIP_C13, PHA_PRS_C13),
                scala(List.of(PHA_PRS_C13)), "left_anti").count());
    }

    // ---------------------------------------------------------------- calibration

    @Test
    void populationPerDepartmentIsTheProtectedPopulationTimesScale() {
        Map<String, Long> counts = new HashMap<>();
        for (Row r : read(SndsTable.IR_BEN_R).groupBy(BEN_RES_DPT).count().collectAsList()) {
            counts.put(r.getString(0), r.getLong(1));
        }
        for (SynthConfig.Department d : config.departments()) {
            assertEquals(Math.round(d.population() * SCALE), counts.get(d.residenceCode()), d.name());
        }
        // Patient keys (NIR, rank) unique, NIRs of 17 characters; twins share a NIR with rank 2.
        Dataset<Row> ben = read(SndsTable.IR_BEN_R);
        assertEquals(ben.count(), ben.select(BEN_NIR_PSA, BEN_RNG_GEM).distinct().count());
        Dataset<Row> twins = ben.filter(col(BEN_RNG_GEM).equalTo(2));
        assertTrue(twins.count() > 0, "twins");
        assertEquals(twins.count(), twins.select(BEN_NIR_PSA).join(ben.filter(col(BEN_RNG_GEM).equalTo(1)), BEN_NIR_PSA).count());
        assertEquals(0, ben.filter(org.apache.spark.sql.functions.length(col(BEN_NIR_PSA)).notEqual(17)).count());
    }

    @Test
    void aldPrevalenceIsAboutSeventeenPercentAndRisesWithAge() {
        Dataset<Row> ben = read(SndsTable.IR_BEN_R).withColumn("age", lit(2023).minus(col(BEN_NAI_ANN).cast("int")));
        Dataset<Row> ald = read(SndsTable.IR_IMB_R).select(BEN_NIR_PSA).distinct().withColumn("ald", lit(1));
        Dataset<Row> j = ben.join(ald, scala(List.of(BEN_NIR_PSA)), "left").na().fill(0, new String[] {"ald"});
        double all = j.agg(org.apache.spark.sql.functions.avg("ald")).first().getDouble(0);
        double young = j.filter(col("age").lt(45)).agg(org.apache.spark.sql.functions.avg("ald")).first().getDouble(0);
        double old = j.filter(col("age").geq(75)).agg(org.apache.spark.sql.functions.avg("ald")).first().getDouble(0);
        System.out.printf("calibration: ALD prevalence %.4f%n", all);
        assertTrue(all > 0.14 && all < 0.20, "ALD prevalence " + all);
        assertTrue(old > 5 * young, "ALD " + young + " under 45 vs " + old + " from 75");
    }

    /** Sick leave over the half-year 2023-07..2023-12 (complete: 12 flux months after it). */
    @Test
    void sickLeaveMatchesThePublishedOrdersOfMagnitude() {
        LocalDate from = LocalDate.of(2023, 7, 1), to = LocalDate.of(2023, 12, 31);
        Dataset<Row> ij = sickLeave();
        // Paid days inside the half-year per patient, netting regularisations (count on one line only).
        Column overlap = org.apache.spark.sql.functions.datediff(
                org.apache.spark.sql.functions.least(col(EXE_SOI_DTF), lit(java.sql.Date.valueOf(to))),
                org.apache.spark.sql.functions.greatest(col(EXE_SOI_DTD), lit(java.sql.Date.valueOf(from)))).plus(1);
        Dataset<Row> days = ij.filter(overlap.gt(0))
                .withColumn("d", col(PRS_ACT_NBR).multiply(overlap)
                        .divide(org.apache.spark.sql.functions.datediff(col(EXE_SOI_DTF), col(EXE_SOI_DTD)).plus(1)))
                .groupBy(BEN_NIR_PSA).agg(org.apache.spark.sql.functions.sum("d").as("days"))
                .filter(col("days").gt(0.5));
        long workingAge = read(SndsTable.IR_BEN_R)
                .filter(lit(2023).minus(col(BEN_NAI_ANN).cast("int")).between(16, 64)).count();
        long withIj = days.count();
        double share = withIj / (double) workingAge;
        double perPatient = days.agg(org.apache.spark.sql.functions.avg("days")).first().getDouble(0);
        System.out.printf("calibration: share with IJ %.4f, IJ days per patient with IJ %.2f%n", share, perPatient);
        assertTrue(share > 0.12 && share < 0.18, "share of working-age patients with IJ " + share);
        assertTrue(perPatient > 25 && perPatient < 40, "IJ days per patient with IJ " + perPatient);

        // Spells: consecutive or overlapping paid periods (gap up to 3 days), started in 2023 H1.
        List<int[]> spells = spells(ij);
        int start = (int) LocalDate.of(2023, 1, 4).toEpochDay(), end = (int) LocalDate.of(2023, 6, 30).toEpochDay();
        List<Integer> durations = spells.stream().filter(s -> s[0] >= start && s[0] <= end).map(s -> s[1] - s[0] + 1).toList();
        double mean = durations.stream().mapToInt(Integer::intValue).average().orElseThrow();
        System.out.printf("calibration: mean spell %.1f days over %d spells%n", mean, durations.size());
        assertTrue(mean > 30 && mean < 50, "mean spell duration " + mean + " over " + durations.size());
        assertTrue(durations.stream().anyMatch(d -> d > 180), "spells beyond 180 days exist");
        long at60 = durations.stream().filter(d -> d > 60).count();
        long backBy160 = durations.stream().filter(d -> d > 60 && d <= 160).count();
        double back = backBy160 / (double) at60;
        System.out.printf("calibration: back by day 160 among on leave at day 60 %.3f%n", back);
        assertTrue(back > 0.45 && back < 0.72, "back by day 160 among on leave at day 60: " + back + " of " + at60);
    }

    /** Positive IJ lines of sickness and work-accident risks (maternity excluded). */
    private static Dataset<Row> sickLeave() {
        return read(SndsTable.ER_PRS_F)
                .filter(col(PRS_NAT_REF).isin(CODES.sickLeaveIj().toArray()))
                .filter(col(RGO_ASU_NAT).isin(PrestationCodes.ASU_SICKNESS, PrestationCodes.ASU_WORK_ACCIDENT));
    }

    private static List<int[]> spells(Dataset<Row> ij) {
        List<Row> rows = ij.filter(col(PRS_ACT_NBR).gt(0))
                .select(col(BEN_NIR_PSA), col(EXE_SOI_DTD), col(EXE_SOI_DTF)).distinct()
                .orderBy(BEN_NIR_PSA, EXE_SOI_DTD, EXE_SOI_DTF).collectAsList();
        List<int[]> out = new ArrayList<>();
        String who = null;
        int s = 0, e = 0;
        for (Row r : rows) {
            int a = (int) r.getDate(1).toLocalDate().toEpochDay(), b = (int) r.getDate(2).toLocalDate().toEpochDay();
            if (r.getString(0).equals(who) && a <= e + 4) {
                e = Math.max(e, b);
            } else {
                if (who != null) {
                    out.add(new int[] {s, e});
                }
                who = r.getString(0);
                s = a;
                e = b;
            }
        }
        if (who != null) {
            out.add(new int[] {s, e});
        }
        return out;
    }

    @Test
    void genericShareWithinGroupsIsNearEightyFourPercent() {
        Dataset<Row> drugs = read(SndsTable.IR_PHA_R).withColumnRenamed(PHA_CIP_C13, PHA_PRS_C13);
        Row r = read(SndsTable.ER_PHA_F).join(drugs, PHA_PRS_C13).filter(col(PHA_GEN_TYP).isin(1, 2))
                .agg(org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(col(PHA_GEN_TYP).equalTo(2),
                                col(PHA_ACT_QSN)).otherwise(0)),
                        org.apache.spark.sql.functions.sum(col(PHA_ACT_QSN))).first();
        double share = r.getLong(0) / (double) r.getLong(1);
        System.out.printf("calibration: generic share %.4f%n", share);
        assertTrue(share > 0.80 && share < 0.87, "generic share " + share);
        // Real ATC codes of the themes are present.
        List<String> atc = read(SndsTable.IR_PHA_R).select(PHA_ATC_C07).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertTrue(atc.containsAll(List.of("J01CA04", "N05BA01", "N05BA08", "N05BA11", "C10AA05", "A10BA02", "A02BC01", "N02BE01")));
    }

    @Test
    void antibioticsAreAboutOnePerPersonYearAndMoreInWinter() {
        Dataset<Row> drugs = read(SndsTable.IR_PHA_R).withColumnRenamed(PHA_CIP_C13, PHA_PRS_C13);
        Dataset<Row> abx = read(SndsTable.ER_PHA_F).join(drugs, PHA_PRS_C13).filter(col(PHA_ATC_C07).startsWith("J01"))
                .filter(col(PHA_ACT_QSN).gt(0)).join(read(SndsTable.ER_PRS_F), scala(JOIN_KEYS))
                .filter(year(col(EXE_SOI_DTD)).equalTo(2023));
        long claims = abx.select(JOIN_KEYS.stream().map(functionsCol()).toArray(Column[]::new)).distinct().count();
        double perPersonYear = claims / (double) summary.beneficiaries();
        System.out.printf("calibration: antibiotic claims per person-year %.3f%n", perPersonYear);
        assertTrue(perPersonYear > 0.6 && perPersonYear < 1.2, "antibiotic claims per person-year " + perPersonYear);
        long january = abx.filter(month(col(EXE_SOI_DTD)).equalTo(1)).count();
        long july = abx.filter(month(col(EXE_SOI_DTD)).equalTo(7)).count();
        assertTrue(january > 1.5 * july, "antibiotics January " + january + " vs July " + july);
    }

    // ---------------------------------------------------------------- mess

    @Test
    void lateFluxIsAboutTwentyPercentAndMostlyWithinSixMonths() {
        Dataset<Row> prs = read(SndsTable.ER_PRS_F).filter(col(PRS_ACT_QTE).gt(0))
                .filter(col(IJR_RVL_NAT).isNull())
                .filter(col(EXE_SOI_DTF).lt(lit(java.sql.Date.valueOf("2023-07-01"))))
                .filter(col(EXE_SOI_DTF).geq(lit(java.sql.Date.valueOf("2023-01-01"))))
                .withColumn("lag", org.apache.spark.sql.functions.months_between(col(FLX_DIS_DTD),
                        org.apache.spark.sql.functions.trunc(col(EXE_SOI_DTF), "month")).cast("int"));
        long all = prs.count();
        double same = prs.filter(col("lag").equalTo(0)).count() / (double) all;
        double withinSix = prs.filter(col("lag").leq(6)).count() / (double) all;
        System.out.printf("calibration: same-flux share %.4f, within 6 months %.4f%n", same, withinSix);
        assertTrue(same > 0.77 && same < 0.83, "same-flux share " + same);
        assertTrue(withinSix > 0.96 && withinSix < 0.995, "share within 6 months " + withinSix);
        assertEquals(0, prs.filter(col("lag").lt(0)).count());
    }

    @Test
    void everyRegularisationCancelsAnIdenticalLine() {
        Dataset<Row> prs = read(SndsTable.ER_PRS_F);
        // Identical apart from the keys and the signs (identifiers may be null: null-safe equality).
        List<String> same = List.of(BEN_NIR_PSA, PRS_NAT_REF, EXE_SOI_DTD, EXE_SOI_DTF, PFS_EXE_NUM, PFS_PRE_NUM,
                CPL_MAJ_TOP, RGO_ASU_NAT, "q", "n", "m");
        Dataset<Row> negative = prs.filter(col(PRS_ACT_QTE).lt(0)).withColumn("q", col(PRS_ACT_QTE).multiply(-1))
                .withColumn("n", col(PRS_ACT_NBR).multiply(-1)).withColumn("m", col(BSE_REM_MNT).multiply(-1));
        Dataset<Row> positive = prs.filter(col(PRS_ACT_QTE).gt(0)).withColumn("q", col(PRS_ACT_QTE))
                .withColumn("n", col(PRS_ACT_NBR)).withColumn("m", col(BSE_REM_MNT));
        long negatives = negative.count();
        double rate = negatives / (double) positive.count();
        assertTrue(rate > 0.01 && rate < 0.03, "regularisation rate " + rate);
        Column match = null;
        for (String c : same) {
            Column eq = negative.col(c).eqNullSafe(positive.col(c));
            match = match == null ? eq : match.and(eq);
        }
        assertEquals(0, negative.join(positive, match, "left_anti").count(), "negative lines without their original");
        // Their drug lines are negative too, and only theirs.
        Dataset<Row> pha = read(SndsTable.ER_PHA_F).join(prs.select(scala(JOIN_KEYS, PRS_ACT_QTE)), scala(JOIN_KEYS));
        assertEquals(0, pha.filter(col(PHA_ACT_QSN).lt(0).notEqual(col(PRS_ACT_QTE).lt(0))).count());
        assertTrue(pha.filter(col(PHA_ACT_QSN).lt(0)).count() > 0);
    }

    @Test
    void duplicatesAndRevaluationsCarryACountOfZero() {
        Dataset<Row> ij = sickLeave().filter(col(PRS_ACT_QTE).gt(0));
        Dataset<Row> zero = ij.filter(col(PRS_ACT_NBR).equalTo(0));
        Dataset<Row> counted = ij.filter(col(PRS_ACT_NBR).gt(0)).select(BEN_NIR_PSA, EXE_SOI_DTD, EXE_SOI_DTF).distinct();
        assertTrue(zero.filter(col(IJR_RVL_NAT).isNull()).count() > 0, "multi-employer duplicates");
        assertTrue(zero.filter(col(IJR_RVL_NAT).isNotNull()).count() > 0, "revaluation lines");
        assertEquals(0, ij.filter(col(IJR_RVL_NAT).isNotNull()).filter(col(PRS_ACT_NBR).notEqual(0)).count());
        // Every line with count 0 has a counted twin for the same person and period (arrived or not yet).
        double twinned = zero.join(counted, scala(List.of(BEN_NIR_PSA, EXE_SOI_DTD, EXE_SOI_DTF)), "left_semi").count()
                / (double) zero.count();
        assertTrue(twinned > 0.95, "zero-count lines with a counted twin " + twinned);
        Dataset<Row> prs = read(SndsTable.ER_PRS_F);
        assertTrue(prs.filter(col(DPN_QLF).equalTo(PrestationCodes.INFORMATION_ONLY)).count() > 0);
        assertTrue(prs.filter(col(CPL_MAJ_TOP).equalTo(PrestationCodes.MAJORATION)).count() > 0);
        assertTrue(prs.filter(col(RGO_ASU_NAT).equalTo(PrestationCodes.ASU_MATERNITY))
                .filter(col(PRS_NAT_REF).isin(CODES.maternityIj().toArray())).count() > 0);
        assertTrue(prs.filter(col(ETB_PRE_FIN).isNotNull()).filter(col(PRS_NAT_REF).isin(CODES.pharmacy().toArray()))
                .count() > 0, "hospital prescriptions dispensed in town");
        assertTrue(prs.filter(col(PRS_NAT_REF).isin(CODES.transports().toArray())).count() > 0);
    }

    // ---------------------------------------------------------------- planted truth

    @Test
    void tierCountsMatchTheConfiguredSharesAndCampaignGpsExist() throws IOException {
        List<String[]> truth = csv(summary.truth().resolve("prescribers.csv"));
        int n = truth.size();
        Dataset<Row> pra = read(SndsTable.DA_PRA_R);
        assertEquals(n, pra.filter(col(PFS_PRA_SPE).isin("1", "22", "23")).count());
        Map<String, Integer> tiers = new HashMap<>();
        for (String[] r : truth) {
            tiers.merge(r[4], 1, Integer::sum);
        }
        SynthConfig.Truth t = config.truth();
        assertEquals(Math.round(t.strongShare() * n), tiers.getOrDefault("strong", 0).longValue());
        assertEquals(Math.round(t.moderateShare() * n), tiers.getOrDefault("moderate", 0).longValue());
        assertEquals(Math.round(t.casemixShare() * n), tiers.getOrDefault("casemix", 0).longValue());
        assertEquals(Math.round(t.smallShare() * n), tiers.getOrDefault("small", 0).longValue());
        // Practice sizes add up to the population.
        assertEquals(summary.beneficiaries(), truth.stream().mapToLong(r -> Long.parseLong(r[3])).sum());
        List<String> ids = pra.select(PFS_PFS_NUM).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        List<String[]> campaign = csv(summary.truth().resolve("campaign.csv"));
        for (String[] c : campaign) {
            assertTrue(ids.contains(c[0]), c[0]);
            assertEquals("2024-01", c[3]);
        }
        assertEquals(summary.campaignContacts(), campaign.size());
    }

    /** A run with many strongly atypical GPs: their raw IJ days per patient stand out. */
    @Test
    void stronglyAtypicalGpsPrescribeMoreSickLeavePerPatient() throws IOException {
        SynthConfig c = config(Map.of("atypie.synth.scale", "0.002", "atypie.synth.months", "12",
                "atypie.synth.truth.strong-share", "0.25", "atypie.synth.truth.strong-min", "2.5",
                "atypie.synth.truth.strong-max", "3.0", "atypie.synth.campaign.enabled", "false"));
        GenerationSummary s = ExtractGenerator.generate(c, dir.resolve("strong"));
        Dataset<Row> ij = spark.read().parquet(new ExtractLayout(s.extract()).tableDir(SndsTable.ER_PRS_F).toString())
                .filter(col(PRS_NAT_REF).isin(CODES.sickLeaveIj().toArray()))
                .groupBy(PFS_PRE_NUM).agg(org.apache.spark.sql.functions.sum(PRS_ACT_NBR).as("days"));
        Map<String, Double> days = new HashMap<>();
        for (Row r : ij.collectAsList()) {
            days.put(r.getString(0), r.getDouble(1));
        }
        double strong = 0, normal = 0;
        int ns = 0, nn = 0;
        for (String[] r : csv(s.truth().resolve("prescribers.csv"))) {
            double perPatient = days.getOrDefault(r[0], 0.0) / Double.parseDouble(r[3]);
            if (r[4].equals("strong")) {
                strong += perPatient;
                ns++;
            } else if (r[4].equals("normal")) {
                normal += perPatient;
                nn++;
            }
        }
        assertTrue(ns >= 3 && nn >= 3, ns + " strong, " + nn + " normal");
        assertTrue(strong / ns > 1.8 * (normal / nn), "strong " + strong / ns + " vs normal " + normal / nn);
        assertFalse(Files.exists(s.truth().resolve("campaign.csv")) && csv(s.truth().resolve("campaign.csv")).size() > 0);
    }

    // ---------------------------------------------------------------- determinism

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws IOException {
        Map<String, String> small = Map.of("atypie.synth.scale", "0.001", "atypie.synth.months", "6");
        SynthConfig c = config(small);
        ExtractGenerator.generate(c, dir.resolve("a"));
        ExtractGenerator.generate(c, dir.resolve("b"));
        // Another thread count must not change a byte of the extract either.
        Map<String, String> oneThread = new HashMap<>(small);
        oneThread.put("atypie.synth.threads", "1");
        ExtractGenerator.generate(config(oneThread), dir.resolve("d"));
        Map<String, String> other = new HashMap<>(small);
        other.put("atypie.synth.seed", "7");
        ExtractGenerator.generate(config(other), dir.resolve("c"));
        List<Path> files = files(dir.resolve("a"));
        assertEquals(files, files(dir.resolve("b")));
        assertTrue(files.size() > 20, files.size() + " files");
        boolean differs = false;
        for (Path f : files) {
            byte[] a = Files.readAllBytes(dir.resolve("a").resolve(f));
            assertArrayEquals(a, Files.readAllBytes(dir.resolve("b").resolve(f)), f.toString());
            if (f.startsWith("extract")) {
                assertArrayEquals(a, Files.readAllBytes(dir.resolve("d").resolve(f)), "one thread: " + f);
            }
            Path cf = dir.resolve("c").resolve(f);
            differs |= !Files.exists(cf) || !java.util.Arrays.equals(a, Files.readAllBytes(cf));
        }
        assertTrue(differs);
        assertFalse(java.util.Arrays.equals(
                Files.readAllBytes(dir.resolve("a").resolve("extract/IR_BEN_R/part-00000.parquet")),
                Files.readAllBytes(dir.resolve("c").resolve("extract/IR_BEN_R/part-00000.parquet"))));
    }

    @Test
    void aFolderNotWrittenByTheGeneratorIsNotCleared() throws IOException {
        Path out = dir.resolve("foreign");
        Files.createDirectories(out.resolve("extract"));
        Files.writeString(out.resolve("extract/precious.txt"), "keep me");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ExtractGenerator.generate(config(Map.of("atypie.synth.scale", "0.0005", "atypie.synth.months", "1")), out));
        assertTrue(e.getMessage().contains("was not written by 'atypie generate'"), e.getMessage());
        assertTrue(Files.exists(out.resolve("extract/precious.txt")));
    }

    // ---------------------------------------------------------------- helpers

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static List<String[]> csv(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    private static java.util.function.Function<String, Column> functionsCol() {
        return org.apache.spark.sql.functions::col;
    }

    private static scala.collection.Seq<String> scala(List<String> cols) {
        return scala.collection.JavaConverters.asScalaBuffer(cols).toSeq();
    }

    private static Column[] scala(List<String> cols, String extra) {
        List<String> all = new ArrayList<>(cols);
        all.add(extra);
        return all.stream().map(functionsCol()).toArray(Column[]::new);
    }
}
