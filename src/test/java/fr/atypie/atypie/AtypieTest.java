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
              activity-bands = [0], min-patients = 100, min-expected = 5, persistence-months = 6
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
              exclusion-months = 12
              default-capacity { dam = 5, ec = 1, mso-msap = 1 }
              capacity {}
            }""");
    static final IndicatorSettings INDICATORS = IndicatorSettings.from(Section.of(CONF, "atypie.indicators"));
    static final AtypieSettings SETTINGS = AtypieSettings.from(Section.of(CONF, "atypie.atypie"), INDICATORS);
    static final TargetingSettings TARGETING = TargetingSettings.from(Section.of(CONF, "atypie.targeting"));
    static final Metric SICK_LEAVE_METRIC = SETTINGS.metrics().get(0);

    @Test
    void expectedCountsComeFromPeerStratumRatesOnThePrescribersOwnPatients() {
        // GP1 sees 3 men without ALD (a, b, c) and 1 woman with ALD (d); GP2 sees 1 man (e) and 3 women with ALD (f, g, h).
        List<Row> ben = new ArrayList<>();
        List<Row> ald = new ArrayList<>();
        List<Row> consultations = new ArrayList<>();
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
                SndsTable.DA_PRA_R.schema()));
        // Sick leave: GP1 for a and d; GP2 for f and g (twice for f: still one patient).
        Dataset<Row> ij = table(EventTable.SICK_LEAVE_PERIODS,
                ij("a:1", "2024-04-01", "2024-04-10", 10, 400, "GP1", RISK_SICKNESS, "034", 44, 1, false),
                ij("d:1", "2024-05-01", "2024-05-20", 20, 800, "GP1", RISK_SICKNESS, "034", 44, 2, true),
                ij("f:1", "2024-06-01", "2024-06-05", 5, 200, "GP2", RISK_SICKNESS, "034", 44, 2, true),
                ij("f:1", "2024-09-01", "2024-09-05", 5, 200, "GP2", RISK_SICKNESS, "034", 44, 2, true),
                ij("g:1", "2024-07-01", "2024-07-30", 30, 1200, "GP2", RISK_SICKNESS, "034", 44, 2, true));
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.CONSULTATIONS, table(EventTable.CONSULTATIONS,
                consultations.toArray(Row[]::new)), EventTable.SICK_LEAVE_PERIODS, ij);

        List<Row> rows = PrescriberProfiles.compute(events, population, prescribers, WINDOW, INDICATORS, SETTINGS)
                .collectAsList();
        assertEquals(2, rows.size());
        Row gp1 = rows.get(0);
        Row gp2 = rows.get(1);
        // Peer rates: men without ALD 1 of 4 (0.25), women with ALD 3 of 4 (0.75).
        // E(GP1) = 3 x 0.25 + 1 x 0.75 = 1.5; E(GP2) = 1 x 0.25 + 3 x 0.75 = 2.5.
        assertEquals("GP1", gp1.getAs(EventColumns.PRESCRIBER));
        assertEquals(2.0, gp1.<Double>getAs(OBSERVED));
        assertEquals(1.5, gp1.<Double>getAs(EXPECTED), 1e-12);
        assertEquals(4.0, gp1.<Double>getAs(DENOMINATOR));
        assertEquals(1200.0, gp1.<Double>getAs(AMOUNT_BEHIND));
        assertEquals(4L, gp1.<Long>getAs(BASE_PATIENTS));
        assertEquals(2.0, gp2.<Double>getAs(OBSERVED));
        assertEquals(2.5, gp2.<Double>getAs(EXPECTED), 1e-12);
        assertEquals(2L, gp2.<Long>getAs(NUMERATOR_PATIENTS));
        assertEquals("general-practice|0", gp2.getAs(PEER_GROUP));
        assertEquals("034", gp2.getAs(EventColumns.DEPT));
    }

    static final StructType PROFILE = new StructType()
            .add(EventColumns.PRESCRIBER, DataTypes.StringType).add(Windows.WINDOW_MONTH, DataTypes.DateType)
            .add(EventColumns.DEPT, DataTypes.StringType).add(Prescribers.SPECIALTY, DataTypes.IntegerType)
            .add(Prescribers.SPECIALTY_GROUP, DataTypes.StringType).add(ACTIVITY_BAND, DataTypes.IntegerType)
            .add(PEER_GROUP, DataTypes.StringType).add(BASE_PATIENTS, DataTypes.LongType)
            .add(METRIC, DataTypes.StringType).add(OBSERVED, DataTypes.DoubleType)
            .add(DENOMINATOR, DataTypes.DoubleType).add(EXPECTED, DataTypes.DoubleType)
            .add(AMOUNT_BEHIND, DataTypes.DoubleType).add(NUMERATOR_PATIENTS, DataTypes.LongType);

    static Row profile(String id, YearMonth window, long base, double observed, double expected) {
        return RowFactory.create(id, java.sql.Date.valueOf(window.atDay(1)), "034", 1, "general-practice", 0,
                "general-practice|0", base, SICK_LEAVE_METRIC.id(), observed, base * 0.3, expected, observed * 40.0, (long) observed);
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
        // z = 50/sqrt(50); winsorised at the type-7 90th percentile 0.1 x 7.071 = 0.7071 -> phi = 2 x 0.5 / 20 = 0.05
        assertEquals(Math.sqrt(50), x.z(), 1e-12);
        assertEquals(0.05, x.phi(), 1e-12);
        assertEquals(Math.sqrt(50), x.zAdjusted(), 1e-12); // phi <= 1: no correction
        // Prior: m = 1100/1000 = 1.1; v = (18x50x0.01 + 2x50x0.81)/1000 - 20x1.1/1000 = 0.068
        // SR* = (O v + m^2)/(E v + m): (6.8 + 1.21)/(3.4 + 1.1) = 1.78; at the norm (3.4 + 1.21)/4.5.
        assertEquals(1.78, x.shrunkRatio(), 1e-12);
        assertEquals(4.61 / 4.5, n.shrunkRatio(), 1e-12);
        assertEquals(Level.STRONG, x.level());
        assertEquals(Level.NEUTRAL, n.level());
        assertEquals(Level.NOT_JUDGED, small.level()); // base 50 < 100 patients
        assertEquals(2.0, small.ratio(), 1e-12);
        assertEquals(50.0, x.excessVolume(), 1e-12);
        assertEquals(2000.0, x.excessAmount(), 1e-12);  // 50 excess x 4000 EUR / 100
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
        assertEquals(2000.0 * 0.08, e.avoidableAmount(), 1e-9);
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
}
