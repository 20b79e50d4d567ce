package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.testing.EventRows.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fr.atypie.events.EventTable;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.settings.Section;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The one-pass roll-up of months into windows ({@link StratifiedCube#measureWindows}) gives, digit
 * for digit, what the relational definition gives (months aggregated by Spark, exploded into their
 * windows, aggregated again, distinct molecules joined in), for every kind of measure, the key sets
 * of the indicators and of the profiles and series, and windows of every shape the job uses
 * (monthly, a pair a year apart) and a shorter one on a step.
 */
class WindowRollUpTest {
    private static final IndicatorSettings EVERY_KIND = IndicatorSettings.from(Section.of(ConfigFactory.parseString("""
            atypie.indicators {
              window-months = 12, age-bands = [0, 16, 65], spell-max-gap-days = 2
              measures {
                ij-days { events = sick-leave-periods, value = paid-days, filter { risk = sickness } }
                ij-amount { events = sick-leave-periods, value = amount }
                ij-spells { events = sick-leave-periods, value = spells, filter { risk = sickness } }
                ij-patient { events = sick-leave-periods, value = flag, filter { risk = sickness } }
                generic-boxes { events = dispensations, value = boxes, filter { generic-types = [2] } }
                drug-lines { events = dispensations, value = lines }
                antibiotic-prescriptions { events = dispensations, value = prescriptions, filter { atc-prefixes = ["J01"] } }
                molecules { events = dispensations, value = distinct-atc, filter { hospital-prescription = false } }
                hospital-amount { events = dispensations, value = amount, filter { hospital-prescription = true } }
                consulted { events = consultations, value = flag }
                transport-amount { events = transports, value = amount }
              }
              catalogue {}
            }"""), "atypie.indicators"));

    /**
     * 60 patients over 30 care months (2023-01 to 2025-06), seeded: each patient sees a few of five
     * prescribers, so keys share months and months share keys; amounts with thirds and cents (the
     * micro-unit rounding), molecules repeated across months, filters that leave months without a
     * counted event, patients with one table only.
     */
    private static Map<EventTable, Dataset<Row>> events() {
        Random random = new Random(20261206);
        String[] atc = {"J01CA04", "J01FA10", "N02BE01", "C10AA05", "A10BA02", "J01CR02"};
        List<Row> periods = new ArrayList<>();
        List<Row> drugs = new ArrayList<>();
        List<Row> visits = new ArrayList<>();
        List<Row> rides = new ArrayList<>();
        for (int p = 0; p < 60; p++) {
            String patient = "p" + p;
            int sex = 1 + p % 2;
            boolean ald = p % 7 == 0;
            int events = 2 + random.nextInt(25);
            for (int e = 0; e < events; e++) {
                LocalDate day = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(910));
                String prescriber = "GP" + random.nextInt(p % 3 == 0 ? 1 : 5);
                String date = day.toString();
                switch (p % 5 == 4 ? 1 : random.nextInt(4)) {
                    case 0 -> periods.add(ij(patient, date, day.plusDays(random.nextInt(40)).toString(), random.nextInt(30),
                            random.nextInt(3) == 0 ? 100.0 / 3 : random.nextInt(500_00) / 100.0, prescriber,
                            random.nextInt(4) == 0 ? RISK_WORK_ACCIDENT : RISK_SICKNESS, "034", 40, sex, ald));
                    case 1 -> drugs.add(dispensation(patient, date, prescriber, "034", 40, sex, ald, atc[random.nextInt(atc.length)],
                            "G1", random.nextInt(3), 1 + random.nextInt(3), random.nextInt(2) == 0 ? 1.0 / 3 : random.nextInt(90_00) / 100.0,
                            random.nextInt(5) == 0));
                    case 2 -> visits.add(consultation(patient, date, prescriber, 1, "034", 40, sex, ald));
                    default -> rides.add(transport(patient, date, prescriber, "034", 40, sex, ald, random.nextInt(200_00) / 100.0));
                }
            }
        }
        return Map.of(
                EventTable.SICK_LEAVE_PERIODS, SickLeaveSpells.markOpenings(table(EventTable.SICK_LEAVE_PERIODS, periods.toArray(Row[]::new)), 2),
                EventTable.DISPENSATIONS, table(EventTable.DISPENSATIONS, drugs.toArray(Row[]::new)),
                EventTable.CONSULTATIONS, table(EventTable.CONSULTATIONS, visits.toArray(Row[]::new)),
                EventTable.TRANSPORTS, table(EventTable.TRANSPORTS, rides.toArray(Row[]::new)));
    }

    @Test
    void perPatientOnMonthlyAndShortWindows() {
        Map<EventTable, Dataset<Row>> events = events();
        assertSameWindows(events, new Windows(YearMonth.of(2024, 1), YearMonth.of(2024, 12), 12), List.of(PATIENT), 400);
        assertSameWindows(events, new Windows(YearMonth.of(2023, 2), YearMonth.of(2025, 6), 3, 2), List.of(PATIENT), 300);
    }

    /** The series' keys (the patient second, as the profiles'), on the profiles' pair of windows. */
    @Test
    void perPrescriberAndPatientOnAPairOfWindows() {
        assertSameWindows(events(), Windows.pair(YearMonth.of(2023, 12), YearMonth.of(2024, 12), 12),
                List.of(PRESCRIBER, PATIENT, SEX, ALD), 200);
    }

    /**
     * A refresh moves its events by patient once, for every measure and more care months than one roll-up
     * reads, keeps them, and rolls subsets of the measures up over other keys and windows, some rows left
     * out (the trend's peers): each gives the rows of the roll-up built alone on its own events. Here the
     * prescriptions are counted per patient (texts) and per prescriber (a day's bit), and a roll-up reads
     * two tables of four.
     */
    @Test
    void aRunsContributionsServeEachRollUp() {
        Map<EventTable, Dataset<Row>> events = events();
        var all = EVERY_KIND.measures();
        PatientContributions run = PatientContributions.of(events, all.values(), List.of(PRESCRIBER, PATIENT, AGE, SEX, ALD),
                YearMonth.of(2023, 1), YearMonth.of(2025, 6)).persist();
        try {
            Windows year = new Windows(YearMonth.of(2024, 1), YearMonth.of(2024, 12), 12);
            assertSameRows(StratifiedCube.measureWindows(events, year, all.values(), List.of(PATIENT)),
                    run.windows(year, all.values(), List.of(col(PATIENT)), lit(true)), 400, "per patient");
            var two = List.of(all.get("antibiotic-prescriptions"), all.get("ij-spells"));
            Windows pair = Windows.pair(YearMonth.of(2023, 12), YearMonth.of(2024, 12), 12);
            assertSameRows(StratifiedCube.measureWindows(events, pair, two, List.of(PRESCRIBER, PATIENT)),
                    run.windows(pair, two, List.of(col(PRESCRIBER), col(PATIENT)), lit(true)), 100, "two measures per prescriber");
            Windows quarters = new Windows(YearMonth.of(2023, 3), YearMonth.of(2025, 6), 3);
            Map<EventTable, Dataset<Row>> ofTwo = new java.util.EnumMap<>(EventTable.class);
            events.forEach((t, e) -> ofTwo.put(t, e.where(col(PRESCRIBER).isin("GP1", "GP3"))));
            assertSameRows(StratifiedCube.measureWindows(ofTwo, quarters, all.values(), List.of(PRESCRIBER, PATIENT, SEX, ALD)),
                    run.windows(quarters, all.values(), List.of(col(PRESCRIBER), col(PATIENT), col(SEX), col(ALD)),
                            col(PRESCRIBER).isin("GP1", "GP3")), 100, "two prescribers' quarters");
        } finally {
            run.unpersist();
        }
    }

    /** Contributions answer only for their measures and months: anything else would roll up nothing, silently. */
    @Test
    void contributionsRefuseMeasuresAndMonthsTheyLack() {
        var all = EVERY_KIND.measures();
        PatientContributions run = PatientContributions.of(events(), List.of(all.get("consulted")), List.of(PATIENT),
                YearMonth.of(2024, 1), YearMonth.of(2024, 12));
        Windows year = new Windows(YearMonth.of(2024, 12), YearMonth.of(2024, 12), 12);
        run.windows(year, List.of(all.get("consulted")), List.of(col(PATIENT)), lit(true));
        assertThrows(IllegalArgumentException.class,
                () -> run.windows(year, List.of(all.get("drug-lines")), List.of(col(PATIENT)), lit(true)));
        assertThrows(IllegalArgumentException.class, () -> run.windows(new Windows(YearMonth.of(2025, 1), YearMonth.of(2025, 1), 12),
                List.of(all.get("consulted")), List.of(col(PATIENT)), lit(true)));
    }

    /** Same schema, same rows, every double to its last bit; at least {@code minRows} rows (the data reaches the windows). */
    private static void assertSameWindows(Map<EventTable, Dataset<Row>> events, Windows windows, List<String> keys, int minRows) {
        var measures = EVERY_KIND.measures().values();
        Dataset<Row> oneByOne = StratifiedCube.measureWindows(events, windows, measures, keys);
        Dataset<Row> relational = StratifiedCube.measureWindowsByAggregation(
                StratifiedCube.measureMonths(events, measures, keys), events, windows, measures, keys);
        assertSameRows(relational, oneByOne, minRows, windows + " by " + keys);
    }

    private static void assertSameRows(Dataset<Row> reference, Dataset<Row> rolledUp, int minRows, String what) {
        assertEquals(reference.schema().simpleString(), rolledUp.schema().simpleString());
        List<String> expected = sorted(reference);
        assertTrue(expected.size() >= minRows, expected.size() + " rows " + what);
        List<String> actual = sorted(rolledUp);
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "row " + i + " " + what);
        }
        assertEquals(expected.size(), actual.size(), "rows " + what);
    }

    /** Rows as text, doubles as Double.toString gives them (their shortest exact digits), sorted. */
    private static List<String> sorted(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().toList();
    }
}
