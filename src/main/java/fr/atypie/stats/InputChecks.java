package fr.atypie.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.when;

import fr.atypie.errors.InputError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;

/** Checks of a stage's input that turn bad rows into an {@link InputError} naming table, column, row count and reason. */
final class InputChecks {
    private InputChecks() {}

    /** Every column present; the numeric ones numeric. */
    static void requireColumns(Dataset<Row> ds, String table, List<String> columns, List<String> numeric) {
        List<String> present = Arrays.asList(ds.columns());
        for (String c : columns) {
            if (c == null || !present.contains(c)) {
                throw new InputError(table + ": column '" + c + "' is missing (columns: " + String.join(", ", present) + ")");
            }
        }
        for (String c : numeric) {
            if (!(ds.schema().apply(c).dataType() instanceof NumericType)) {
                throw new InputError(table + ": column '" + c + "' must be numeric, is "
                        + ds.schema().apply(c).dataType().simpleString());
            }
        }
    }

    /** No nulls in {@code notNull}, no negative (or NaN) values in {@code nonNegative}: one pass over the data. */
    static void requireValues(Dataset<Row> ds, String table, List<String> notNull, List<String> nonNegative) {
        List<Column> counts = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (String c : notNull) {
            counts.add(count(when(col(c).isNull(), 1)));
            reasons.add("column '" + c + "' is null");
        }
        for (String c : nonNegative) {
            counts.add(count(when(col(c).lt(0).or(col(c).isNaN()), 1)));
            reasons.add("column '" + c + "' is negative or NaN");
        }
        if (counts.isEmpty()) {
            return;
        }
        Row r = ds.agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            long n = r.getLong(i);
            if (n > 0) {
                problems.add(n + " row(s): " + reasons.get(i));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputError(table + ": " + String.join("; ", problems));
        }
    }
}
