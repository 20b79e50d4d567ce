package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static fr.atypie.testing.EventRows.*;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fr.atypie.settings.Section;
import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.AdaptivePlans;
import fr.atypie.testing.SharedSpark;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Hand-computed indicators on a two-department region where the crude ranking and the
 * standardised ranking disagree (department 031 has more ALD patients).
 */
class IndicatorsTest {
    static final String REGION = "76";
    static final Windows DEC_2024 = new Windows(YearMonth.of(2024, 12), YearMonth.of(2024, 12), 12);

    static final IndicatorSettings SETTINGS = IndicatorSettings.from(Section.of(ConfigFactory.parseString("""
            atypie.indicators {
              window-months = 12
              age-bands = [0, 16, 65]
              spell-max-gap-days = 2
              measures {
                ij-days { events = sick-leave-periods, value = paid-days, filter { risk = sickness } }
                generic-boxes { events = dispensations, value = boxes, filter { generic-types = [2] } }
                group-boxes { events = dispensations, value = boxes, filter { generic-types = [1, 2] } }
                molecules { events = dispensations, value = distinct-atc }
                hospital-amount { events = dispensations, value = amount, filter { hospital-prescription = true } }
                ij-patient { events = sick-leave-periods, value = flag, filter { risk = sickness } }
                drug-patient { events = dispensations, value = flag }
              }
              savings {
                method = previous-year-growth, yearly-growth = 0.10, fit-months = 12
                series { ij-days-trend { label = l, measure = ij-days } }
              }
              catalogue {
                ij-days-per-insured {
                  label = l, why = w, unit = u, family = ratio, lower-is-better = true
                  numerator { measure = ij-days }
                  denominator { population = insured }
                  filter { age-min = 16, age-max = 64 }
                }
                generic-share {
                  label = l, why = w, unit = u, family = ratio, scale = 100, lower-is-better = false
                  numerator { measure = generic-boxes }
                  denominator { measure = group-boxes }
                }
                polypharmacy {
                  label = l, why = w, unit = u, family = ratio, scale = 100, lower-is-better = true
                  numerator { measure = molecules, at-least = 3 }
                  denominator { population = insured }
                }
                ij-share-of-dispensed {
                  label = l, why = w, unit = u, family = ratio, scale = 100, lower-is-better = true
                  numerator { measure = ij-patient, at-least = 1 }
                  denominator { measure = drug-patient, at-least = 1 }
                }
                ij-days-per-dispensed {
                  label = l, why = w, unit = u, family = ratio, lower-is-better = true
                  numerator { measure = ij-days }
                  denominator { measure = drug-patient, at-least = 1 }
                }
                hospital-growth {
                  label = l, why = w, unit = u, family = growth, lower-is-better = true
                  numerator { measure = hospital-amount }
                }
                median-beyond-180 { label = l, why = w, unit = u, family = spell-median-beyond, days = 180, lower-is-better = true }
                return-60-160 { label = l, why = w, unit = u, family = spell-return-share, from = 60, to = 160, lower-is-better = false }
                mean-duration { label = l, why = w, unit = u, family = spell-mean-duration, lower-is-better = true }
              }
            }"""), "atypie.indicators"));

    static Row ben(String id, String dept, int sex) {
        return RowFactory.create(id, 1, "1980", sex, dept, null);
    }

    static Row ald(String id) {
        return RowFactory.create(id, 1, 5, d("2020-01-01"), null, "E11");
    }

    static Population.Insured population() {
        Dataset<Row> ald = SharedSpark.get().createDataFrame(List.of(ald("p4"), ald("q2"), ald("q3"), ald("q4")),
                SndsTable.IR_IMB_R.schema());
        return Population.byWindow(beneficiaries(), ald, DEC_2024, SETTINGS.ageBands());
    }

    static Dataset<Row> beneficiaries() {
        return SharedSpark.get().createDataFrame(List.of(
                ben("p1", "034", 1), ben("p2", "034", 1), ben("p3", "034", 1), ben("p4", "034", 2),
                ben("q1", "031", 1), ben("q2", "031", 2), ben("q3", "031", 2), ben("q4", "031", 2)),
                SndsTable.IR_BEN_R.schema());
    }

    static Row ijRow(String patient, String start, String end, double days) {
        return ij(patient + ":1", start, end, days, days * 40, "GP", RISK_SICKNESS, "034", 44, 1, false);
    }

    static Row drug(String patient, String atc, int genericType, int boxes) {
        return dispensation(patient + ":1", "2024-05-10", "GP", "034", 44, 1, false, atc, "G1", genericType, boxes, 10.0, false);
    }

    static Map<EventTable, Dataset<Row>> events() {
        return Map.of(
                EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS,
                        ijRow("p1", "2024-03-01", "2024-03-10", 10),
                        ijRow("p1", "2023-06-01", "2023-09-08", 100),   // care month outside the window
                        ijRow("p4", "2024-04-01", "2024-05-10", 40),
                        ijRow("q2", "2024-02-01", "2024-03-11", 40),
                        ijRow("q3", "2024-10-01", "2024-10-20", 20),
                        ijRow("zz", "2024-10-01", "2024-10-20", 20)),   // not in IR_BEN_R
                EventTable.DISPENSATIONS, table(EventTable.DISPENSATIONS,
                        drug("p1", "A01", 2, 3), drug("p1", "A02", 1, 1), drug("p1", "A03", 0, 5),
                        drug("q1", "A01", 2, 6), drug("q1", "A01", 2, 2)));
    }

    static List<IndicatorValue> ratioIndicators() {
        Dataset<Row> windows = StratifiedCube.patientWindows(events(), DEC_2024, SETTINGS);
        Dataset<Row> cube = StratifiedCube.build(population(), windows, SETTINGS);
        return RatioIndicators.compute(cube.collectAsList(), SETTINGS, REGION, (o, e) -> new double[] {-1, -1});
    }

    static IndicatorValue find(List<IndicatorValue> values, String indicator, String territory) {
        return values.stream().filter(v -> v.indicator().equals(indicator) && v.territory().equals(territory))
                .findFirst().orElseThrow();
    }

    @Test
    void crudeAndIndirectlyStandardisedSickLeaveDays() {
        List<IndicatorValue> values = ratioIndicators();
        IndicatorValue a = find(values, "ij-days-per-insured", "034");
        IndicatorValue b = find(values, "ij-days-per-insured", "031");
        IndicatorValue r = find(values, "ij-days-per-insured", REGION);
        // 034: 10 + 40 days over 4 insured; 031: 40 + 20 over 4; region 110 over 8.
        assertEquals(50.0, a.numerator());
        assertEquals(4.0, a.denominator());
        assertEquals(12.5, a.value());
        assertEquals(15.0, b.value());
        assertEquals(13.75, r.value());
        assertEquals(2, a.patients());
        // Regional stratum rates: men without ALD 10/4 = 2.5 days, women with ALD 100/4 = 25 days.
        // E(034) = 3 x 2.5 + 1 x 25 = 32.5; E(031) = 1 x 2.5 + 3 x 25 = 77.5.
        assertEquals(32.5, a.expected(), 1e-12);
        assertEquals(50 / 32.5, a.ratio(), 1e-12);
        assertEquals(50 / 32.5 * 13.75, a.standardisedValue(), 1e-12);
        assertEquals(77.5, b.expected(), 1e-12);
        assertEquals(60 / 77.5, b.ratio(), 1e-12);
        assertEquals(1.0, r.ratio(), 1e-12);
        assertEquals(DEC_2024.lastWindowMonth(), a.windowMonth());
        assertNull(a.previousValue());
    }

    /**
     * The job keeps the population in memory; Spark 3.5's adaptive plans never reuse an exchange above a
     * cached table (SPARK-58767), so each join of it in the cube is a broadcast of its own (at Occitanie
     * size, 5.3 M patients each). The insured's strata come from their own rows: one broadcast, for the
     * claims' patient-windows.
     */
    @Test
    @ResourceLock(AdaptivePlans.LOCK)
    void theCubeBroadcastsThePopulationOnce() {
        Population.Insured population = population().persist();
        try {
            Dataset<Row> cube = StratifiedCube.build(population, StratifiedCube.patientWindows(events(), DEC_2024, SETTINGS),
                    SETTINGS);
            SparkPlan ran = AdaptivePlans.ran(cube, cube.count());
            // Broadcasts keyed by the patient (a string here): the population's (its ALD periods were broadcast
            // once, to build the cached table).
            assertEquals(1, AdaptivePlans.builtBroadcasts(ran).stream()
                    .filter(m -> m.startsWith("HashedRelationBroadcastMode(List(input[0, string")).count(), ran.toString());
        } finally {
            population.unpersist();
        }
    }

    @Test
    void sharesAndPatientThresholds() {
        List<IndicatorValue> values = ratioIndicators();
        // Generic share: 034 has 3 generic boxes of 4 in groups; 031 has 8 of 8; region 11 of 12.
        assertEquals(75.0, find(values, "generic-share", "034").value(), 1e-12);
        assertEquals(100.0, find(values, "generic-share", "031").value(), 1e-12);
        assertEquals(100.0 * 11 / 12, find(values, "generic-share", REGION).value(), 1e-12);
        // Polypharmacy (>= 3 molecules): only p1 (A01, A02, A03) of 4 insured in 034.
        IndicatorValue poly = find(values, "polypharmacy", "034");
        assertEquals(1.0, poly.numerator());
        assertEquals(25.0, poly.value(), 1e-12);
        assertEquals(0.0, find(values, "polypharmacy", "031").value(), 1e-12);
    }

    @Test
    void aNumeratorIsCountedOnTheDenominatorsPatientsOnly() {
        List<IndicatorValue> values = ratioIndicators();
        // Patients dispensed: p1 (034) and q1 (031). IJ patients of 034: p1 and p4, but p4 had no dispensation:
        // 1 of 1 (100 %), not 2 of 1 (200 %); IJ days of 034's dispensed patients: p1's 10, not 50.
        IndicatorValue share = find(values, "ij-share-of-dispensed", "034");
        assertEquals(1.0, share.numerator());
        assertEquals(1.0, share.denominator());
        assertEquals(100.0, share.value(), 1e-12);
        assertEquals(0.0, find(values, "ij-share-of-dispensed", "031").value(), 1e-12);
        assertEquals(10.0, find(values, "ij-days-per-dispensed", "034").value(), 1e-12);
        assertEquals(1, find(values, "ij-days-per-dispensed", "034").patients());
    }

    @Test
    void noPoissonIntervalOnDaysOrEuros() {
        List<IndicatorValue> values = ratioIndicators();
        // ij-days is a sum of days: ratio published, no interval; polypharmacy counts patients: interval kept.
        IndicatorValue days = find(values, "ij-days-per-insured", "034");
        assertEquals(50 / 32.5, days.ratio(), 1e-12);
        assertTrue(days.ratioLower().isNaN());
        assertTrue(days.ratioUpper().isNaN());
        assertEquals(-1.0, find(values, "polypharmacy", "034").ratioLower(), 1e-12);
    }

    @Test
    void recentMonthsAreCorrectedForLateFlux() {
        // Consolidated months (lag >= 3 at the last flux 2024-12): 2024-06 and 2024-07, each 80 arrived in
        // its own month, 15 one month later, 5 two months later: c(0) = 160/200, c(1) = 190/200, c(2) = 1.
        java.util.Map<YearMonth, java.util.TreeMap<Integer, Double>> byLag = new java.util.TreeMap<>();
        for (YearMonth m : List.of(YearMonth.of(2024, 6), YearMonth.of(2024, 7))) {
            byLag.put(m, new java.util.TreeMap<>(Map.of(0, 80.0, 1, 15.0, 2, 5.0)));
        }
        byLag.put(YearMonth.of(2024, 11), new java.util.TreeMap<>(Map.of(0, 70.0, 1, 10.0)));
        byLag.put(YearMonth.of(2024, 12), new java.util.TreeMap<>(Map.of(0, 60.0)));
        Map<YearMonth, Double> c = TrendSavings.completeness(byLag, YearMonth.of(2024, 12), 3);
        assertEquals(Map.of(YearMonth.of(2024, 11), 0.95, YearMonth.of(2024, 12), 0.8), c);
        // A point of 2024-12: 60 observed, 75 expected: the gap is 75 - 60/0.8 = 0, not 15 of savings.
        var point = new TrendSavings.TrendPoint("s", "department", "034", YearMonth.of(2024, 12), 60, 75.0, 10, 0.8);
        assertEquals(0.0, point.gap(), 1e-12);
    }

    /** Rows "key care-date" exploded into {@code windows}: "key window-month", in order. */
    private static List<String> exploded(Windows windows, String... keyAndCareDate) {
        List<Row> rows = new java.util.ArrayList<>();
        for (String r : keyAndCareDate) {
            String[] kd = r.split(" ");
            rows.add(RowFactory.create(kd[0], java.sql.Date.valueOf(kd[1])));
        }
        Dataset<Row> months = SharedSpark.get().createDataFrame(rows,
                new org.apache.spark.sql.types.StructType().add("k", "string").add("care", "date"));
        return windows.explode(months, "care").orderBy("k", Windows.WINDOW_MONTH).collectAsList().stream()
                .map(r -> r.getString(0) + " " + r.getDate(2)).toList();
    }

    @Test
    void careMonthsExplodeIntoTheWindowsThatHoldThemOnly() {
        Windows novAndDec = new Windows(YearMonth.of(2024, 11), YearMonth.of(2024, 12), 12);
        List<String> rows = exploded(novAndDec, "a 2023-12-01", "b 2024-05-01", "c 2025-01-01", "d 2023-11-01");
        // 2023-12 is in the windows ending 2023-12..2024-11; 2023-11 ends its last window in 2024-10;
        // 2025-01 comes after the last window.
        assertEquals(List.of("a 2024-11-01", "b 2024-11-01", "b 2024-12-01"), rows);
    }

    @Test
    void windowsSixMonthsApartTakeTheCareMonthsOfEachOnly() {
        Windows junAndDec = Windows.pair(YearMonth.of(2024, 6), YearMonth.of(2024, 12), 12);
        assertEquals(List.of(YearMonth.of(2024, 6), YearMonth.of(2024, 12)), junAndDec.months());
        List<String> rows = exploded(junAndDec, "a 2023-06-01", "b 2023-07-01", "c 2024-01-01", "d 2024-07-01", "e 2025-01-01");
        // The window to June covers 2023-07..2024-06, the one to December 2024-01..2024-12: 2023-06 is
        // in neither, 2023-07 in June's only, 2024-01 in both, 2024-07 in December's only.
        assertEquals(List.of("b 2024-06-01", "c 2024-06-01", "c 2024-12-01", "d 2024-12-01"), rows);
        assertEquals(List.of(YearMonth.of(2024, 12)), Windows.pair(YearMonth.of(2024, 12), YearMonth.of(2024, 12), 12).months());
        // Windows every 4 months from June would end in October, not December.
        assertThrows(IllegalArgumentException.class, () -> new Windows(YearMonth.of(2024, 6), YearMonth.of(2024, 12), 12, 4));
    }

    @Test
    void distinctItemsAreCountedOverTheWholeWindowNotMonthByMonth() {
        Dataset<Row> dispensed = table(EventTable.DISPENSATIONS,
                dispensation("p1:1", "2023-12-20", "GP", "034", 44, 1, false, "A03", "G1", 0, 1, 10.0, false),
                dispensation("p1:1", "2024-01-10", "GP", "034", 44, 1, false, "A01", "G1", 0, 1, 10.0, false),
                dispensation("p1:1", "2024-05-10", "GP", "034", 44, 1, false, "A01", "G1", 0, 1, 10.0, false),
                dispensation("p1:1", "2024-12-05", "GP", "034", 44, 1, false, "A02", "G1", 0, 1, 10.0, false),
                dispensation("p1:1", "2024-12-20", "GP", "034", 44, 1, false, "A02", "G1", 0, 1, 10.0, false),
                dispensation("q1:1", "2024-12-05", "GP", "031", 44, 1, false, "A01", "G1", 0, 1, 10.0, false));
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.DISPENSATIONS, dispensed,
                EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS));
        Windows novAndDec = new Windows(YearMonth.of(2024, 11), YearMonth.of(2024, 12), 12);
        Map<String, Double> molecules = new TreeMap<>();
        for (Row r : StratifiedCube.patientWindows(events, novAndDec, SETTINGS)
                .collectAsList()) {
            molecules.put(r.getAs(fr.atypie.events.EventColumns.PATIENT) + " " + r.getAs(Windows.WINDOW_MONTH),
                    r.getAs(StratifiedCube.windowColumn("molecules")));
        }
        // Window to 2024-11 (2023-12..2024-11): A03, A01 twice = 2; to 2024-12: A01, A02 twice = 2;
        // q1's only month is 2024-12: no row of the window to 2024-11.
        assertEquals(Map.of("p1:1 2024-11-01", 2.0, "p1:1 2024-12-01", 2.0, "q1:1 2024-12-01", 1.0), molecules);
    }

    @Test
    void prescriptionsAreDistinctCareDatesAndPrescribersWhateverTheKeys() {
        IndicatorSettings antibiotics = IndicatorSettings.from(Section.of(ConfigFactory.parseString("""
                atypie.indicators {
                  window-months = 12, age-bands = [0, 16, 65], spell-max-gap-days = 2
                  measures { antibiotic-prescriptions { events = dispensations, value = prescriptions, filter { atc-prefixes = ["J01"] } } }
                  catalogue {}
                }"""), "atypie.indicators"));
        Dataset<Row> dispensed = table(EventTable.DISPENSATIONS,
                // GP1 on 3 April, two lines (two antibiotics of one prescription), and on 5 April; GP2 on 3 April.
                dispensation("a", "2024-04-03", "GP1", "034", 44, 1, false, "J01CA04", "G1", 0, 1, 5.0, false),
                dispensation("a", "2024-04-03", "GP1", "034", 44, 1, false, "J01FA10", "G2", 0, 1, 7.0, false),
                dispensation("a", "2024-04-05", "GP1", "034", 44, 1, false, "J01CA04", "G1", 0, 1, 5.0, false),
                dispensation("a", "2024-04-03", "GP2", "034", 44, 1, false, "J01CA04", "G1", 0, 1, 5.0, false),
                // May: GP1 prescribes no antibiotic (a month with events, none counted); GP2 on the 31st (the highest day).
                dispensation("a", "2024-05-02", "GP1", "034", 44, 1, false, "N05BA01", "G3", 0, 1, 3.0, false),
                dispensation("a", "2024-05-31", "GP2", "034", 44, 1, false, "J01CA04", "G1", 0, 1, 5.0, false),
                dispensation("a", "2024-05-31", "GP2", "034", 44, 1, false, "J01CA04", "G1", 0, 2, 10.0, false));
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.DISPENSATIONS, dispensed);
        // Per prescriber and month (counted as days of the month): GP1 3 and 5 April = 2; GP2 3 April and 31 May.
        assertEquals(Map.of("GP1 2024-04-01", 2L, "GP2 2024-04-01", 1L, "GP1 2024-05-01", 0L, "GP2 2024-05-01", 1L),
                prescriptionMonths(events, antibiotics, EventColumns.PRESCRIBER, EventColumns.PATIENT));
        // Per patient and month (distinct date × prescriber): GP1 on the 3rd and the 5th, GP2 on the 3rd = 3 in April.
        assertEquals(Map.of("a 2024-04-01", 3L, "a 2024-05-01", 1L), prescriptionMonths(events, antibiotics, EventColumns.PATIENT));
    }

    /** "first-key care-month" → monthly antibiotic prescriptions, per {@code keys} and care month. */
    private static Map<String, Long> prescriptionMonths(Map<EventTable, Dataset<Row>> events, IndicatorSettings settings,
                                                       String... keys) {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : StratifiedCube.measureMonths(events, settings.measures().values(), List.of(keys)).collectAsList()) {
            out.put(r.getAs(keys[0]) + " " + r.getAs(EventColumns.CARE_MONTH),
                    r.getAs(StratifiedCube.monthlyColumn("antibiotic-prescriptions")));
        }
        return out;
    }

    @Test
    void claimsOfPatientsOutsideThePopulationAreCounted() {
        Dataset<Row> windows = StratifiedCube.patientWindows(events(), DEC_2024, SETTINGS);
        assertEquals(1, StratifiedCube.patientsOutsidePopulation(population(), windows));
    }

    /** 1600-01-01 is the SNDS's "none": p1 alive (death date), q2 in ALD (period without end), as with nulls. */
    @Test
    void theSndsNoDateMeansAliveAndAnOpenAldPeriod() {
        Dataset<Row> ben = SharedSpark.get().createDataFrame(List.of(RowFactory.create("p1", 1, "1980", 1, "034", d("1600-01-01")),
                RowFactory.create("q1", 1, "1980", 2, "031", d("2023-05-01")), ben("q2", "031", 2)), SndsTable.IR_BEN_R.schema());
        Dataset<Row> ald = SharedSpark.get().createDataFrame(List.of(RowFactory.create("q2", 1, 5, d("2020-01-01"), d("1600-01-01"), "E11"),
                RowFactory.create("q1", 1, 5, d("2020-01-01"), d("2021-06-30"), "E11")), SndsTable.IR_IMB_R.schema());
        Population.Insured population = Population.byWindow(ben, ald, DEC_2024, SETTINGS.ageBands());
        Dataset<Row> rows = SharedSpark.get().createDataFrame(List.of(RowFactory.create("p1:1", d("2024-12-01")),
                        RowFactory.create("q1:1", d("2024-12-01")), RowFactory.create("q2:1", d("2024-12-01"))),
                new org.apache.spark.sql.types.StructType().add(EventColumns.PATIENT, DataTypes.StringType)
                        .add(Population.WINDOW_MONTH, DataTypes.DateType));
        // q1 died before the window: outside it; p1 is in it, q2 too and in ALD.
        assertEquals(List.of("p1:1 false", "q2:1 true"), population.withStrata(rows)
                .select(functions.concat_ws(" ", col(EventColumns.PATIENT), col(EventColumns.ALD)))
                .as(Encoders.STRING()).collectAsList().stream().sorted().toList());
        assertEquals(1, population.outside(rows));
    }

    /**
     * A department as hand-made files write it ("34", "2a") is the population's department in the
     * events' 3-character form ("034", "02A"), so that insured and claims meet in one stratum.
     */
    @Test
    void theInsuredHaveTheirDepartmentInTheEventsForm() {
        Dataset<Row> ben = SharedSpark.get().createDataFrame(List.of(RowFactory.create("p1", 1, "1980", 1, "34", null),
                RowFactory.create("p2", 1, "1980", 2, "2a", null), RowFactory.create("p3", 1, "1980", 2, "971", null)),
                SndsTable.IR_BEN_R.schema());
        Dataset<Row> ald = SharedSpark.get().createDataFrame(List.of(), SndsTable.IR_IMB_R.schema());
        Population.Insured population = Population.byWindow(ben, ald, DEC_2024, SETTINGS.ageBands());
        assertEquals(List.of("p1:1 034", "p2:1 02A", "p3:1 971"), population.patients()
                .select(functions.concat_ws(" ", col(EventColumns.PATIENT), col(EventColumns.DEPT)))
                .as(Encoders.STRING()).collectAsList().stream().sorted().toList());
    }

    @Test
    void patientsKeyedByTheirHashGiveTheSameIndicators() {
        List<Dataset<Row>> ids = new java.util.ArrayList<>(events().values());
        ids.add(Population.patientIds(beneficiaries()));
        PatientKeys keys = PatientKeys.forPatients(ids);
        assertTrue(keys.hashed());
        Map<EventTable, Dataset<Row>> byKey = keys.keyed(events());
        Dataset<Row> windows = StratifiedCube.patientWindows(byKey, DEC_2024, SETTINGS);
        assertEquals(DataTypes.LongType, windows.schema().apply(EventColumns.PATIENT).dataType());
        Population.Insured population = population().keyedBy(keys);
        List<IndicatorValue> hashed = RatioIndicators.compute(StratifiedCube.build(population, windows, SETTINGS).collectAsList(),
                SETTINGS, REGION, (o, e) -> new double[] {-1, -1});
        assertEquals(ratioIndicators(), hashed);
        // zz, with claims but not in IR_BEN_R, is still told apart from the insured.
        assertEquals(1, StratifiedCube.patientsOutsidePopulation(population, windows));
        // Long keys never meet pseudonyms: Spark would cast one to the other and match nobody.
        assertThrows(IllegalArgumentException.class, () -> population().withStrata(windows));
    }

    @Test
    void spellIndicatorsWithCensoring() {
        Dataset<Row> periods = table(EventTable.SICK_LEAVE_PERIODS,
                // Closed long spells ending in 2024: durations 200, 400 and 300 days -> beyond 180: 20, 220, 120.
                ij("a:1", "2023-09-01", "2024-03-18", 200, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                ij("b:1", "2023-01-01", "2024-02-04", 400, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                ij("c:1", "2024-01-01", "2024-10-26", 300, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                // Short closed spell: 30 days, back before day 60.
                ij("d:1", "2024-04-01", "2024-04-30", 30, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                // Reached day 60 in 2024 and back at day 90 (mature, returned).
                ij("e:1", "2024-05-01", "2024-07-29", 90, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                // Reached day 60 in Dec 2024, still running at the cut-off at day 80: immature, censored.
                ij("f:1", "2024-10-13", "2024-12-31", 80, 1, "GP", RISK_SICKNESS, "034", 40, 1, false));
        Dataset<Row> spells = SickLeaveSpells.build(periods, LocalDate.parse("2024-12-31"), 2);
        List<IndicatorValue> values = SpellIndicators.compute(spells, SETTINGS, DEC_2024, REGION, LocalDate.parse("2024-12-31"));

        IndicatorValue median = find(values, "median-beyond-180", "034");
        assertEquals(120.0, median.value());        // median of 20, 120, 220
        assertEquals(3.0, median.denominator());
        IndicatorValue ret = find(values, "return-60-160", "034");
        // Day 60 reached in 2024: not a (30 Oct 2023) nor b (1 Mar 2023); c (29 Feb 2024),
        // e (29 Jun 2024), f (11 Dec 2024). Mature: c (300 >= 160) and e (closed); f is censored at 80.
        assertEquals(2.0, ret.denominator());
        assertEquals(1.0, ret.numerator());
        assertEquals(50.0, ret.value(), 1e-12);
        assertEquals(1, ret.censored());
        IndicatorValue mean = find(values, "mean-duration", REGION);
        // Closed spells ending in 2024: 200, 400, 300, 30, 90 -> mean 204; f is censored.
        assertEquals(204.0, mean.value(), 1e-12);
        assertEquals(1, mean.censored());
    }

    @Test
    void returnAfterDay60IsCountedPerInsuredPersonOnceDay160IsObserved() {
        Dataset<Row> periods = table(EventTable.SICK_LEAVE_PERIODS,
                // g: 100 days, then after a 20-day return a relapse (93 days) that covers day 160 of the first
                // spell (2024-06-08): g has not returned, although its first spell ended before day 160.
                ij("g:1", "2024-01-01", "2024-04-09", 100, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                ij("g:1", "2024-04-30", "2024-07-31", 93, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                // h: two spells reaching day 60 in 2024, counted once on the first (day 160 on 2024-07-09,
                // not covered: returned); the second one's day 160 (2025-01-08) is after the cut-off anyway.
                ij("h:1", "2024-02-01", "2024-04-30", 90, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                ij("h:1", "2024-08-01", "2024-10-31", 92, 1, "GP", RISK_SICKNESS, "034", 40, 1, false),
                // k: closed at day 70, but day 160 (2025-01-15) is after the cut-off: not judged yet (censored),
                // so that a recent cohort is not judged on its early returns only.
                ij("k:1", "2024-08-09", "2024-10-17", 70, 1, "GP", RISK_SICKNESS, "034", 40, 1, false));
        Dataset<Row> spells = SickLeaveSpells.build(periods, LocalDate.parse("2024-12-31"), 2);
        IndicatorValue ret = find(SpellIndicators.compute(spells, SETTINGS, DEC_2024, REGION, LocalDate.parse("2024-12-31")),
                "return-60-160", "034");
        // Per spell, every one of the five would count as a return (each ended before its day 160).
        assertEquals(2.0, ret.denominator());
        assertEquals(1.0, ret.numerator());
        assertEquals(2L, ret.patients());
        assertEquals(1, ret.censored());
    }

    @Test
    void trendExpectationsByBothMethods() {
        TreeMap<YearMonth, Double> series = new TreeMap<>();
        for (int i = 0; i < 24; i++) {
            series.put(YearMonth.of(2023, 1).plusMonths(i), 100.0 + 10 * i); // a straight line: 100, 110, ...
        }
        YearMonth start = YearMonth.of(2024, 1);
        var growth = new TrendSavings.Settings(TrendSavings.Method.PREVIOUS_YEAR_GROWTH, 0.10, 12, List.of());
        assertEquals(110.0 * 1.10, TrendSavings.expected(series, YearMonth.of(2024, 2), start, growth), 1e-9);
        var linear = new TrendSavings.Settings(TrendSavings.Method.LINEAR, 0.0, 12, List.of());
        // Fitted on 2023 (100..210), the line reaches 100 + 10 x 14 = 240 in March 2024.
        assertEquals(240.0, TrendSavings.expected(series, YearMonth.of(2024, 3), start, linear), 1e-9);
        assertNull(TrendSavings.expected(series, YearMonth.of(2023, 6), YearMonth.of(2023, 6), growth));
    }

    @Test
    void savingsOfAWindowAreTheSummedGapInMillions() {
        // 034: 10 days in March 2023, none in the rest of 2023 and 2024 except 40 days in March 2024.
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS,
                ijRow("p1", "2023-01-01", "2023-01-05", 5), ijRow("p1", "2023-03-01", "2023-03-10", 10),
                ijRow("p2", "2024-03-01", "2024-04-09", 40), ijRow("p2", "2024-12-01", "2024-12-02", 2)));
        TrendSavings.Result r = TrendSavings.compute(events, SETTINGS, DEC_2024, REGION);
        IndicatorValue dept = r.savings().stream().filter(v -> v.territory().equals("034")).findFirst().orElseThrow();
        // Expected over 2024: (5 + 10) x 1.1 = 16.5 days; observed 42: savings = (16.5 - 42) / 1e6.
        assertEquals((16.5 - 42) / 1e6, dept.value(), 1e-15);
        assertEquals(12, r.points().stream().filter(p -> p.territory().equals("034")).count());
        TrendSavings.TrendPoint march = r.points().stream()
                .filter(p -> p.territory().equals("034") && p.month().equals(YearMonth.of(2024, 3))).findFirst().orElseThrow();
        assertEquals(40.0, march.observed());
        assertEquals(11.0, march.expected(), 1e-12);
    }

    @Test
    void growthComparesAWindowWithTheOneTwelveMonthsBefore() {
        Windows twoYears = new Windows(YearMonth.of(2023, 12), YearMonth.of(2024, 12), 12);
        Dataset<Row> ben = SharedSpark.get().createDataFrame(List.of(ben("p1", "034", 1), ben("q1", "031", 2)),
                SndsTable.IR_BEN_R.schema());
        Dataset<Row> ald = SharedSpark.get().createDataFrame(List.<Row>of(), SndsTable.IR_IMB_R.schema());
        Population.Insured population = Population.byWindow(ben, ald, twoYears, SETTINGS.ageBands());
        // Every event table the catalogue's measures read must be present, even empty.
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS),
                EventTable.DISPENSATIONS, table(EventTable.DISPENSATIONS,
                hospitalDrug("p1", "2023-04-02", 200), hospitalDrug("p1", "2024-04-02", 250),
                hospitalDrug("q1", "2023-06-02", 100), hospitalDrug("q1", "2024-06-02", 80),
                dispensation("q1:1", "2024-06-02", "GP", "031", 44, 2, false, "A01", "G1", 2, 1, 999.0, false)));
        Dataset<Row> windows = StratifiedCube.patientWindows(events, twoYears, SETTINGS);
        List<IndicatorValue> values = RatioIndicators.compute(
                StratifiedCube.build(population, windows, SETTINGS).collectAsList(), SETTINGS, REGION, (o, e) -> new double[2]);
        List<IndicatorValue> growth = values.stream()
                .filter(v -> v.indicator().equals("hospital-growth") && v.windowMonth().equals(YearMonth.of(2024, 12))).toList();
        // 034: 200 -> 250 = +25 %; 031: 100 -> 80 = -20 %; region: 300 -> 330 = +10 %.
        assertEquals(25.0, find(growth, "hospital-growth", "034").value(), 1e-9);
        assertEquals(-20.0, find(growth, "hospital-growth", "031").value(), 1e-9);
        assertEquals(10.0, find(growth, "hospital-growth", REGION).value(), 1e-9);
        assertEquals(330.0, find(growth, "hospital-growth", REGION).numerator());
        // The 2023 window has no window a year before it: no growth.
        assertNull(values.stream().filter(v -> v.indicator().equals("hospital-growth") && v.territory().equals(REGION)
                && v.windowMonth().equals(YearMonth.of(2023, 12))).findFirst().orElseThrow().value());
    }

    static Row hospitalDrug(String patient, String date, double amount) {
        return dispensation(patient + ":1", date, "H", "034", 44, 1, false, "L04AX", null, 0, 1, amount, true);
    }
}
