package fr.atypie.refresh;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A published table's columns: name, Spark type and French label, declared once, in order.
 * Numbers are rounded to 6 decimals on the way in (and NaN becomes null) so that floating-point
 * noise never makes two runs differ.
 */
final class Columns {
    private final Map<String, String> labels = new LinkedHashMap<>();
    private StructType schema = new StructType();

    Columns text(String name, String label) {
        return add(name, DataTypes.StringType, label);
    }

    Columns integer(String name, String label) {
        return add(name, DataTypes.IntegerType, label);
    }

    Columns count(String name, String label) {
        return add(name, DataTypes.LongType, label);
    }

    Columns number(String name, String label) {
        return add(name, DataTypes.DoubleType, label);
    }

    Columns bool(String name, String label) {
        return add(name, DataTypes.BooleanType, label);
    }

    private Columns add(String name, DataType type, String label) {
        schema = schema.add(name, type, true);
        labels.put(name, label);
        return this;
    }

    StructType schema() {
        return schema;
    }

    Map<String, String> labels() {
        return labels;
    }

    Dataset<Row> dataset(SparkSession spark, List<Object[]> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            if (r.length != schema.size()) {
                throw new IllegalArgumentException("row of " + r.length + " values for " + schema.size() + " columns");
            }
            for (int i = 0; i < r.length; i++) {
                if (r[i] instanceof Double d) {
                    r[i] = round(d);
                }
            }
            out.add(RowFactory.create(r));
        }
        return spark.createDataFrame(out, schema);
    }

    static Double round(Double d) {
        if (d == null || d.isNaN() || d.isInfinite()) {
            return null;
        }
        return BigDecimal.valueOf(d).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
