package fr.atypie.testing;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A table's rows as a multiset, in one scan and no shuffle: their count and the exact sum (a decimal,
 * no overflow) of each row's 64-bit {@code xxhash64} over every column, in name order. Two tables that
 * differ by a row, a duplicate or a column give different digests, but with a chance of about 2^-64; a
 * digest says that two tables differ, not where ({@code exceptAll} both ways does, for two shuffles).
 */
public final class RowDigest {
    private RowDigest() {
    }

    /** {@code [rows, sum of row hashes]}. */
    public static Row of(Dataset<Row> table) {
        Column[] columns = Arrays.stream(table.columns()).sorted().map(functions::col).toArray(Column[]::new);
        return table.agg(functions.count(functions.lit(1)),
                functions.sum(functions.xxhash64(columns).cast("decimal(38,0)"))).first();
    }
}
