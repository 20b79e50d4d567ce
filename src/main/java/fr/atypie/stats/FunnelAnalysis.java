package fr.atypie.stats;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percent_rank;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import fr.atypie.errors.InputError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Funnel analysis of units against their peers (Spiegelhalter, 2005), with over-dispersion and
 * empirical-Bayes shrinkage, per peer group.
 *
 * <p>The per-group parameters (φ, τ², the Poisson-Gamma prior) are fitted on the driver with
 * {@link OverDispersion} and {@link EmpiricalBayes} from the collected (group, O, E) triples (a
 * few numbers per prescriber, so thousands to a few hundred thousand rows), then joined back:
 * one tested implementation, and Spark only for the per-unit columns.
 *
 * <p>Ratios (O, E): z = (O − E)/√E; z adjusted by the configured mode when φ &gt; 1; funnel
 * positions at the 95 % and 99.8 % limits; SR* = (O + α)/(E + β) with its posterior interval;
 * flags = funnel position confirmed by SR* (the shrunk ratio is beyond the same, corrected limit),
 * so a small practice extreme by chance is not flagged; percentile of SR* among peers (ties broken
 * by unit id). Units with E = 0 are kept with null statistics and left out of the fits.
 *
 * <p>Proportions (x of n): p0 = Σx/Σn per group, s = √(p0(1 − p0)/n), z = (p − p0)/s, the same
 * over-dispersion, flags from the funnel position, percentile of p among peers.
 */
public final class FunnelAnalysis {
    private FunnelAnalysis() {}

    /** Column names of a ratio input (one row per unit). */
    public record Ratios(String table, String unit, String peerGroup, String observed, String expected) {}

    /** Column names of a proportion input (one row per unit). */
    public record Proportions(String table, String unit, String peerGroup, String numerator, String denominator) {}

    /** Parameters fitted for one peer group. */
    public record PeerGroupFit(Object peerGroup, int units, OverDispersion overDispersion, EmpiricalBayes prior,
                               double peerProportion) {}

    /** Adds the funnel, over-dispersion and shrinkage columns to a ratio input; sorted by peer group and unit. */
    public static Dataset<Row> ratios(Dataset<Row> units, Ratios c, MethodsSettings m) {
        InputChecks.requireColumns(units, c.table(), List.of(c.unit(), c.peerGroup(), c.observed(), c.expected()),
                List.of(c.observed(), c.expected()));
        InputChecks.requireValues(units, c.table(), List.of(c.unit(), c.peerGroup(), c.observed(), c.expected()),
                List.of(c.observed(), c.expected()));
        requireUniqueUnits(units, c.table(), c.peerGroup(), c.unit());

        Map<Object, List<double[]>> byGroup = collect(units, c.peerGroup(), c.observed(), c.expected());
        List<PeerGroupFit> fits = new ArrayList<>();
        for (Map.Entry<Object, List<double[]>> g : byGroup.entrySet()) {
            List<double[]> rows = g.getValue();
            double[] o = new double[rows.size()];
            double[] e = new double[rows.size()];
            double[] z = new double[rows.size()];
            double[] s2 = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                o[i] = rows.get(i)[0];
                e[i] = rows.get(i)[1];
                z[i] = (o[i] - e[i]) / Math.sqrt(e[i]);
                s2[i] = 1 / e[i];
            }
            fits.add(new PeerGroupFit(g.getKey(), rows.size(),
                    OverDispersion.estimate(z, s2, m.winsorisation(), m.overDispersion()),
                    EmpiricalBayes.fit(o, e), Double.NaN));
        }

        Dataset<Row> params = parameters(units, c.peerGroup(), fits, false);
        Column o = col(c.observed()).cast("double");
        Column e = col(c.expected()).cast("double");
        Column valid = e.gt(0);
        Column sr = when(valid, o.divide(e));
        Column alpha = col(StatsColumns.EB_ALPHA);
        Column beta = col(StatsColumns.EB_BETA);
        Column shrunk = when(valid, when(alpha.isNull(), col(StatsColumns.PEER_MEAN))
                .otherwise(o.plus(alpha).divide(e.plus(beta))));
        // Standard error of SR under the corrected model: √(φ_used/E + τ²_used).
        Column se = sqrt(col("phi_used").divide(e).plus(col("tau2_used")));
        double level = m.intervalLevel();
        UserDefinedFunction postLower = udf((UDF4<Double, Double, Double, Double, Double>) (obs, exp, a, b) ->
                posterior(obs, exp, a, b, level, true), DataTypes.DoubleType);
        UserDefinedFunction postUpper = udf((UDF4<Double, Double, Double, Double, Double>) (obs, exp, a, b) ->
                posterior(obs, exp, a, b, level, false), DataTypes.DoubleType);

        Dataset<Row> out = units.join(broadcast(params), IndirectStandardisation.scalaSeq(List.of(c.peerGroup())), "left")
                .withColumn(StatsColumns.SR, sr)
                .withColumn(StatsColumns.Z, when(valid, o.minus(e).divide(sqrt(e))))
                .withColumn(StatsColumns.Z_ADJUSTED, when(valid, sr.minus(1).divide(se)))
                .withColumn(StatsColumns.SR_SHRUNK, shrunk)
                .withColumn(StatsColumns.SR_SHRUNK_LOWER, when(valid,
                        when(alpha.isNull(), col(StatsColumns.PEER_MEAN)).otherwise(postLower.apply(o, e, alpha, beta))))
                .withColumn(StatsColumns.SR_SHRUNK_UPPER, when(valid,
                        when(alpha.isNull(), col(StatsColumns.PEER_MEAN)).otherwise(postUpper.apply(o, e, alpha, beta))));
        out = withConfirmedFlags(out, valid, se, m.zWarning(), m.flagBothSides(), StatsColumns.FUNNEL_95, StatsColumns.FLAG_95);
        out = withConfirmedFlags(out, valid, se, m.zAlarm(), m.flagBothSides(), StatsColumns.FUNNEL_998, StatsColumns.FLAG_998);
        out = withPercentile(out, c.peerGroup(), c.unit(), StatsColumns.SR_SHRUNK);
        return out.drop("phi_used", "tau2_used").orderBy(col(c.peerGroup()), col(c.unit()));
    }

    /** Adds the proportion funnel columns (p, p0, z, φ, τ², z adjusted, flags, percentile); sorted by peer group and unit. */
    public static Dataset<Row> proportions(Dataset<Row> units, Proportions c, MethodsSettings m) {
        InputChecks.requireColumns(units, c.table(), List.of(c.unit(), c.peerGroup(), c.numerator(), c.denominator()),
                List.of(c.numerator(), c.denominator()));
        InputChecks.requireValues(units, c.table(), List.of(c.unit(), c.peerGroup(), c.numerator(), c.denominator()),
                List.of(c.numerator(), c.denominator()));
        long above = units.filter(col(c.numerator()).gt(col(c.denominator()))).count();
        if (above > 0) {
            throw new InputError(c.table() + ": " + above + " row(s) with '" + c.numerator() + "' above '"
                    + c.denominator() + "' (a proportion cannot exceed 1)");
        }
        requireUniqueUnits(units, c.table(), c.peerGroup(), c.unit());

        Map<Object, List<double[]>> byGroup = collect(units, c.peerGroup(), c.numerator(), c.denominator());
        List<PeerGroupFit> fits = new ArrayList<>();
        for (Map.Entry<Object, List<double[]>> g : byGroup.entrySet()) {
            double sx = 0;
            double sn = 0;
            for (double[] r : g.getValue()) {
                sx += r[0];
                sn += r[1];
            }
            double p0 = sx / sn;
            if (p0 <= 0 || p0 >= 1) {
                // No spread possible around 0 % or 100 %: no z, no fit.
                fits.add(new PeerGroupFit(g.getKey(), g.getValue().size(), null, null, p0));
                continue;
            }
            List<double[]> rows = g.getValue();
            double[] z = new double[rows.size()];
            double[] s2 = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                s2[i] = p0 * (1 - p0) / rows.get(i)[1];
                z[i] = (rows.get(i)[0] / rows.get(i)[1] - p0) / Math.sqrt(s2[i]);
            }
            fits.add(new PeerGroupFit(g.getKey(), rows.size(),
                    OverDispersion.estimate(z, s2, m.winsorisation(), m.overDispersion()), null, p0));
        }

        Dataset<Row> params = parameters(units, c.peerGroup(), fits, true);
        Column x = col(c.numerator()).cast("double");
        Column n = col(c.denominator()).cast("double");
        Column p0 = col(StatsColumns.PEER_PROPORTION);
        Column valid = n.gt(0).and(p0.gt(0)).and(p0.lt(1));
        Column p = when(n.gt(0), x.divide(n));
        Column s2 = p0.multiply(lit(1.0).minus(p0)).divide(n);
        Column se = sqrt(col("phi_used").multiply(s2).plus(col("tau2_used")));
        Dataset<Row> out = units.join(broadcast(params), IndirectStandardisation.scalaSeq(List.of(c.peerGroup())), "left")
                .withColumn(StatsColumns.PROPORTION, p)
                .withColumn(StatsColumns.Z, when(valid, p.minus(p0).divide(sqrt(s2))))
                .withColumn(StatsColumns.Z_ADJUSTED, when(valid, p.minus(p0).divide(se)));
        Column position95 = position(col(StatsColumns.Z_ADJUSTED), m.zWarning(), m.flagBothSides());
        Column position998 = position(col(StatsColumns.Z_ADJUSTED), m.zAlarm(), m.flagBothSides());
        out = out.withColumn(StatsColumns.FUNNEL_95, when(valid, position95))
                .withColumn(StatsColumns.FUNNEL_998, when(valid, position998))
                .withColumn(StatsColumns.FLAG_95, when(valid, position95))
                .withColumn(StatsColumns.FLAG_998, when(valid, position998));
        out = withPercentile(out, c.peerGroup(), c.unit(), StatsColumns.PROPORTION);
        return out.drop("phi_used", "tau2_used").orderBy(col(c.peerGroup()), col(c.unit()));
    }

    /**
     * Funnel position from z_adjusted at level z, and the flag: that position confirmed by SR*
     * lying beyond the same corrected limit 1 ± z·se.
     */
    private static Dataset<Row> withConfirmedFlags(Dataset<Row> ds, Column valid, Column se, double z, boolean bothSides,
                                                   String funnelColumn, String flagColumn) {
        Column position = position(col(StatsColumns.Z_ADJUSTED), z, bothSides);
        Column shrunk = col(StatsColumns.SR_SHRUNK);
        Column confirmed = when(position.equalTo(1).and(shrunk.gt(lit(1.0).plus(se.multiply(z)))), 1)
                .when(position.equalTo(-1).and(shrunk.lt(lit(1.0).minus(se.multiply(z)))), -1)
                .otherwise(0);
        return ds.withColumn(funnelColumn, when(valid, position)).withColumn(flagColumn, when(valid, confirmed));
    }

    /** 1 above +z, −1 below −z (only when both sides are flagged), else 0; null when z is null. */
    private static Column position(Column z, double level, boolean bothSides) {
        Column below = bothSides ? z.lt(-level) : lit(false);
        return when(z.isNull(), lit(null).cast("int"))
                .when(z.gt(level), 1).when(below, -1).otherwise(0);
    }

    /** Percentile 0–100 of {@code value} inside the peer group, ties broken by unit id; null where value is null. */
    private static Dataset<Row> withPercentile(Dataset<Row> ds, String group, String unit, String value) {
        WindowSpec w = Window.partitionBy(col(group), col(value).isNull()).orderBy(col(value), col(unit));
        return ds.withColumn(StatsColumns.PEER_PERCENTILE,
                when(col(value).isNotNull(), percent_rank().over(w).multiply(100)));
    }

    private static Double posterior(Double o, Double e, Double alpha, Double beta, double level, boolean lower) {
        if (o == null || e == null || alpha == null || beta == null || !(e > 0)) {
            return null;
        }
        double[] ci = new EmpiricalBayes(0, Double.NaN, Double.NaN, alpha, beta).interval(o, e, level);
        return lower ? ci[0] : ci[1];
    }

    /** (group → [value, size] pairs) of the rows with a positive size, groups in sorted order. */
    private static Map<Object, List<double[]>> collect(Dataset<Row> units, String group, String value, String size) {
        Map<Object, List<double[]>> byGroup = new LinkedHashMap<>();
        List<Row> rows = units.filter(col(size).gt(0))
                .select(col(group), col(value).cast("double"), col(size).cast("double"))
                .orderBy(col(group)).collectAsList();
        for (Row r : rows) {
            byGroup.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(new double[] {r.getDouble(1), r.getDouble(2)});
        }
        return byGroup;
    }

    /** One row of fitted parameters per peer group, typed like the input's group column. */
    private static Dataset<Row> parameters(Dataset<Row> units, String group, List<PeerGroupFit> fits, boolean proportions) {
        DataType groupType = units.schema().apply(group).dataType();
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField(group, groupType, false),
                DataTypes.createStructField(StatsColumns.PEER_UNITS, DataTypes.IntegerType, false),
                DataTypes.createStructField(StatsColumns.PHI, DataTypes.DoubleType, true),
                DataTypes.createStructField(StatsColumns.TAU2, DataTypes.DoubleType, true),
                DataTypes.createStructField(StatsColumns.OVER_DISPERSION, DataTypes.StringType, true),
                DataTypes.createStructField("phi_used", DataTypes.DoubleType, false),
                DataTypes.createStructField("tau2_used", DataTypes.DoubleType, false)));
        if (proportions) {
            fields.add(DataTypes.createStructField(StatsColumns.PEER_PROPORTION, DataTypes.DoubleType, false));
        } else {
            fields.add(DataTypes.createStructField(StatsColumns.PEER_MEAN, DataTypes.DoubleType, false));
            fields.add(DataTypes.createStructField(StatsColumns.EB_ALPHA, DataTypes.DoubleType, true));
            fields.add(DataTypes.createStructField(StatsColumns.EB_BETA, DataTypes.DoubleType, true));
        }
        List<Row> rows = new ArrayList<>();
        for (PeerGroupFit f : fits) {
            OverDispersion od = f.overDispersion();
            List<Object> v = new ArrayList<>(List.of(f.peerGroup(), f.units()));
            v.add(od == null ? null : od.phi());
            v.add(od == null ? null : od.tau2());
            v.add(od == null ? null : od.overDispersed() ? od.mode().label() : "none");
            v.add(od == null ? 1.0 : od.phiUsed());
            v.add(od == null ? 0.0 : od.tau2Used());
            if (proportions) {
                v.add(f.peerProportion());
            } else {
                EmpiricalBayes eb = f.prior();
                v.add(eb.mean());
                v.add(eb.degenerate() ? null : eb.alpha());
                v.add(eb.degenerate() ? null : eb.beta());
            }
            rows.add(RowFactory.create(v.toArray()));
        }
        return units.sparkSession().createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
    }

    private static void requireUniqueUnits(Dataset<Row> units, String table, String group, String unit) {
        long duplicates = units.groupBy(col(group), col(unit)).count().filter(col("count").gt(1)).count();
        if (duplicates > 0) {
            throw new InputError(table + ": " + duplicates + " (" + group + ", " + unit
                    + ") pair(s) appear on more than one row; one row per unit is expected");
        }
    }
}
