package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.errors.InputError;
import fr.atypie.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class IndirectStandardisationTest {

    private static final StructType SCHEMA = new StructType()
            .add("peer_group", DataTypes.StringType)
            .add("prescriber", DataTypes.StringType)
            .add("age_band", DataTypes.StringType)
            .add("ald", DataTypes.BooleanType)
            .add("patients", DataTypes.LongType)
            .add("ij_spells", DataTypes.LongType);

    private static final IndirectStandardisation.Cells ONE_REFERENCE = new IndirectStandardisation.Cells(
            "prescriber cells", "prescriber", List.of("age_band", "ald"), "patients", "ij_spells", null);

    private static Dataset<Row> cells(Object[]... rows) {
        return SharedSpark.get().createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
    }

    /**
     * Strata (age band × ALD): A has young patients with ALD, C only old ones.
     * young/ALD: A 100 patients 10 spells, B 300 / 20 → r = 30/400 = 0.075
     * old/no ALD: A 50 / 20, B 50 / 10, C 100 / 30 → r = 60/200 = 0.3
     * E_A = 100·0.075 + 50·0.3 = 22.5, O_A = 30, SR 4/3
     * E_B = 300·0.075 + 50·0.3 = 37.5, O_B = 30, SR 0.8
     * E_C = 100·0.3 = 30, O_C = 30, SR 1: C has the highest raw rate (0.3) only because its
     * patients are old; standardised, it is exactly at the norm.
     */
    private static Dataset<Row> threePrescribers() {
        return cells(
                new Object[] {"gp", "A", "18-39", true, 100L, 10L},
                new Object[] {"gp", "A", "60+", false, 50L, 20L},
                new Object[] {"gp", "B", "18-39", true, 300L, 20L},
                new Object[] {"gp", "B", "60+", false, 50L, 10L},
                new Object[] {"gp", "C", "60+", false, 100L, 30L});
    }

    @Test
    void expectedCountsAndRatiosFromReferenceRates() {
        List<Row> rows = IndirectStandardisation.standardise(threePrescribers(), ONE_REFERENCE, 0.95).collectAsList();
        assertEquals(3, rows.size());
        double[][] expected = {{30, 22.5, 4.0 / 3}, {30, 37.5, 0.8}, {30, 30, 1.0}};
        String[] ids = {"A", "B", "C"};
        for (int i = 0; i < 3; i++) {
            Row r = rows.get(i);
            assertEquals(ids[i], r.getAs("prescriber"));
            assertEquals(expected[i][0], (double) r.getAs(StatsColumns.OBSERVED), 1e-12);
            assertEquals(expected[i][1], (double) r.getAs(StatsColumns.EXPECTED), 1e-12);
            assertEquals(expected[i][2], (double) r.getAs(StatsColumns.SR), 1e-12);
            PoissonInterval.Ratio ci = PoissonInterval.ratio(30, expected[i][1], 0.95);
            assertEquals(ci.lower(), (double) r.getAs(StatsColumns.SR_LOWER), 1e-12);
            assertEquals(ci.upper(), (double) r.getAs(StatsColumns.SR_UPPER), 1e-12);
        }
        // Garwood 95 % for O = 30: 20.2409–42.8269, so SR of C (E = 30) is 0.6747–1.4276.
        assertEquals(20.2409 / 30, (double) rows.get(2).getAs(StatsColumns.SR_LOWER), 1e-5);
        assertEquals(42.8269 / 30, (double) rows.get(2).getAs(StatsColumns.SR_UPPER), 1e-5);

        List<Row> rates = IndirectStandardisation.referenceRates(threePrescribers(), ONE_REFERENCE)
                .orderBy("age_band").collectAsList();
        assertEquals(0.075, (double) rates.get(0).getAs(StatsColumns.REFERENCE_RATE), 1e-12);
        assertEquals(0.3, (double) rates.get(1).getAs(StatsColumns.REFERENCE_RATE), 1e-12);
    }

    @Test
    void ratesPerReferenceGroup() {
        // Group "spe": D 10 / 1 and E 10 / 3 in 18-39 → r = 4/20 = 0.2, E_D = E_E = 2, SR 0.5 and 1.5.
        // Group "gp" is unchanged by the other group's cells.
        Dataset<Row> cells = threePrescribers().union(cells(
                new Object[] {"spe", "D", "18-39", true, 10L, 1L},
                new Object[] {"spe", "E", "18-39", true, 10L, 3L}));
        IndirectStandardisation.Cells perGroup = new IndirectStandardisation.Cells(
                "prescriber cells", "prescriber", List.of("age_band", "ald"), "patients", "ij_spells", "peer_group");
        List<Row> rows = IndirectStandardisation.standardise(cells, perGroup, 0.95).collectAsList();
        assertEquals(List.of("A", "B", "C", "D", "E"), rows.stream().map(r -> (String) r.getAs("prescriber")).toList());
        assertEquals(22.5, (double) rows.get(0).getAs(StatsColumns.EXPECTED), 1e-12);
        assertEquals(2.0, (double) rows.get(3).getAs(StatsColumns.EXPECTED), 1e-12);
        assertEquals(0.5, (double) rows.get(3).getAs(StatsColumns.SR), 1e-12);
        assertEquals(1.5, (double) rows.get(4).getAs(StatsColumns.SR), 1e-12);
    }

    @Test
    void separateReferenceAndUnitsWithoutExpected() {
        // Units standardised against a reference that is not themselves (a department against the
        // region): reference r(18-39, ALD) = 0.075 and r(60+) = 0.3 from the three prescribers.
        // Unit X: 40 patients 18-39/ALD, 6 spells → E = 3, SR 2. Unit Y: 0 patients in 60+, 0 spells → E = 0, SR null.
        Dataset<Row> units = cells(
                new Object[] {"dept", "X", "18-39", true, 40L, 6L},
                new Object[] {"dept", "Y", "60+", false, 0L, 0L});
        List<Row> rows = IndirectStandardisation.standardise(units, threePrescribers(), ONE_REFERENCE, 0.95).collectAsList();
        assertEquals(3.0, (double) rows.get(0).getAs(StatsColumns.EXPECTED), 1e-12);
        assertEquals(2.0, (double) rows.get(0).getAs(StatsColumns.SR), 1e-12);
        assertEquals(0.0, (double) rows.get(1).getAs(StatsColumns.EXPECTED), 1e-12);
        assertNull(rows.get(1).getAs(StatsColumns.SR));
        assertNull(rows.get(1).getAs(StatsColumns.SR_LOWER));
    }

    @Test
    void badInputNamesTableColumnRowsAndReason() {
        Dataset<Row> orphan = cells(new Object[] {"gp", "Z", "40-59", true, 12L, 1L});
        InputError e = assertThrows(InputError.class,
                () -> IndirectStandardisation.standardise(orphan, threePrescribers(), ONE_REFERENCE, 0.95));
        assertEquals("prescriber cells: 1 row(s) with a positive 'patients' fall in strata (age_band, ald)"
                + " that have no denominator in the reference", e.getMessage());

        Dataset<Row> bad = cells(
                new Object[] {"gp", "A", "18-39", true, 100L, null},
                new Object[] {"gp", "B", "18-39", true, -3L, 1L},
                new Object[] {"gp", "C", "18-39", true, -1L, 1L});
        InputError v = assertThrows(InputError.class,
                () -> IndirectStandardisation.standardise(bad, ONE_REFERENCE, 0.95));
        assertEquals("prescriber cells: 1 row(s): column 'ij_spells' is null;"
                + " 2 row(s): column 'patients' is negative or NaN", v.getMessage());

        InputError missing = assertThrows(InputError.class, () -> IndirectStandardisation.standardise(
                threePrescribers().drop("ald"), ONE_REFERENCE, 0.95));
        assertEquals("prescriber cells: column 'ald' is missing (columns: peer_group, prescriber, age_band,"
                + " patients, ij_spells)", missing.getMessage());
    }
}
