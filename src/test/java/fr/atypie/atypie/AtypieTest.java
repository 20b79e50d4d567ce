package fr.atypie.atypie;

import static fr.atypie.atypie.PrescriberProfiles.*;
import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static fr.atypie.testing.EventRows.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.settings.Section;
import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.indicators.PatientContributions;
import fr.atypie.indicators.PatientKeys;
import fr.atypie.indicators.Population;
import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.indicators.Windows;
import fr.atypie.snds.SndsTable;
import fr.atypie.stats.MethodsSettings;
import fr.atypie.testing.SharedSpark;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class AtypieTest {
    static final YearMonth DEC = YearMonth.of(2024, 12);
    static final Windows WINDOW = new Windows(DEC, DEC, 12);
    static final Config CONF = ConfigFactory.parseString("""
            atypie.indicators {
              window-months = 12, age-bands = [0, 16, 65], spell-max-gap-days = 2
              savings { method = previous-year-growth, yearly-growth = 0.02, fit-months = 12, series {} }
              measures {
                consulted { events = consultations, value = flag }
                ij-patient { events = sick-leave-periods, value = flag, filter { risk = sickness } }
                ij-amount { events = sick-leave-periods, value = amount, filter { risk = sickness } }
              }
              catalogue {}
            }
            atypie.atypie {
              activity-bands = [0], min-patients = 100, min-expected-patients = 5, min-peers = 10
              persistence-months = 6
              themes.sick-leave {
                label = "Arrêts de travail"
                procedures = true
                metrics.patients-with-ij {
                  kind = weight, label = "Part des patients d'âge actif avec IJ"
                  numerator { measure = ij-patient }
                  denominator { base = true }
                  filter { age-min = 16, age-max = 64 }
                  amount = ij-amount
                }
              }
              typology { k = 2, seed = 1, max-iterations = 20 }
              thresholds { strong-z = 3.09, strong-ratio = 1.5, atypical-z = 1.96, atypical-ratio = 1.2,
                           gain-ratio = 1.0, gain-min-excess-amount = 500, conforming-ratio = 0.95 }
            }
            atypie.targeting {
              effects { dam = 0.03, ec = 0.08, mso-msap = 0.2 }
              effect-sources { dam = "d", ec = "published EC evaluation", mso-msap = "m" }
              measured-effect-window = "1-12"
              exclusion-months = 12
              default-capacity { dam = 5, ec = 1, mso-msap = 1 }
              capacity {}
            }""");
    static final IndicatorSettings INDICATORS = IndicatorSettings.from(Section.of(CONF, "atypie.indicators"));
    static final AtypieSettings SETTINGS = AtypieSettings.from(Section.of(CONF, "atypie.atypie"), INDICATORS);
    static final TargetingSettings TARGETING = TargetingSettings.from(Section.of(CONF, "atypie.targeting"));
    static final Metric SICK_LEAVE_METRIC = SETTINGS.metrics().get(0);
    /** The default methods with the peer group's mean as the norm (the default is its typical peer). */
    static final MethodsSettings AT_MEAN = new MethodsSettings(0.10, MethodsSettings.DEFAULTS.estimator(),
            MethodsSettings.DEFAULTS.overDispersion(), 0.95, 1000, 20150901L, MethodsSettings.Reference.MEAN);

    /**
     * Peer rates of every metric in one window operator: added metric by metric, each rate was a window
     * operator of its own, copying ever wider rows (16 in a chain at 8 metrics: 15.8 s of task time
     * for a 38 k-row cube at scale 0.05). Two metrics here; counted in the analysed plans.
     */
    @Test
    void thePeerRatesOfAllMetricsAreOneWindowOperator() {
        Config two = ConfigFactory.parseString("""
                atypie.atypie.themes.sick-leave.metrics.ij-amount-per-patient {
                  kind = weight, label = l, numerator { measure = ij-amount }, denominator { base = true }, amount = ij-amount
                }""").withFallback(CONF);
        AtypieSettings settings = AtypieSettings.from(Section.of(two, "atypie.atypie"), INDICATORS);
        assertEquals(2, settings.metrics().size());
        var spark = SharedSpark.get();
        Population.Insured population = Population.byWindow(spark.createDataFrame(List.of(), SndsTable.IR_BEN_R.schema()),
                spark.createDataFrame(List.of(), SndsTable.IR_IMB_R.schema()), WINDOW, INDICATORS.ageBands());
        Dataset<Row> prescribers = Prescribers.fromPractitioners(spark.createDataFrame(List.of(), SndsTable.DA_PRA_R.schema()),
                java.util.Set.of(1));
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.CONSULTATIONS, table(EventTable.CONSULTATIONS),
                EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS));
        // The profiles: the prescriber's patient base (its activity band), then the peer stratum's rates.
        assertEquals(2, windowOperators(PrescriberProfiles.compute(events, population, prescribers, WINDOW, INDICATORS, settings)));
        Dataset<Row> peers = spark.createDataFrame(List.of(), new StructType().add(EventColumns.PRESCRIBER, DataTypes.StringType)
                .add(PEER_GROUP, DataTypes.StringType));
        assertEquals(1, windowOperators(PrescriberTrend.series(events, peers, DEC, DEC, 3, INDICATORS, settings.metrics())));
    }

    private static long windowOperators(Dataset<Row> ds) {
        return ds.queryExecution().analyzed().treeString().lines().filter(l -> l.matches("^[\\s:+|-]*Window \\[.*")).count();
    }

    @Test
    void expectedCountsComeFromPeerStratumRatesOnThePrescribersOwnPatients() {
        // GP1 sees 3 men without ALD (a, b, c) and 1 woman with ALD (d); GP2 sees 1 man (e) and 3 women with ALD (f, g, h).
        List<Row> ben = new ArrayList<>();
        List<Row> ald = new ArrayList<>();
        List<Row> consultations = new ArrayList<>();
        for (String p : List.of("j", "k", "l")) {
            ben.add(RowFactory.create(p, 1, "1980", 1, "034", null));
        }
        for (String p : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            boolean woman = List.of("d", "f", "g", "h").contains(p);
            ben.add(RowFactory.create(p, 1, "1980", woman ? 2 : 1, "034", null));
            if (woman) {
                ald.add(RowFactory.create(p, 1, 8, d("2015-01-01"), null, "F32"));
            }
            String gp = List.of("a", "b", "c", "d").contains(p) ? "GP1" : "GP2";
            consultations.add(consultation(p + ":1", "2024-03-05", gp, 1, "034", 44, woman ? 2 : 1, woman));
        }
        var spark = SharedSpark.get();
        Population.Insured population = Population.byWindow(spark.createDataFrame(ben, SndsTable.IR_BEN_R.schema()),
                spark.createDataFrame(ald, SndsTable.IR_IMB_R.schema()), WINDOW, INDICATORS.ageBands());
        Dataset<Row> prescribers = Prescribers.fromPractitioners(spark.createDataFrame(List.of(
                RowFactory.create("GP1", "1", "34000", "341"), RowFactory.create("GP2", "22", "34070", "341")),
                SndsTable.DA_PRA_R.schema()), java.util.Set.of(1, 22, 23));
        // Sick leave: GP1 for a and d; GP2 for f and g (twice for f: still one patient).
        Dataset<Row> ij = table(EventTable.SICK_LEAVE_PERIODS,
                ij("a:1", "2024-04-01", "2024-04-10", 10, 400, "GP1", RISK_SICKNESS, "034", 44, 1, false),
                ij("d:1", "2024-05-01", "2024-05-20", 20, 800, "GP1", RISK_SICKNESS, "034", 44, 2, true),
                ij("f:1", "2024-06-01", "2024-06-05", 5, 200, "GP2", RISK_SICKNESS, "034", 44, 2, true),
                ij("f:1", "2024-09-01", "2024-09-05", 5, 200, "GP2", RISK_SICKNESS, "034", 44, 2, true),
                ij("g:1", "2024-07-01", "2024-07-30", 30, 1200, "GP2", RISK_SICKNESS, "034", 44, 2, true),
                // j, k, l: sick leave signed by GP1 for patients outside its consulted base (no consultation).
                ij("j:1", "2024-04-01", "2024-04-10", 10, 400, "GP1", RISK_SICKNESS, "034", 44, 1, false),
                ij("k:1", "2024-04-01", "2024-04-10", 10, 400, "GP1", RISK_SICKNESS, "034", 44, 1, false),
                ij("l:1", "2024-04-01", "2024-04-10", 10, 400, "GP1", RISK_SICKNESS, "034", 44, 1, false));
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.CONSULTATIONS, table(EventTable.CONSULTATIONS,
                consultations.toArray(Row[]::new)), EventTable.SICK_LEAVE_PERIODS, ij);

        List<Row> rows = PrescriberProfiles.compute(events, population, prescribers, WINDOW, INDICATORS, SETTINGS)
                .collectAsList();
        assertEquals(2, rows.size());
        Row gp1 = rows.get(0);
        Row gp2 = rows.get(1);
        // Peer rates: men without ALD 1 of 4 (0.25), women with ALD 3 of 4 (0.75).
        // E(GP1) = 3 x 0.25 + 1 x 0.75 = 1.5; E(GP2) = 1 x 0.25 + 3 x 0.75 = 2.5.
        // The share is bounded: j, k, l are not in GP1's base, so 2 of its 4 base patients, not 5 of 4.
        assertEquals("GP1", gp1.getAs(EventColumns.PRESCRIBER));
        assertEquals(2.0, gp1.<Double>getAs(OBSERVED));
        assertEquals(2L, gp1.<Long>getAs(NUMERATOR_PATIENTS));
        assertTrue(gp1.<Double>getAs(OBSERVED) <= gp1.<Double>getAs(DENOMINATOR));
        assertEquals(1.5, gp1.<Double>getAs(EXPECTED_PATIENTS), 1e-12); // a flag: expected patients = E
        // Within-practice Pearson sum: men without ALD y = 1, 0, 0 around 1/3: 1 - 1/3 = 2/3, expectation
        // (3 - 1) x 1/3 = 2/3; d alone in her stratum adds nothing.
        assertEquals(2.0 / 3, gp1.<Double>getAs(WITHIN_SS), 1e-12);
        assertEquals(2.0 / 3, gp1.<Double>getAs(WITHIN_DOF), 1e-12);
        assertEquals(1.5, gp1.<Double>getAs(EXPECTED), 1e-12);
        assertEquals(4.0, gp1.<Double>getAs(DENOMINATOR));
        assertEquals(1200.0, gp1.<Double>getAs(AMOUNT_BEHIND));
        assertEquals(4L, gp1.<Long>getAs(BASE_PATIENTS));
        assertEquals(2.0, gp2.<Double>getAs(OBSERVED));
        assertEquals(2.5, gp2.<Double>getAs(EXPECTED), 1e-12);
        assertEquals(2L, gp2.<Long>getAs(NUMERATOR_PATIENTS));
        assertEquals("general-practice|0", gp2.getAs(PEER_GROUP));
        assertEquals("034", gp2.getAs(EventColumns.DEPT));
        // Patients keyed by their 64-bit hash, as a refresh keys them: the same profiles.
        PatientKeys keys = new PatientKeys(true);
        assertEquals(rows, PrescriberProfiles.compute(keys.keyed(events), population.keyedBy(keys), prescribers, WINDOW,
                INDICATORS, SETTINGS).collectAsList());
        // From a refresh's contributions (every measure, two years of care months, kept for several roll-ups): the same.
        PatientContributions run = PatientContributions.of(keys.keyed(events), INDICATORS.measures().values(),
                PrescriberTrend.CARRIED, YearMonth.of(2023, 1), DEC).persist();
        try {
            assertEquals(rows, PrescriberProfiles.compute(run, population.keyedBy(keys), prescribers, WINDOW, INDICATORS, SETTINGS)
                    .collectAsList());
        } finally {
            run.unpersist();
        }

        // The month's window and the one six months before (persistence), rolled up alone: the rows of
        // the series of every window between them, for these two.
        YearMonth jun = YearMonth.of(2024, 6);
        List<Row> pair = PrescriberProfiles.compute(events, population, prescribers, Windows.pair(jun, DEC, 12), INDICATORS,
                SETTINGS).collectAsList();
        assertEquals(PrescriberProfiles.compute(events, population, prescribers, new Windows(jun, DEC, 12), INDICATORS,
                        SETTINGS).where(org.apache.spark.sql.functions.col(Windows.WINDOW_MONTH)
                        .isin(Windows.firstDay(jun), Windows.firstDay(DEC))).collectAsList(), pair);
        assertEquals(List.of(rows.get(0), rows.get(1)), List.of(pair.get(1), pair.get(3)));
        // The window to June (2023-07..2024-06) holds f's June sick leave, not g's of July: GP2 observes 1.
        assertEquals("GP2 2024-06-01", pair.get(2).getAs(EventColumns.PRESCRIBER) + " " + pair.get(2).getAs(Windows.WINDOW_MONTH));
        assertEquals(1.0, pair.get(2).<Double>getAs(OBSERVED));
    }

    static final StructType PROFILE = new StructType()
            .add(EventColumns.PRESCRIBER, DataTypes.StringType).add(Windows.WINDOW_MONTH, DataTypes.DateType)
            .add(EventColumns.DEPT, DataTypes.StringType).add(Prescribers.SPECIALTY, DataTypes.IntegerType)
            .add(Prescribers.SPECIALTY_GROUP, DataTypes.StringType).add(ACTIVITY_BAND, DataTypes.IntegerType)
            .add(PEER_GROUP, DataTypes.StringType).add(BASE_PATIENTS, DataTypes.LongType)
            .add(METRIC, DataTypes.StringType).add(OBSERVED, DataTypes.DoubleType)
            .add(DENOMINATOR, DataTypes.DoubleType).add(EXPECTED, DataTypes.DoubleType)
            .add(AMOUNT_BEHIND, DataTypes.DoubleType).add(NUMERATOR_PATIENTS, DataTypes.LongType)
            .add(EXPECTED_PATIENTS, DataTypes.DoubleType).add(WITHIN_SS, DataTypes.DoubleType)
            .add(WITHIN_DOF, DataTypes.DoubleType);

    /** A profile whose patients show no more within-practice dispersion than Poisson (φ_w = 1). */
    static Row profile(String id, YearMonth window, long base, double observed, double expected) {
        return profile(id, window, base, observed, expected, 1.0);
    }

    /** A profile whose patients' Pearson sum is {@code dispersion} times its expectation (taken as E). */
    static Row profile(String id, YearMonth window, long base, double observed, double expected, double dispersion) {
        return RowFactory.create(id, java.sql.Date.valueOf(window.atDay(1)), "034", 1, "general-practice", 0,
                "general-practice|0", base, SICK_LEAVE_METRIC.id(), observed, base * 0.6, expected, observed * 40.0,
                (long) observed, expected, dispersion * expected, expected);
    }

    /** 18 GPs exactly at the norm (O = E = 50), 2 at twice (O = 100), 1 small practice (base 50, O = 12, E = 6). */
    static List<Row> peerGroup(YearMonth window) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            rows.add(profile(String.format("N%02d", i), window, 1000, 50, 50));
        }
        rows.add(profile("X01", window, 1000, 100, 50));
        rows.add(profile("X02", window, 1000, 100, 50));
        rows.add(profile("S01", window, 50, 12, 6));
        return SharedSpark.get().createDataFrame(rows, PROFILE).collectAsList();
    }

    @Test
    void funnelAndShrinkageOnAPeerGroup() {
        List<MetricAssessment> out = PeerComparison.assess(peerGroup(DEC), SETTINGS, MethodsSettings.DEFAULTS);
        MetricAssessment x = out.stream().filter(a -> a.prescriber().equals("X01")).findFirst().orElseThrow();
        MetricAssessment n = out.stream().filter(a -> a.prescriber().equals("N00")).findFirst().orElseThrow();
        MetricAssessment small = out.stream().filter(a -> a.prescriber().equals("S01")).findFirst().orElseThrow();
        // z = 50/sqrt(50); 18 of the 20 z's are 0: quartiles 0, only the zeros stay inside the funnel, phi = 0
        assertEquals(Math.sqrt(50), x.z(), 1e-12);
        assertEquals(0.0, x.phi(), 1e-12);
        assertEquals(Math.sqrt(50), x.zAdjusted(), 1e-12); // phi <= 1: no correction
        // phi <= 1 on a patient count (phi_w = 1): the exact Poisson tail P(X >= 100 | 50) = 3.2000653e-10
        // (scipy poisson.sf(99, 50)), not the normal 1 - Phi(7.07) = 7.7e-13.
        assertEquals(3.2000653245851495e-10, x.funnel().pValue(), 1e-18);
        // Prior: m = 1100/1000 = 1.1; v = (18x50x0.01 + 2x50x0.81)/1000 - 20x1.1/1000 = 0.068
        // SR* = (O v + m^2)/(E v + m): (6.8 + 1.21)/(3.4 + 1.1) = 1.78; at the norm (3.4 + 1.21)/4.5.
        assertEquals(1.78, x.shrunkRatio(), 1e-12);
        assertEquals(4.61 / 4.5, n.shrunkRatio(), 1e-12);
        assertEquals(Level.STRONG, x.level());
        assertEquals(Level.NEUTRAL, n.level());
        assertEquals(Level.NOT_JUDGED, small.level()); // base 50 < 100 patients
        assertEquals(2.0, small.ratio(), 1e-12);
        // Excess on the shrunk ratio: E x (SR* - 1) = 50 x 0.78 = 39, priced at 4000 EUR / 100 observed.
        assertEquals(39.0, x.excessVolume(), 1e-9);
        assertEquals(1560.0, x.excessAmount(), 1e-9);
        assertEquals(1.0, x.funnel().dispersion(), 1e-12);
        assertEquals("general-practice|0", x.funnel().dispersionGroup());
        assertEquals(20, x.funnel().dispersionPeers());
        // phi <= 1 on a count: the exact Poisson limits at E = 50 (P(s, 50) = 1 - Phi(1.96)), not 1 + 1.96/sqrt(50) = 1.277
        assertEquals(1.2962336220379402, x.funnel().upper95(), 1e-9);
        assertEquals(100.0, out.stream().filter(a -> a.prescriber().equals("X02")).findFirst().orElseThrow().percentile(), 1e-12);
        assertEquals(0.0, n.percentile(), 1e-12);
    }

    @Test
    void persistenceDecidesBetweenEcAndProcedureAndCapacityCutsTheList() {
        List<Row> rows = new ArrayList<>(peerGroup(DEC));
        List<Row> earlier = new ArrayList<>(peerGroup(DEC.minusMonths(6)));
        earlier.removeIf(r -> r.getAs(EventColumns.PRESCRIBER).equals("X02")); // X02 not atypical 6 months ago
        rows.addAll(earlier);
        List<MetricAssessment> assessed = PeerComparison.assess(rows, SETTINGS, MethodsSettings.DEFAULTS);
        List<PrescriberSegment> segments = Segmentation.segment(assessed, DEC, SETTINGS);
        assertEquals(21, segments.size());
        PrescriberSegment x1 = segments.stream().filter(s -> s.prescriber().equals("X01")).findFirst().orElseThrow();
        PrescriberSegment x2 = segments.stream().filter(s -> s.prescriber().equals("X02")).findFirst().orElseThrow();
        PrescriberSegment s1 = segments.stream().filter(s -> s.prescriber().equals("S01")).findFirst().orElseThrow();
        assertEquals(Segment.STRONGLY_ATYPICAL, x1.segment());
        assertTrue(x1.reason().contains("Déjà fortement atypique sur ce thème en 2024-06"), x1.reason());
        assertEquals(Segment.ATYPICAL, x2.segment());
        assertEquals(Segment.NOT_ASSESSABLE, s1.segment());
        assertEquals("Patientèle de 50 patients sur 12 mois, sous le seuil de 100.", s1.reason());
        assertEquals(18, segments.stream().filter(s -> s.segment() == Segment.IN_NORM).count());

        // X01 is under MSAP since 2024-09: excluded; X02 goes to the EC list of 034 (capacity 1).
        CampaignHistory history = new CampaignHistory(List.of(new CampaignContact("c1", "X01",
                CampaignContact.Action.MSAP, "sick-leave", YearMonth.of(2024, 9), Optional.empty(), "")));
        Targeting.Result result = Targeting.target(segments, DEC, TARGETING, history);
        assertEquals(List.of("X01"), result.excluded().stream().map(PrescriberSegment::prescriber).toList());
        assertEquals(1, result.entries().size());
        TargetEntry e = result.entries().get(0);
        assertEquals(TargetingSettings.Action.EC, e.action());
        assertEquals("X02", e.prescriber().prescriber());
        assertEquals(1560.0 * 0.08, e.avoidableAmount(), 1e-9);
        assertEquals("published EC evaluation", e.effectSource());
        assertTrue(e.withinCapacity());
    }

    @Test
    void withoutProceduresOnTheThemeAPersistentOutlierIsOfferedAnExchange() {
        AtypieSettings noProcedures = AtypieSettings.from(Section.of(ConfigFactory.parseString(
                "atypie.atypie.themes.sick-leave.procedures = false").withFallback(CONF), "atypie.atypie"), INDICATORS);
        List<Row> rows = new ArrayList<>(peerGroup(DEC));
        rows.addAll(peerGroup(DEC.minusMonths(6)));
        List<PrescriberSegment> segments = Segmentation.segment(
                PeerComparison.assess(rows, noProcedures, MethodsSettings.DEFAULTS), DEC, noProcedures);
        PrescriberSegment x1 = segments.stream().filter(s -> s.prescriber().equals("X01")).findFirst().orElseThrow();
        assertEquals(Segment.ATYPICAL, x1.segment());
        assertTrue(x1.reason().endsWith("Fortement atypique ; pas de procédure MSO/MSAP sur ce thème."), x1.reason());
    }

    @Test
    void aMetricThatDoesNotEscalateLeadsAtMostToADamVisit() {
        AtypieSettings quiet = AtypieSettings.from(Section.of(ConfigFactory.parseString(
                "atypie.atypie.themes.sick-leave.metrics.patients-with-ij.escalates = false").withFallback(CONF),
                "atypie.atypie"), INDICATORS);
        MetricAssessment x = PeerComparison.assess(peerGroup(DEC), quiet, MethodsSettings.DEFAULTS).stream()
                .filter(a -> a.prescriber().equals("X01")).findFirst().orElseThrow();
        assertEquals(1.78, x.shrunkRatio(), 1e-12);      // the statistics are unchanged
        assertEquals(Level.GAIN_POTENTIAL, x.level());   // but the level stops at a DAM visit
    }

    /**
     * Quasi-Poisson group, φ_w = 2: 8 peers at E = 100 (O = 80 or 120), a 300-patient practice S
     * (E = 60, O = 96) and a 1,500-patient one L (E = 300, O = 480), both at SR = 1.6.
     */
    static List<MetricAssessment> dispersedGroup() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rows.add(profile(String.format("N%02d", i), DEC, 500, i % 2 == 0 ? 80 : 120, 100, 2.0));
        }
        rows.add(profile("S", DEC, 300, 96, 60, 2.0));
        rows.add(profile("L", DEC, 1500, 480, 300, 2.0));
        // At the mean: the hand computations below; at the typical peer every expected would be x 1.2
        // (median SR of the 10 peers: (1.2 + 1.2)/2).
        return PeerComparison.assess(SharedSpark.get().createDataFrame(rows, PROFILE).collectAsList(), SETTINGS, AT_MEAN);
    }

    static MetricAssessment of(List<MetricAssessment> out, String id) {
        return out.stream().filter(a -> a.prescriber().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void overDispersedMeasureGetsAQuasiPoissonZAndInterval() {
        List<MetricAssessment> group = dispersedGroup();
        MetricAssessment l = of(group, "L");
        assertEquals(2.0, l.funnel().dispersion(), 1e-12);
        // z = (480 - 300)/sqrt(2 x 300) = 7.348469; Poisson would say 180/sqrt(300) = 10.39.
        assertEquals(180 / Math.sqrt(600), l.z(), 1e-12);
        // Between-prescriber phi of the 10 z's (+-1.414214 x 4 each, S 3.286335, L 7.348469), truncated estimate:
        // start median 0, type-7 quartiles -+1.414214, s = 2.828427 / 1.348980 = 2.096716, window +-4.109563: L is
        // left out; the 9 kept have mean 3.286335 / 9 = 0.365148 and variance (16 + 10.8 - 10.8 / 9) / 8 = 3.2;
        // s^2 = 3.2 / 0.758855 = 4.216878, window [-3.659, 4.389]: the same 9, phi = 4.216878 (interquartile: 4.396).
        assertEquals(3.2 / 0.7588552772217557, l.phi(), 1e-9);
        assertEquals(4.216877836990891, l.phi(), 1e-9);
        // z adjusted 7.348469 / 2.053504 = 3.578503.
        assertEquals(3.57850287174918, l.zAdjusted(), 1e-9);
        // phi is estimated on 10 peers: z adjusted is referred to Student's t with 9 degrees of freedom,
        // p = 0.002972 (the normal would say 0.000173): atypical (q = p <= 2.5 %), not strong (> 0.1 %).
        assertEquals(0.0029723257560995927, l.funnel().pValue(), 1e-9);
        assertEquals(l.funnel().pValue(), l.funnel().qValue(), 1e-15);
        assertEquals(Level.ATYPICAL, l.level());
        // S (SR 1.6 on E = 60): z adjusted 3.286335 / 2.053504 = 1.600355, p = 0.0720: not atypical.
        assertEquals(0.07199199164980451, of(group, "S").funnel().pValue(), 1e-9);
        assertEquals(Level.GAIN_POTENTIAL, of(group, "S").level());
        // Interval: exact Poisson interval of O/phi_w = 240, over E/phi_w = 150 (scipy gamma.ppf(0.025, 240)/150,
        // gamma.ppf(0.975, 241)/150), wider than the Poisson one on 480 days.
        assertEquals(1.4039621872892065, l.ratioLower(), 1e-9);
        assertEquals(1.8157508361926493, l.ratioUpper(), 1e-9);
        // Limits at E = 300: 1 +- t sqrt(phi_w x phi / E), t the t(9) quantiles at the tails of z 1.96 and 3.09
        // (2.262209 and 4.296272): what decides a single metric.
        assertEquals(1.3792997391778257, l.funnel().upper95(), 1e-9);
        assertEquals(0.6207002608221742, l.funnel().lower95(), 1e-9);
        assertEquals(1.720346903494368, l.funnel().upper998(), 1e-9);
    }

    @Test
    void shrinkageMovesASmallPracticeMoreThanALargeOne() {
        List<MetricAssessment> out = dispersedGroup();
        // Prior on O/2 and E/2: m = 1376/1160 = 1.186207; s2 = 0.104637; noise 10 x m / 580 = 0.020452;
        // v = 0.084185; alpha = m^2/v = 16.714124, beta = m/v = 14.090395.
        // SR*(S) = (48 + alpha)/(30 + beta) = 1.467760; SR*(L) = (240 + alpha)/(150 + beta) = 1.564468.
        MetricAssessment small = of(out, "S");
        MetricAssessment large = of(out, "L");
        assertEquals(1.6, small.ratio(), 1e-12);
        assertEquals(1.6, large.ratio(), 1e-12);
        assertEquals(1.467760123013839, small.shrunkRatio(), 1e-9);
        assertEquals(1.5644677041729786, large.shrunkRatio(), 1e-9);
        assertTrue(1.6 - small.shrunkRatio() > 3 * (1.6 - large.shrunkRatio()));
    }

    /**
     * The norm at the typical peer: 17 GPs at O = 45 for E = 50 (SR 0.9: the peer rates carry the excess of
     * the others) and 3 at O = 60 (SR 1.2). The median SR of the 20 judged peers is 0.9.
     */
    @Test
    void theMedianReferenceJudgesAgainstTheTypicalPeer() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            rows.add(profile(String.format("N%02d", i), DEC, 1000, 45, 50));
        }
        for (int i = 0; i < 3; i++) {
            rows.add(profile(String.format("X%02d", i), DEC, 1000, 60, 50));
        }
        List<Row> group = SharedSpark.get().createDataFrame(rows, PROFILE).collectAsList();
        MethodsSettings median = MethodsSettings.DEFAULTS;

        // At the mean: E = 50, SR 1.2; the z's (-0.71 x 17, 1.41 x 3) have no spread between their quartiles,
        // phi = 0: the exact Poisson tail P(X >= 60 | 50) = 0.092265 (scipy poisson.sf(59, 50)): not atypical.
        MetricAssessment atMean = of(PeerComparison.assess(group, SETTINGS, AT_MEAN), "X00");
        assertEquals(50.0, atMean.expected(), 1e-12);
        assertEquals(0.09226505195893214, atMean.funnel().pValue(), 1e-9);
        assertTrue(atMean.level() != Level.ATYPICAL && atMean.level() != Level.STRONG, atMean.level().toString());

        // At the typical peer: every expected x 0.9, E = 45, SR 1.333, P(X >= 60 | 45) = 0.018651 <= 2.5 %: atypical.
        List<MetricAssessment> out = PeerComparison.assess(group, SETTINGS, median);
        MetricAssessment x = of(out, "X00");
        assertEquals(45.0, x.expected(), 1e-12);
        assertEquals(60.0 / 45, x.ratio(), 1e-12);
        assertEquals(15 / Math.sqrt(45), x.z(), 1e-12);
        assertEquals(0.018651134648575138, x.funnel().pValue(), 1e-9);
        assertEquals(Level.ATYPICAL, x.level());
        assertEquals(1.0, of(out, "N00").ratio(), 1e-12);
        assertEquals(0.0, of(out, "N00").z(), 1e-12);
        // A group whose typical peer is at the norm keeps its expected (peerGroup: 18 at SR 1, median 1).
        assertEquals(50.0, of(PeerComparison.assess(peerGroup(DEC), SETTINGS, median), "X01").expected(), 1e-12);
    }

    @Test
    void aShareAboveOneIsRefused() {
        Row r = SharedSpark.get().createDataFrame(List.of(RowFactory.create("GP1", java.sql.Date.valueOf(DEC.atDay(1)),
                "034", 1, "general-practice", 0, "general-practice|0", 200L, SICK_LEAVE_METRIC.id(), 5.0, 4.0, 2.0, 100.0,
                5L, 2.0, 0.0, 1.0)), PROFILE).collectAsList().get(0);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PeerComparison.assess(List.of(r), SETTINGS, MethodsSettings.DEFAULTS));
        assertTrue(e.getMessage().contains("5 patients in the numerator but only 4.0 in the patient base"), e.getMessage());
    }

    @Test
    void benjaminiHochbergQValues() {
        // Sorted p 0.01, 0.03, 0.04, 0.5 (m = 4): 0.04, min(0.06, 0.0533), 0.0533, 0.5.
        double[] q = PeerComparison.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.5});
        assertEquals(0.04, q[0], 1e-12);
        assertEquals(0.04 * 4 / 3, q[1], 1e-12);
        assertEquals(0.04 * 4 / 3, q[2], 1e-12);
        assertEquals(0.5, q[3], 1e-12);
    }

    static MetricAssessment assessed(String id, Metric m, double zAdjusted, double shrunk, double excessAmount, Level level) {
        return new MetricAssessment(id, DEC, "034", 1, "general-practice", "general-practice|0", 1000, m, 0, 0, 100, 0, 0,
                shrunk, 0, 0, zAdjusted, zAdjusted, 1, shrunk, 50, 0, excessAmount, level);
    }

    /** A judged metric with its one-sided p-value, before the multiplicity control sets its level. */
    static MetricAssessment withP(String id, Metric m, double p, double shrunk, double excessAmount) {
        return withP(id, m, p, shrunk, shrunk, excessAmount);
    }

    static MetricAssessment withP(String id, Metric m, double p, double ratio, double shrunk, double excessAmount) {
        double z = NORMAL.inverseCumulativeProbability(1 - p);
        return new MetricAssessment(id, DEC, "034", 1, "general-practice", "general-practice|0", 1000, m, 0, 0, 100, 0, 0,
                ratio, 0, 0, z, z, 1, shrunk, 50, 0, excessAmount,
                PeerComparison.levelWithoutFunnel(shrunk, excessAmount, SETTINGS.thresholds()),
                new MetricAssessment.Funnel(10, 1, "general-practice|0", 20, p, Double.NaN, 0, 2, 0, 3));
    }

    static final org.apache.commons.math3.distribution.NormalDistribution NORMAL =
            new org.apache.commons.math3.distribution.NormalDistribution();
    static final Metric DAYS = new Metric("sick-leave", "Arrêts de travail", "days", "Jours", Metric.Kind.WEIGHT, "ij-days",
            Optional.empty(), fr.atypie.indicators.IndicatorDefinition.StrataFilter.ALL, "ij-amount", true, true);

    @Test
    void aPrescribersMetricsOfAThemeAreAdjustedTogether() {
        List<MetricAssessment> raw = List.of(
                // A: one metric beyond the 95 % limit (p = 0.02), the other not (0.5): q = min(0.02 x 2, 0.5) = 0.04 > 0.025.
                withP("A", SICK_LEAVE_METRIC, 0.02, 1.3, 800), withP("A", DAYS, 0.5, 1.0, 0),
                // B: both just beyond it (0.02 and 0.024): q = min(0.04, 0.024 x 2 / 2) = 0.024 for both.
                withP("B", SICK_LEAVE_METRIC, 0.02, 1.3, 800), withP("B", DAYS, 0.024, 1.3, 800),
                // C: judged on one metric only: q = p = 0.02, the funnel limit decides alone.
                withP("C", SICK_LEAVE_METRIC, 0.02, 1.3, 800),
                // D: p = 0.0004 and 0.3: q = 0.0008 <= 0.1 %: strong (SR 1.6 >= 1.5).
                withP("D", SICK_LEAVE_METRIC, 0.0004, 1.6, 800), withP("D", DAYS, 0.3, 1.0, 0),
                // E: as a planted 2x GP of a mid-size practice: SR 1.39 with q 0.0036, shrunk to SR* 1.17 by a prior
                // fitted on peers most of whom are at the norm: atypical on SR (the size), not hidden by SR*.
                withP("E", SICK_LEAVE_METRIC, 0.0036, 1.39, 1.17, 800),
                // F: beyond chance (q 0.0001) but 10 % above its peers: not a difference worth an exchange.
                withP("F", SICK_LEAVE_METRIC, 0.0001, 1.1, 1.09, 800));
        List<MetricAssessment> out = PeerComparison.controlLevels(raw, SETTINGS);
        assertEquals(0.04, out.get(0).funnel().qValue(), 1e-12);
        assertEquals(Level.GAIN_POTENTIAL, out.get(0).level());
        assertEquals(0.024, out.get(2).funnel().qValue(), 1e-12);
        assertEquals(0.024, out.get(3).funnel().qValue(), 1e-12);
        assertEquals(Level.ATYPICAL, out.get(2).level());
        assertEquals(Level.ATYPICAL, out.get(3).level());
        assertEquals(0.02, out.get(4).funnel().qValue(), 1e-12);
        assertEquals(Level.ATYPICAL, out.get(4).level());
        assertEquals(0.0008, out.get(5).funnel().qValue(), 1e-12);
        assertEquals(Level.STRONG, out.get(5).level());
        assertEquals(Level.ATYPICAL, out.get(7).level());
        assertEquals(1.17, out.get(7).shrunkRatio(), 1e-12); // SR* still ranks and prices the excess
        assertEquals(Level.GAIN_POTENTIAL, out.get(8).level());
    }

    @Test
    void oneExcessPerThemeNotTheSumOfItsMetrics() {
        Metric days = DAYS;
        Metric abx = new Metric("antibiotics", "Antibiotiques", "abx", "Antibiotiques", Metric.Kind.WEIGHT, "abx",
                Optional.empty(), fr.atypie.indicators.IndicatorDefinition.StrataFilter.ALL, "abx-amount", false, true);
        // Two sick-leave metrics price the same IJ euros (3000 and 2000 EUR): the theme counts 3000 once.
        List<MetricAssessment> metrics = List.of(
                assessed("X", SICK_LEAVE_METRIC, 4.0, 1.6, 2000, Level.ATYPICAL),
                assessed("X", days, 4.0, 1.6, 3000, Level.ATYPICAL),
                assessed("X", abx, 2.5, 1.3, 400, Level.ATYPICAL));
        PrescriberSegment x = Segmentation.segment(metrics, DEC, SETTINGS).get(0);
        assertEquals(Segment.ATYPICAL, x.segment());
        assertEquals(3400.0, x.excessAmount(), 1e-9);
    }
}
