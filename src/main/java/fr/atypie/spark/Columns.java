package fr.atypie.spark;

import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Column names as the {@code Column[]} that select, groupBy and partitionBy take. */
public final class Columns {
    private Columns() {}

    public static Column[] named(List<String> names, String... more) {
        return Stream.concat(names.stream(), Stream.of(more)).map(functions::col).toArray(Column[]::new);
    }
}
