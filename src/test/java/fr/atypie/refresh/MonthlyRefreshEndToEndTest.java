package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fr.atypie.atypie.PrescriberSegment;
import fr.atypie.atypie.Segment;
import fr.atypie.indicators.IndicatorValue;
import fr.atypie.publish.SmallCells;
import fr.atypie.snds.SndsColumns;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole monthly job on a small generated extract with planted ground truth. (That a re-run
 * publishes the same bytes is shown by HdfsRefreshTest, on a full build against an
 * incremental one and a first publication against its re-run, and by StandaloneClusterIT, local
 * against cluster: a second full refresh here cost two minutes of the suite for no further cover.)
 * The month is {@link PublishedMonth}'s, shared with the other tests that read a publication: its
 * 21-GP region holds 3 strongly atypical, 2 moderate, 3 case-mix and 3 small-practice GPs; all GPs
 * form one peer group.
 */
@Execution(ExecutionMode.CONCURRENT)   // waits for the shared month without holding other classes: see the pom
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonthlyRefreshEndToEndTest {
    static final YearMonth MONTH = PublishedMonth.MONTH;

    PublishedMonth.Fixture month;
    MonthlyRefresh.Outcome first;
    Map<String, String> tierOf;

    @BeforeAll
    void refreshTheSharedMonth() throws IOException {
        month = PublishedMonth.get();
        first = month.outcome();
        tierOf = new TreeMap<>();
        List<String> truth = Files.readAllLines(month.root().resolve("data/truth/prescribers.csv"));
        assertEquals("prescriber_id,dept,specialty,n_patients,tier", String.join(",", List.of(truth.get(0).split(",")).subList(0, 5)));
        for (String line : truth.subList(1, truth.size())) {
            String[] f = line.split(",");
            tierOf.put(f[0], f[4]);
        }
    }

    @Test
    void strongSickLeaveGpsAreFlaggedAndCaseMixOrSmallPracticesAreNot() {
        Map<String, PrescriberSegment> segmentOf = first.segments().stream()
                .collect(Collectors.toMap(PrescriberSegment::prescriber, s -> s));
        List<String> strong = tierOf.entrySet().stream().filter(e -> e.getValue().equals("strong")).map(Map.Entry::getKey).toList();
        // Three strong sick-leave GPs planted (x2.45, x1.60, x1.86) among 21, beside 2 moderate ones: with a
        // quarter of the region planted, the between-prescriber dispersion is high (phi about 4), so only the
        // strongest, on a large practice, is atypical; the two others are above their peers on sick leave
        // (DAM list), never in the norm.
        assertEquals(List.of("31100005", "34100005", "48100001"), strong);
        assertEquals(Segment.STRONGLY_ATYPICAL, segmentOf.get("34100005").segment());
        for (String gp : List.of("31100005", "48100001")) {
            PrescriberSegment s = segmentOf.get(gp);
            assertEquals(Segment.GAIN_POTENTIAL, s.segment(), gp + ": " + s.reason());
            assertTrue(s.reason().startsWith("Arrêts de travail"), gp + ": " + s.reason());
        }
        // No case-mix GP nor small practice is flagged on sick leave (their drug themes are normal too).
        for (PrescriberSegment s : first.segments()) {
            String tier = tierOf.get(s.prescriber());
            if ("casemix".equals(tier) || "small".equals(tier)) {
                assertTrue(s.segment() != Segment.ATYPICAL && s.segment() != Segment.STRONGLY_ATYPICAL,
                        s.prescriber() + " (" + tier + ") is " + s.segment() + ": " + s.reason());
            }
        }
    }

    @Test
    void noPublishedCellIsBuiltOnFewerThanTenPatients() {
        SmallCells cells = new SmallCells(10);
        Path published = month.publication();
        Dataset<Row> indicators = SharedSpark.get().read().parquet(published.resolve("indicators.parquet").toString());
        cells.assertNoSmallCells("indicators", indicators, List.of("patients"), OutputTables.INDICATOR_MEASURES);
        assertTrue(indicators.where("secret").count() > 0, "the small region must hide some cells");
        Dataset<Row> targeting = SharedSpark.get().read().parquet(published.resolve("restricted/targeting.parquet").toString());
        cells.assertNoSmallCells("targeting", targeting, List.of("driver_patients"), List.of());
    }

    @Test
    void noPatientIdentifierLeavesTheJob() throws IOException {
        Set<String> pseudonyms = new HashSet<>();
        SharedSpark.get().read().parquet(month.extract().resolve("IR_BEN_R").toString()).select(SndsColumns.BEN_NIR_PSA)
                .collectAsList().forEach(r -> pseudonyms.add(r.getString(0)));
        assertTrue(pseudonyms.size() > 1000);
        // Every substring of each pseudonym length looked up in the set: what text.contains(p) for each p
        // says, in one pass per length instead of one per pseudonym (that took 20 s of CPU).
        Set<Integer> lengths = new java.util.TreeSet<>();
        pseudonyms.forEach(p -> lengths.add(p.length()));
        int files = 0;
        try (Stream<Path> walk = Files.walk(month.out())) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".csv") || name.endsWith(".html") || name.endsWith(".json")) {
                    files++;
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    for (int length : lengths) {
                        for (int i = 0; i + length <= text.length(); i++) {
                            String s = text.substring(i, i + length);
                            if (pseudonyms.contains(s)) {
                                fail(f + " contains the patient pseudonym " + s);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(files >= 20, "files read: " + files);
    }

    @Test
    void regionIndicatorsLandInTheirCalibratedRanges() {
        Map<String, Double> region = first.indicators().stream()
                .filter(v -> v.level().equals(IndicatorValue.REGION) && v.windowMonth().equals(MONTH) && v.value() != null)
                .collect(Collectors.toMap(IndicatorValue::indicator, IndicatorValue::value));
        assertInRange(region, "spell-mean-duration", 30, 65);       // funds: 36 to 61 days
        assertInRange(region, "return-60-160", 40, 85);             // ~60 %; a few dozen spells here
        assertInRange(region, "generic-share", 78, 90);             // 84.6 % in 2016
        assertInRange(region, "ij-insured-share", 15, 40);          // ~15 % of working-age patients per half-year
        assertInRange(region, "antibiotics-per-100", 40, 150);
        assertInRange(region, "spell-median-beyond-180", 60, 200);  // 120 to 140 days
    }

    @Test
    void rowsInEqualKeptPlusQuarantinedInThePublishedReport() throws IOException {
        String json = Files.readString(month.publication().resolve("quality/quality-report.json"));
        var tables = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("tables");
        assertEquals(6, tables.size());
        for (var t : tables) {
            assertEquals(t.get("rows_in").asLong(), t.get("kept").asLong() + t.get("quarantined").asLong(), t.toString());
        }
    }

    @Test
    void everyPrescriberGetsOneSegmentWithAReason() {
        assertEquals(first.segments().size(), first.segments().stream().map(PrescriberSegment::prescriber).distinct().count());
        assertTrue(first.segments().stream().noneMatch(s -> s.reason().isBlank()));
        assertFalse(first.targeting().entries().isEmpty());
    }

    private static void assertInRange(Map<String, Double> values, String indicator, double low, double high) {
        Double v = values.get(indicator);
        assertTrue(v != null && v >= low && v <= high, indicator + " = " + v + " outside [" + low + ", " + high + "]");
    }

    @Test
    void procedureTablesArePublishedAndTheDay60ListStaysInTheWorkingArea() throws IOException {
        Path restricted = month.publication().resolve("restricted");
        SmallCells cells = new SmallCells(10);
        Dataset<Row> legal = SharedSpark.get().read().parquet(restricted.resolve("legal_criterion.parquet").toString());
        // Two measures (arrêts, IJ days) × two scopes (region, fund) per prescriber with a patient base.
        assertEquals(4L * first.segments().size(), legal.count());
        cells.assertNoSmallCells("legal_criterion", legal, List.of("patients"), ProcedureOutputs.LEGAL_MEASURES);
        // The large strongly atypical GP (x2.45 on sick leave, 1 956 patients) meets the crude criterion;
        // every row that meets it passes both thresholds against at least 10 other doctors.
        List<Row> met = legal.where("meets").collectAsList();
        assertTrue(met.stream().anyMatch(r -> r.getAs("prescriber_id").equals("34100005")), "met: " + met);
        for (Row r : met) {
            assertTrue(r.<Double>getAs("ratio") >= 1.3 && r.<Double>getAs("z") >= 3.09 && r.<Integer>getAs("peers") >= 10, r.toString());
        }
        // No contact was recorded: each prescriber meeting the criterion has a NONE row asking for a DAM visit.
        Dataset<Row> state = SharedSpark.get().read().parquet(restricted.resolve("procedure_state.parquet").toString());
        cells.assertNoSmallCells("procedure_state", state, List.of("patients"), ProcedureOutputs.STATE_MEASURES);
        Set<String> metIds = new java.util.TreeSet<>();
        met.forEach(r -> metIds.add(r.getAs("prescriber_id")));
        Set<String> stateIds = new java.util.TreeSet<>();
        state.collectAsList().forEach(r -> stateIds.add(r.getAs("prescriber_id")));
        assertEquals(metIds, stateIds);
        for (Row r : state.collectAsList()) {
            assertEquals("NONE", r.getAs("step"));
            assertEquals("Visite DAM à proposer (critère légal rempli).", r.getAs("next_step"));
        }
        Dataset<Row> trend = SharedSpark.get().read().parquet(restricted.resolve("trend_atypie.parquet").toString());
        assertEquals(first.segments().size(), trend.count());
        cells.assertNoSmallCells("trend_atypie", trend, List.of("patients"), ProcedureOutputs.TREND_MEASURES);
        cells.assertNoSmallCells("long_sick_leave", SharedSpark.get().read().parquet(restricted.resolve("long_sick_leave.parquet")
                .toString()), List.of("insured"), List.of());
        // The month's lists within capacity became proposals in the contact store.
        long listed = SharedSpark.get().read().parquet(restricted.resolve("targeting.parquet").toString())
                .where("within_capacity AND action <> 'Retour positif'").count();
        List<String> store = Files.readAllLines(month.root().resolve("work/state/contacts.csv"));
        assertEquals(listed, store.stream().filter(l -> l.endsWith(";PROPOSED;ciblage 2024-12")).count());
        // The nominative day-60/90 lists are in the working area, one per department, never under OUT
        // (noPatientIdentifierLeavesTheJob checks OUT).
        try (Stream<Path> w = Files.list(month.root().resolve("work").resolve(MONTH.toString()).resolve("medical-service"))) {
            List<Path> lists = w.toList();
            assertFalse(lists.isEmpty());
            for (Path f : lists) {
                assertTrue(f.getFileName().toString().matches("arrets-longs-0\\d\\d\\.csv"), f.toString());
                assertTrue(Files.readAllLines(f).get(0).contains("Assuré (pseudonyme)"));
            }
        }
    }

    @Test
    void establishmentProfilesArePublishedRestrictedWithSmallCellsHidden() {
        Path restricted = month.publication().resolve("restricted");
        Dataset<Row> profiles = SharedSpark.get().read().parquet(restricted.resolve(EstablishmentOutputs.TABLE + ".parquet").toString());
        new SmallCells(10).assertNoSmallCells(EstablishmentOutputs.TABLE, profiles, List.of("patients"), EstablishmentOutputs.MEASURES);
        // The generator's hospitals (FINESS starting with their department) prescribe the three themes in town.
        Set<String> themes = new java.util.TreeSet<>();
        for (Row r : profiles.collectAsList()) {
            themes.add(r.getAs("theme"));
            String finess = r.getAs("establishment");
            assertEquals("0" + finess.substring(0, 2), r.getAs("establishment_dept"), r.toString());
            assertEquals(MONTH.toString(), r.getAs("month"));
        }
        assertEquals(Set.of("arrets", "medicaments", "transports"), themes);
        assertTrue(profiles.where("NOT secret").count() > 0, "every establishment row hidden");
    }
}
