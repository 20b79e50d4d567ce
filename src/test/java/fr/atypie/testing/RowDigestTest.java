package fr.atypie.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The digest the store comparisons rely on: blind to row and column order, never to a row or a value. */
class RowDigestTest {
    private static final StructType SCHEMA = new StructType().add("patient", DataTypes.StringType)
            .add("days", DataTypes.IntegerType);

    private static Row digest(List<Row> rows) {
        return RowDigest.of(SharedSpark.get().createDataFrame(rows, SCHEMA));
    }

    @Test
    void equalMultisetsGiveOneDigestAndAnyDifferenceAnother() {
        Row abc = digest(List.of(RowFactory.create("a", 1), RowFactory.create("b", 2), RowFactory.create("c", 3)));
        assertEquals(3L, abc.getLong(0));
        assertEquals(abc, digest(List.of(RowFactory.create("c", 3), RowFactory.create("a", 1), RowFactory.create("b", 2))));
        Dataset<Row> swapped = SharedSpark.get().createDataFrame(List.of(RowFactory.create("a", 1), RowFactory.create("b", 2),
                RowFactory.create("c", 3)), SCHEMA).select("days", "patient");
        assertEquals(abc, RowDigest.of(swapped), "columns are taken in name order");
        // One value changed, a row duplicated in place of another, a row missing: each a different digest.
        assertNotEquals(abc, digest(List.of(RowFactory.create("a", 1), RowFactory.create("b", 4), RowFactory.create("c", 3))));
        assertNotEquals(abc, digest(List.of(RowFactory.create("a", 1), RowFactory.create("a", 1), RowFactory.create("c", 3))));
        assertNotEquals(abc, digest(List.of(RowFactory.create("a", 1), RowFactory.create("c", 3))));
        // The same rows with a null where a value was.
        assertNotEquals(abc, digest(List.of(RowFactory.create("a", 1), RowFactory.create("b", null), RowFactory.create("c", 3))));
        Row empty = digest(List.of());
        assertEquals(0L, empty.getLong(0));
        assertTrue(empty.isNullAt(1), "an empty table sums no hash");
    }
}
