package fr.atypie.publish;

import static org.apache.spark.sql.functions.col;

import fr.atypie.spark.SmallResults;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampType;

/**
 * A small published table brought to the driver in a fixed order: by the given keys, then by
 * every other column, so that rows equal on the keys still come out in the same order on every
 * run. Exports are small (aggregates, action lists): the driver holds them.
 */
public record ExportTable(String name, List<StructField> fields, List<Row> rows) {

    public ExportTable {
        fields = List.copyOf(fields);
        rows = List.copyOf(rows);
    }

    public static ExportTable collect(String name, Dataset<Row> table, List<String> sortKeys) {
        List<String> columns = List.of(table.columns());
        List<String> unknown = sortKeys.stream().filter(k -> !columns.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("table " + name + ": sort key(s) " + unknown + " not among columns " + columns);
        }
        List<StructField> fields = List.of(table.schema().fields());
        for (StructField f : fields) {
            if (!supported(f.dataType())) {
                throw new IllegalArgumentException("table " + name + ": column " + f.name() + " has type "
                        + f.dataType().simpleString() + ", which exports do not support (flatten it first)");
            }
        }
        Set<String> order = new LinkedHashSet<>(sortKeys);
        order.addAll(columns);
        List<Column> by = order.stream().map(c -> col(c).asc_nulls_first()).toList();
        // One job (SmallResults), where toLocalIterator ran one per shuffle partition.
        return new ExportTable(name, fields, SmallResults.sorted(table, by.toArray(Column[]::new)));
    }

    public List<String> columns() {
        return fields.stream().map(StructField::name).toList();
    }

    /** Index of the {@code secret} column, or -1 when the table has none. */
    public int secretIndex() {
        return columns().indexOf(PublishColumns.SECRET);
    }

    /** A null number on a secret row was hidden by {@link SmallCells}, not missing. */
    public boolean isHidden(Row row, int column) {
        int s = secretIndex();
        return s >= 0 && !row.isNullAt(s) && row.getBoolean(s) && row.isNullAt(column)
                && fields.get(column).dataType() instanceof NumericType;
    }

    static boolean supported(DataType t) {
        return t instanceof NumericType || t instanceof StringType || t instanceof BooleanType
                || t instanceof DateType || t instanceof TimestampType;
    }
}
