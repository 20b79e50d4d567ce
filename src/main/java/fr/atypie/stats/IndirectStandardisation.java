package fr.atypie.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import fr.atypie.errors.InputError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Indirect standardisation (case mix). Input cells: one row per (unit, stratum) with the unit's
 * denominator n (patients or person-months) and observed count in that stratum; a stratum is one
 * or more columns (age band × sex × ALD). Reference rates r_s = Σ observed / Σ n over the reference
 * (the same cells by default, i.e. all peers; or separate reference cells, e.g. the whole region
 * for departments), optionally per reference group (peer group). Then per unit
 * E = Σ_s n_s·r_s, O = Σ observed, SR = O/E with its exact Poisson interval (Garwood), computed by a
 * UDF so it scales to thousands of prescribers as well as to 13 departments.
 */
public final class IndirectStandardisation {
    private IndirectStandardisation() {}

    /**
     * Column names of the cells.
     *
     * @param table          name used in error messages (e.g. "prescriber cells")
     * @param unit           unit id (prescriber, department)
     * @param strata         stratum columns (e.g. age_band, sex, ald)
     * @param denominator    n of the unit in the stratum
     * @param observed       observed count of the unit in the stratum
     * @param referenceGroup column grouping the reference (rates computed per group and stratum), or null for one reference
     */
    public record Cells(String table, String unit, List<String> strata, String denominator, String observed,
                        String referenceGroup) {
        public Cells {
            strata = List.copyOf(strata);
            if (strata.isEmpty()) {
                throw new IllegalArgumentException("at least one stratum column is needed");
            }
        }

        List<String> keys() {
            return referenceGroup == null ? strata
                    : Stream.concat(Stream.of(referenceGroup), strata.stream()).toList();
        }

        List<String> unitKeys() {
            return referenceGroup == null ? List.of(unit) : List.of(referenceGroup, unit);
        }
    }

    /** Reference rate per (reference group,) stratum: Σ observed / Σ n (null where Σ n = 0). */
    public static Dataset<Row> referenceRates(Dataset<Row> reference, Cells c) {
        check(reference, c, c.table() + " (reference)");
        Column[] keys = c.keys().stream().map(IndirectStandardisation::column).toArray(Column[]::new);
        return reference.groupBy(keys)
                .agg(sum(col(c.observed()).cast("double")).as("ref_observed"),
                        sum(col(c.denominator()).cast("double")).as("ref_n"))
                .withColumn(StatsColumns.REFERENCE_RATE,
                        when(col("ref_n").gt(0), col("ref_observed").divide(col("ref_n"))))
                .drop("ref_observed", "ref_n");
    }

    /** Standardises the units against their own cells as the reference (all peers). */
    public static Dataset<Row> standardise(Dataset<Row> cells, Cells c, double level) {
        return standardise(cells, cells, c, level);
    }

    /**
     * Standardises the units of {@code cells} against {@code reference} (same column names).
     * Output: [reference group,] unit, observed, expected, sr, sr_lower, sr_upper, sorted by
     * [group,] unit. A unit with E = 0 (no denominator in any stratum with events) gets null ratios.
     *
     * @throws InputError when cells fall in strata absent from the reference, or values are null/negative
     */
    public static Dataset<Row> standardise(Dataset<Row> cells, Dataset<Row> reference, Cells c, double level) {
        check(cells, c, c.table());
        Dataset<Row> rates = referenceRates(reference, c);
        Dataset<Row> joined = cells.join(rates, scalaSeq(c.keys()), "left");

        long orphans = joined.filter(col(c.denominator()).gt(0).and(col(StatsColumns.REFERENCE_RATE).isNull())).count();
        if (orphans > 0) {
            throw new InputError(c.table() + ": " + orphans + " row(s) with a positive '" + c.denominator()
                    + "' fall in strata (" + String.join(", ", c.keys()) + ") that have no denominator in the reference");
        }

        Column[] unitKeys = c.unitKeys().stream().map(IndirectStandardisation::column).toArray(Column[]::new);
        Column e = col(StatsColumns.EXPECTED);
        Column o = col(StatsColumns.OBSERVED);
        UserDefinedFunction lower = udf((UDF2<Double, Double, Double>) (obs, exp) ->
                exp == null || obs == null || !(exp > 0) ? null : PoissonInterval.lowerLimit(obs, level) / exp,
                DataTypes.DoubleType);
        UserDefinedFunction upper = udf((UDF2<Double, Double, Double>) (obs, exp) ->
                exp == null || obs == null || !(exp > 0) ? null : PoissonInterval.upperLimit(obs, level) / exp,
                DataTypes.DoubleType);
        return joined.groupBy(unitKeys)
                .agg(sum(col(c.observed()).cast("double")).as(StatsColumns.OBSERVED),
                        sum(col(c.denominator()).cast("double")
                                .multiply(functionsCoalesce(col(StatsColumns.REFERENCE_RATE)))).as(StatsColumns.EXPECTED))
                .withColumn(StatsColumns.SR, when(e.gt(0), o.divide(e)))
                .withColumn(StatsColumns.SR_LOWER, lower.apply(o, e))
                .withColumn(StatsColumns.SR_UPPER, upper.apply(o, e))
                .orderBy(unitKeys);
    }

    private static Column functionsCoalesce(Column rate) {
        // n = 0 cells of a stratum without reference denominator contribute nothing.
        return coalesce(rate, lit(0.0));
    }

    private static Column column(String name) {
        return col(name);
    }

    private static void check(Dataset<Row> ds, Cells c, String table) {
        List<String> all = new ArrayList<>(List.of(c.unit(), c.denominator(), c.observed()));
        all.addAll(c.strata());
        if (c.referenceGroup() != null) {
            all.add(c.referenceGroup());
        }
        InputChecks.requireColumns(ds, table, all, List.of(c.denominator(), c.observed()));
        InputChecks.requireValues(ds, table, all, List.of(c.denominator(), c.observed()));
    }

    static scala.collection.Seq<String> scalaSeq(List<String> xs) {
        return scala.collection.JavaConverters.asScalaBuffer(xs).toSeq();
    }
}
