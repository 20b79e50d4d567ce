package fr.atypie.atypie;

import static fr.atypie.atypie.PrescriberProfiles.*;
import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static fr.atypie.testing.EventRows.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.indicators.PatientContributions;
import fr.atypie.testing.SharedSpark;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The profile sheets' series: each window's O, N and E against the peers' stratum rates, by hand. */
class PrescriberTrendTest {
    static final YearMonth NOV = YearMonth.of(2024, 11);
    static final YearMonth DEC = YearMonth.of(2024, 12);
    /** AtypieTest's settings: its one metric, the share of working-age patients (16-64) with IJ. */
    static final IndicatorSettings INDICATORS = AtypieTest.INDICATORS;
    static final AtypieSettings SETTINGS = AtypieTest.SETTINGS;

    /**
     * GP1 and GP2 are peers; GP3 is not assessed (left out, and not a peer). Men without ALD and
     * women with ALD, aged 44; g, aged 70, is outside the metric's 16-64 filter.
     * November: GP1 sees a (man, IJ) and d (woman); GP2 sees e (man) and f (woman, IJ).
     * December: GP1 sees a, b (men) and g (70); GP2 sees e (man, IJ); GP3 sees b (IJ).
     */
    static Map<EventTable, Dataset<Row>> events() {
        return Map.of(EventTable.CONSULTATIONS, table(EventTable.CONSULTATIONS,
                        consultation("a:1", "2024-11-04", "GP1", 1, "034", 44, 1, false),
                        consultation("d:1", "2024-11-05", "GP1", 1, "034", 44, 2, true),
                        consultation("e:1", "2024-11-06", "GP2", 1, "034", 44, 1, false),
                        consultation("f:1", "2024-11-07", "GP2", 1, "034", 44, 2, true),
                        consultation("a:1", "2024-12-02", "GP1", 1, "034", 44, 1, false),
                        consultation("b:1", "2024-12-03", "GP1", 1, "034", 44, 1, false),
                        consultation("g:1", "2024-12-03", "GP1", 1, "034", 70, 1, false),
                        consultation("e:1", "2024-12-04", "GP2", 1, "034", 44, 1, false),
                        consultation("b:1", "2024-12-05", "GP3", 1, "034", 44, 1, false)),
                EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS,
                        ij("a:1", "2024-11-04", "2024-11-10", 7, 280, "GP1", RISK_SICKNESS, "034", 44, 1, false),
                        ij("f:1", "2024-11-07", "2024-11-20", 14, 560, "GP2", RISK_SICKNESS, "034", 44, 2, true),
                        ij("e:1", "2024-12-04", "2024-12-08", 5, 200, "GP2", RISK_SICKNESS, "034", 44, 1, false),
                        ij("b:1", "2024-12-05", "2024-12-09", 5, 200, "GP3", RISK_SICKNESS, "034", 44, 1, false)));
    }

    static Dataset<Row> peers() {
        return SharedSpark.get().createDataFrame(List.of(RowFactory.create("GP1", "general-practice|0"),
                RowFactory.create("GP2", "general-practice|0")), new StructType().add(EventColumns.PRESCRIBER, DataTypes.StringType)
                .add(PEER_GROUP, DataTypes.StringType));
    }

    static List<Row> rows(Dataset<Row> series) {
        return series.orderBy(EventColumns.PRESCRIBER, PrescriberTrend.MONTH).collectAsList();
    }

    @Test
    void monthByMonthEachPrescriberAgainstItsPeersOnTheSamePatients() {
        assertMonthByMonth(rows(PrescriberTrend.series(events(), peers(), NOV, DEC, 1, INDICATORS, SETTINGS.metrics())));
    }

    /** A refresh's contributions: every measure of the settings, more months than the series', kept for several roll-ups. */
    @Test
    void fromARunsContributionsTheSameSeries() {
        PatientContributions run = PatientContributions.of(events(), INDICATORS.measures().values(), PrescriberTrend.CARRIED,
                YearMonth.of(2024, 1), DEC).persist();
        try {
            assertMonthByMonth(rows(PrescriberTrend.series(run, peers(), NOV, DEC, 1, INDICATORS, SETTINGS.metrics())));
        } finally {
            run.unpersist();
        }
    }

    private static void assertMonthByMonth(List<Row> r) {
        // November, peer rates: men without ALD 1 of 2 (a; not e), women with ALD 1 of 2 (f; not d).
        // GP1: O = 1 (a), N = 2, E = 1 x 0.5 + 1 x 0.5 = 1. GP2: O = 1 (f), N = 2, E = 1.
        // December, men without ALD: 1 of 3 (e; not a, b); g (70) is outside the filter; GP3 is no peer.
        // GP1: O = 0, N = 2, E = 2/3. GP2: O = 1, N = 1, E = 1/3.
        assertEquals(4, r.size());
        assertRow(r.get(0), "GP1", NOV, 1, 2, 1.0, 1);
        assertRow(r.get(1), "GP1", DEC, 0, 2, 2.0 / 3, 0);
        assertRow(r.get(2), "GP2", NOV, 1, 2, 1.0, 1);
        assertRow(r.get(3), "GP2", DEC, 1, 1, 1.0 / 3, 1);
        assertEquals("general-practice|0", r.get(0).getAs(PEER_GROUP));
        assertEquals("sick-leave/patients-with-ij", r.get(0).getAs(METRIC));
    }

    @Test
    void aLongerWindowPoolsItsMonthsPerPatient() {
        // December's 2-month window. GP1: a (IJ), b, men; d, woman: N = 3, O = 1. GP2: e (IJ), man; f (IJ), woman: N = 2, O = 2.
        // Peer rates: men 2 of 3 (a, e; not b), women 1 of 2 (f; not d). E(GP1) = 2 x 2/3 + 1 x 1/2 = 11/6; E(GP2) = 2/3 + 1/2 = 7/6.
        List<Row> r = rows(PrescriberTrend.series(events(), peers(), DEC, DEC, 2, INDICATORS, SETTINGS.metrics()));
        assertEquals(2, r.size());
        assertRow(r.get(0), "GP1", DEC, 1, 3, 11.0 / 6, 1);
        assertRow(r.get(1), "GP2", DEC, 2, 2, 7.0 / 6, 2);
    }

    private static void assertRow(Row r, String prescriber, YearMonth month, double observed, double denominator,
                                  double expected, long patients) {
        String at = prescriber + " " + month;
        assertEquals(prescriber, r.getAs(EventColumns.PRESCRIBER), at);
        assertEquals(java.sql.Date.valueOf(month.atDay(1)), r.getAs(PrescriberTrend.MONTH), at);
        assertEquals(observed, r.<Double>getAs(OBSERVED), 1e-12, at);
        assertEquals(denominator, r.<Double>getAs(DENOMINATOR), 1e-12, at);
        assertEquals(expected, r.<Double>getAs(EXPECTED), 1e-12, at);
        assertEquals(patients, r.<Long>getAs(NUMERATOR_PATIENTS), at);
    }
}
