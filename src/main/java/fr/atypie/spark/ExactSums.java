package fr.atypie.spark;

import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Sums that do not depend on the order of their rows. Spark adds doubles in whatever order the
 * partitions of a plan deliver them, and double addition is not associative: a change of plan
 * (partitions, a join strategy, files written in another order) could move the last bits of a sum,
 * and a published workbook, which stores full doubles, would change by a byte. These sums are
 * exact, so the same rows always give the same double.
 *
 * <ul>
 *   <li>{@link #micros}: values that are whole micro-units, as every measure of the job is (amounts
 *       in euros, days, boxes, counts): each value is rounded to the micro-unit and the sum taken in
 *       64-bit integers, fast and exact up to 9.2 × 10¹² units.</li>
 *   <li>{@link #anyDouble}: any double (an expected count, a product of rates), rounded to 18
 *       decimals and summed as a 38-digit decimal; slower, for small aggregated tables.</li>
 * </ul>
 * Both return a double, null when every value is null (as {@code sum} does).
 */
public final class ExactSums {
    /** Micro-units per unit: amounts are kept to the micro-euro, below any published digit. */
    public static final double MICROS = 1e6;
    private static final DecimalType WIDE = new DecimalType(38, 18);

    private ExactSums() {}

    /** The value in whole micro-units (64-bit): exact for the job's measures, rounded half up otherwise. */
    public static Column toMicros(Column value) {
        return floor(value.multiply(MICROS).plus(0.5)).cast(DataTypes.LongType);
    }

    /** Micro-units back to a double (the nearest double of the exact value). */
    public static Column fromMicros(Column micros) {
        return micros.cast(DataTypes.DoubleType).divide(lit(MICROS));
    }

    /** Exact sum of values that are whole micro-units (amounts, days, boxes, counts). */
    public static Column micros(Column value) {
        return fromMicros(sum(toMicros(value)));
    }

    /** As {@link #micros(Column)}, over a window. */
    public static Column micros(Column value, WindowSpec window) {
        return fromMicros(sum(toMicros(value)).over(window));
    }

    /** Exact sum of any doubles, each rounded to 18 decimals (for small tables: decimal arithmetic is slow). */
    public static Column anyDouble(Column value) {
        return sum(value.cast(WIDE)).cast(DataTypes.DoubleType);
    }
}
