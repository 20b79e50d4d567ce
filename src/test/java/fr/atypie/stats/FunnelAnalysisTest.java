package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FunnelAnalysisTest {

    private static final StructType RATIO_SCHEMA = new StructType()
            .add("peer_group", DataTypes.StringType)
            .add("prescriber", DataTypes.StringType)
            .add("o", DataTypes.DoubleType)
            .add("e", DataTypes.DoubleType);
    private static final FunnelAnalysis.Ratios RATIOS = new FunnelAnalysis.Ratios("prescriber ratios", "prescriber",
            "peer_group", "o", "e");

    private static Dataset<Row> ratios(List<Object[]> rows) {
        return SharedSpark.get().createDataFrame(rows.stream().map(RowFactory::create).toList(), RATIO_SCHEMA);
    }

    private static double d(Row r, String c) {
        return r.getAs(c);
    }

    private static int i(Row r, String c) {
        return r.getAs(c);
    }

    /**
     * Group "gp": O = 2, 10, 30; E = 4, 10, 20.
     * z = −1, 0, 10/√20 = √5 = 2.2360680. Type-7 10th/90th percentiles of (−1, 0, √5): −0.8 and
     * 0.8·√5; winsorised squares 0.64, 0, 3.2 → φ = 1.28 > 1 → z_adj = z/√1.28; for the third unit
     * √(5/1.28) = 1.9764235 > 1.96: beyond the 95 % funnel limit, not the 99.8 % one.
     * τ² (w = E: Σw 34, Σw² 516): (3·1.28 − 2)/(34 − 516/34) = 62.56/640 = 0.09775.
     * EB (see EmpiricalBayesTest): m = 21/17, α = 126, β = 102; SR* = 128/106, 136/112, 156/122.
     * Confirmation: SR* of the third unit 1.2787 is below the corrected limit 1 + 1.96·√(1.28/20)
     * = 1.4958, so flag_95 = 0. Percentiles of SR*: 0, 50, 100.
     * Group "spe": O = E = 5 and 7 (z = 0 → φ = 0, no correction; v < 0 → degenerate, SR* = m = 1),
     * plus a unit with E = 0: null statistics. Equal SR* → tie broken by id: s1 0, s3 100.
     */
    private static Dataset<Row> handBuilt() {
        return ratios(List.of(
                new Object[] {"gp", "g1", 2.0, 4.0},
                new Object[] {"gp", "g2", 10.0, 10.0},
                new Object[] {"gp", "g3", 30.0, 20.0},
                new Object[] {"spe", "s3", 7.0, 7.0},
                new Object[] {"spe", "s2", 0.0, 0.0},
                new Object[] {"spe", "s1", 5.0, 5.0}));
    }

    @Test
    void handComputedMultiplicative() {
        List<Row> rows = FunnelAnalysis.ratios(handBuilt(), RATIOS, MethodsSettings.DEFAULTS).collectAsList();
        assertEquals(List.of("g1", "g2", "g3", "s1", "s2", "s3"),
                rows.stream().map(r -> (String) r.getAs("prescriber")).toList());
        Row g3 = rows.get(2);
        assertEquals(Math.sqrt(5), d(g3, StatsColumns.Z), 1e-12);
        assertEquals(1.28, d(g3, StatsColumns.PHI), 1e-12);
        assertEquals(0.09775, d(g3, StatsColumns.TAU2), 1e-12);
        assertEquals("multiplicative", g3.getAs(StatsColumns.OVER_DISPERSION));
        assertEquals(Math.sqrt(5 / 1.28), d(g3, StatsColumns.Z_ADJUSTED), 1e-12);
        assertEquals(1.9764235, d(g3, StatsColumns.Z_ADJUSTED), 1e-7);
        assertEquals(1, i(g3, StatsColumns.FUNNEL_95));
        assertEquals(0, i(g3, StatsColumns.FUNNEL_998));
        assertEquals(0, i(g3, StatsColumns.FLAG_95));
        assertEquals(126, d(g3, StatsColumns.EB_ALPHA), 1e-9);
        assertEquals(102, d(g3, StatsColumns.EB_BETA), 1e-9);
        assertEquals(21.0 / 17, d(g3, StatsColumns.PEER_MEAN), 1e-12);
        assertEquals(156.0 / 122, d(g3, StatsColumns.SR_SHRUNK), 1e-9);
        assertEquals(128.0 / 106, d(rows.get(0), StatsColumns.SR_SHRUNK), 1e-9);
        assertEquals(136.0 / 112, d(rows.get(1), StatsColumns.SR_SHRUNK), 1e-9);
        double[] ci = EmpiricalBayes.fit(new double[] {2, 10, 30}, new double[] {4, 10, 20}).interval(30, 20, 0.95);
        assertEquals(ci[0], d(g3, StatsColumns.SR_SHRUNK_LOWER), 1e-12);
        assertEquals(ci[1], d(g3, StatsColumns.SR_SHRUNK_UPPER), 1e-12);
        assertEquals(List.of(0.0, 50.0, 100.0), rows.subList(0, 3).stream()
                .map(r -> d(r, StatsColumns.PEER_PERCENTILE)).toList());
        assertEquals(3, i(g3, StatsColumns.PEER_UNITS));

        Row s1 = rows.get(3);
        Row s2 = rows.get(4);
        Row s3 = rows.get(5);
        assertEquals(0.0, d(s1, StatsColumns.PHI), 1e-12);
        assertEquals("none", s1.getAs(StatsColumns.OVER_DISPERSION));
        assertNull(s1.getAs(StatsColumns.EB_ALPHA));
        assertEquals(1.0, d(s1, StatsColumns.SR_SHRUNK), 1e-12);
        assertEquals(1.0, d(s3, StatsColumns.SR_SHRUNK_UPPER), 1e-12);
        assertEquals(0.0, d(s1, StatsColumns.PEER_PERCENTILE));
        assertEquals(100.0, d(s3, StatsColumns.PEER_PERCENTILE));
        assertEquals(2, i(s1, StatsColumns.PEER_UNITS));
        assertNull(s2.getAs(StatsColumns.Z));
        assertNull(s2.getAs(StatsColumns.SR_SHRUNK));
        assertNull(s2.getAs(StatsColumns.FLAG_998));
        assertNull(s2.getAs(StatsColumns.PEER_PERCENTILE));
    }

    @Test
    void handComputedAdditive() {
        MethodsSettings additive = new MethodsSettings(1.96, 3.09, true, 0.10, OverDispersion.Estimator.WINSORISED,
                OverDispersion.Mode.ADDITIVE, 0.95, 1000, 1L);
        List<Row> rows = FunnelAnalysis.ratios(handBuilt(), RATIOS, additive).collectAsList();
        // g3: (1.5 − 1)/√(1/20 + 0.09775) = 0.5/√0.14775 = 1.3007872; g1: (0.5 − 1)/√(0.25 + 0.09775) = −0.8478…
        assertEquals("additive", rows.get(2).getAs(StatsColumns.OVER_DISPERSION));
        assertEquals(0.5 / Math.sqrt(0.14775), d(rows.get(2), StatsColumns.Z_ADJUSTED), 1e-12);
        assertEquals(-0.5 / Math.sqrt(0.34775), d(rows.get(0), StatsColumns.Z_ADJUSTED), 1e-12);
        assertEquals(0, i(rows.get(2), StatsColumns.FUNNEL_95));
    }

    /**
     * Planted truth: 200 GPs with E spread from 2 to 400 (log scale), O ~ Poisson(E), except four
     * with true SR 2.5 and E between 150 and 300; plus a tiny practice with O = 3, E = 0.5 (raw
     * z = 2.5/√0.5 = 3.54, beyond the 99.8 % limit by chance). The 99.8 % flag must find the four,
     * at most two others, and not the tiny practice, whose SR* stays close to 1.
     */
    @Test
    void plantedAtypicalPrescribersAreFoundAndTheTinyPracticeIsNot() {
        SplittableRandom random = new SplittableRandom(2024);
        List<Object[]> rows = new ArrayList<>();
        TreeSet<String> planted = new TreeSet<>();
        for (int k = 0; k < 200; k++) {
            String id = String.format("gp%03d", k);
            double e = 2 * Math.pow(200, k / 199.0);
            double sr = 1.0;
            if (k == 160 || k == 170 || k == 180 || k == 190) { // E ≈ 140, 185, 245, 320
                sr = 2.5;
                planted.add(id);
            }
            rows.add(new Object[] {"gp", id, (double) poisson(random, e * sr), e});
        }
        rows.add(new Object[] {"gp", "tiny", 3.0, 0.5});
        Dataset<Row> out = FunnelAnalysis.ratios(ratios(rows), RATIOS, MethodsSettings.DEFAULTS);
        List<Row> result = out.collectAsList();

        TreeSet<String> flagged = new TreeSet<>();
        for (Row r : result) {
            if (i(r, StatsColumns.FLAG_998) == 1) {
                flagged.add(r.getAs("prescriber"));
            }
        }
        assertTrue(flagged.containsAll(planted), "flagged " + flagged);
        assertTrue(flagged.size() - planted.size() <= 2, "flagged " + flagged);
        Row tiny = result.stream().filter(r -> "tiny".equals(r.getAs("prescriber"))).findFirst().orElseThrow();
        assertEquals(2.5 / Math.sqrt(0.5), d(tiny, StatsColumns.Z), 1e-12);
        assertEquals(0, i(tiny, StatsColumns.FLAG_998));
        assertTrue(Math.abs(d(tiny, StatsColumns.SR_SHRUNK) - 1) < 0.5, "SR* " + d(tiny, StatsColumns.SR_SHRUNK));
        assertTrue(d(tiny, StatsColumns.PHI) < 1.5, "phi " + d(tiny, StatsColumns.PHI));

        // Deterministic: the same input gives the same rows.
        assertEquals(result, FunnelAnalysis.ratios(ratios(rows), RATIOS, MethodsSettings.DEFAULTS).collectAsList());
    }

    @Test
    void proportionsWithOverDispersion() {
        // 10, 20, 30, 40 of 100 → p0 = 0.25, s = √(0.1875/100); z = ±2√3, ±2/√3.
        // Winsorised at −4.8/√3 and 4.8/√3 (type 7, h = 0.3): squares 7.68, 4/3, 4/3, 7.68 → φ = 4.50666….
        // z_adj of 40/100: 2√3/√φ = 1.6318: raw z would be beyond 99.8 %, the corrected one is inside 95 %.
        StructType schema = new StructType().add("peer_group", DataTypes.IntegerType)
                .add("prescriber", DataTypes.StringType).add("generics", DataTypes.LongType).add("boxes", DataTypes.LongType);
        Dataset<Row> in = SharedSpark.get().createDataFrame(List.of(
                RowFactory.create(1, "a", 10L, 100L), RowFactory.create(1, "b", 20L, 100L),
                RowFactory.create(1, "c", 30L, 100L), RowFactory.create(1, "d", 40L, 100L)), schema);
        List<Row> rows = FunnelAnalysis.proportions(in,
                new FunnelAnalysis.Proportions("generic shares", "prescriber", "peer_group", "generics", "boxes"),
                MethodsSettings.DEFAULTS).collectAsList();
        double phi = (2 * 7.68 + 2 * 4.0 / 3) / 4;
        Row d = rows.get(3);
        assertEquals(0.25, d(d, StatsColumns.PEER_PROPORTION), 1e-12);
        assertEquals(0.4, d(d, StatsColumns.PROPORTION), 1e-12);
        assertEquals(2 * Math.sqrt(3), d(d, StatsColumns.Z), 1e-12);
        assertEquals(phi, d(d, StatsColumns.PHI), 1e-12);
        assertEquals(2 * Math.sqrt(3) / Math.sqrt(phi), d(d, StatsColumns.Z_ADJUSTED), 1e-12);
        assertEquals(0, i(d, StatsColumns.FLAG_95));
        double[] percentiles = {0.0, 100.0 / 3, 200.0 / 3, 100.0};
        for (int k = 0; k < 4; k++) {
            assertEquals(percentiles[k], d(rows.get(k), StatsColumns.PEER_PERCENTILE), 1e-9);
        }
    }

    /** Poisson variate by inversion, in chunks of mean ≤ 100 so e^{−λ} never underflows. */
    private static int poisson(SplittableRandom random, double lambda) {
        int total = 0;
        while (lambda > 0) {
            double l = Math.min(lambda, 100);
            lambda -= l;
            double u = random.nextDouble();
            double p = Math.exp(-l);
            double cdf = p;
            int k = 0;
            while (u > cdf && k < 10_000) {
                k++;
                p *= l / k;
                cdf += p;
            }
            total += k;
        }
        return total;
    }
}
