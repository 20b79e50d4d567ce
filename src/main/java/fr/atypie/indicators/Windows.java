package fr.atypie.indicators;

import static org.apache.spark.sql.functions.*;

import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rolling windows of {@code length} months (12 by default), each named by its last month: one ending
 * every {@code step} months from the first window month to the last (every month by default). An
 * event of care month c falls in the windows ending in c, c+1, ..., c+length-1 that are among them;
 * exploding events into their windows once lets one aggregation compute every window (instead of one
 * Spark job each).
 */
public record Windows(YearMonth firstWindowMonth, YearMonth lastWindowMonth, int length, int step) {
    public static final String WINDOW_MONTH = "window_month";
    public static final String WINDOW_START = "window_start";
    public static final String WINDOW_END = "window_end";

    public Windows {
        if (lastWindowMonth.isBefore(firstWindowMonth)) {
            throw new IllegalArgumentException("last window " + lastWindowMonth + " before first " + firstWindowMonth);
        }
        if (length < 1) {
            throw new IllegalArgumentException("window length must be >= 1");
        }
        if (step < 1 || (index(lastWindowMonth) - index(firstWindowMonth)) % step != 0) {
            throw new IllegalArgumentException("windows every " + step + " months from " + firstWindowMonth
                    + " do not end in " + lastWindowMonth);
        }
    }

    /** A window ending in each month from {@code firstWindowMonth} to {@code lastWindowMonth}. */
    public Windows(YearMonth firstWindowMonth, YearMonth lastWindowMonth, int length) {
        this(firstWindowMonth, lastWindowMonth, length, 1);
    }

    /**
     * Two windows, {@code earlier} and {@code month} (one when they are the same month): what a
     * comparison of a month with an earlier one needs, without the windows between them.
     */
    public static Windows pair(YearMonth earlier, YearMonth month, int length) {
        int apart = index(month) - index(earlier);
        return new Windows(earlier, month, length, Math.max(apart, 1));
    }

    public List<YearMonth> months() {
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth m = firstWindowMonth; !m.isAfter(lastWindowMonth); m = m.plusMonths(step)) {
            out.add(m);
        }
        return out;
    }

    /** First care month any window needs (previous-window values reach one window length further back). */
    public YearMonth firstCareMonthNeeded() {
        return firstWindowMonth.minusMonths(length - 1L);
    }

    public static Date firstDay(YearMonth m) {
        return Date.valueOf(m.atDay(1));
    }

    /** One row per window: window_month (first day of its last month), window_start, window_end (last day). */
    public Dataset<Row> asDataset(SparkSession spark) {
        StructType schema = new StructType()
                .add(WINDOW_MONTH, DataTypes.DateType)
                .add(WINDOW_START, DataTypes.DateType)
                .add(WINDOW_END, DataTypes.DateType);
        List<Row> rows = new ArrayList<>();
        for (YearMonth m : months()) {
            rows.add(RowFactory.create(firstDay(m), firstDay(m.minusMonths(length - 1L)), Date.valueOf(m.atEndOfMonth())));
        }
        return spark.createDataFrame(rows, schema);
    }

    /**
     * Adds window_month to each row of a care-month keyed Dataset, one copy per window it belongs to
     * (rows whose windows all fall outside [first, last] disappear).
     */
    public Dataset<Row> explode(Dataset<Row> byCareMonth, String careMonthColumn) {
        // On month numbers (year × 12 + month), only the windows in [first, last]: a sequence of dates
        // steps through timestamps and time zones, which cost more than the rest of the roll-up's
        // projection (JFR, full rebuild at scale 0.05).
        Column careIndex = monthIndex(col(careMonthColumn));
        Column from = greatest(careIndex, lit(index(firstWindowMonth)));
        if (step > 1) {
            // The first window month of the series at or after from.
            from = from.plus(pmod(lit(index(firstWindowMonth)).minus(from), lit(step)));
        }
        Column to = least(careIndex.plus(length - 1), lit(index(lastWindowMonth)));
        Column window = org.apache.spark.sql.functions.explode(when(from.leq(to), sequence(from, to, lit(step))));
        return byCareMonth.withColumn(WINDOW_MONTH, window)
                .withColumn(WINDOW_MONTH, make_date(floor(col(WINDOW_MONTH).divide(12)).cast(DataTypes.IntegerType),
                        pmod(col(WINDOW_MONTH), lit(12)).plus(1), lit(1)));
    }

    /** The month of a date as {@link #index(YearMonth)} numbers it (an int; null for a null date). */
    public static Column monthIndex(Column date) {
        return year(date).multiply(12).plus(month(date)).minus(1);
    }

    /** Months since year 0: consecutive months are consecutive numbers. */
    static int index(YearMonth m) {
        return m.getYear() * 12 + m.getMonthValue() - 1;
    }
}
