package fr.atypie.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Avro schema of a Spark schema: every field nullable (default null), dates as int with logical
 * type date. Used by the generator's parquet-avro writers and for the published tables' contract
 * ({@code schemas/<table>.avsc}), with each field's documentation when given.
 */
public final class AvroSchemas {
    private AvroSchemas() {}

    public static Schema of(String name, String namespace, StructType schema, Map<String, String> docs) {
        return of(name, namespace, null, schema, docs, Map.of());
    }

    /**
     * As above, with the record's documentation and, per field, extra properties written beside its
     * {@code doc} (e.g. unit and population: name → value, in the map's order).
     */
    public static Schema of(String name, String namespace, String recordDoc, StructType schema, Map<String, String> docs,
                            Map<String, Map<String, String>> properties) {
        SchemaBuilder.RecordBuilder<Schema> record = SchemaBuilder.record(name).namespace(namespace);
        if (recordDoc != null) {
            record = record.doc(recordDoc);
        }
        SchemaBuilder.FieldAssembler<Schema> fields = record.fields();
        for (StructField f : schema.fields()) {
            String doc = docs.get(f.name());
            SchemaBuilder.FieldBuilder<Schema> field = fields.name(f.name());
            if (doc != null) {
                field = field.doc(doc);
            }
            for (Map.Entry<String, String> p : properties.getOrDefault(f.name(), Map.of()).entrySet()) {
                field = field.prop(p.getKey(), p.getValue());
            }
            fields = field.type(nullable(type(name, f))).withDefault(null);
        }
        return fields.endRecord();
    }

    private static Schema type(String table, StructField f) {
        DataType d = f.dataType();
        if (d.equals(DataTypes.IntegerType)) {
            return Schema.create(Schema.Type.INT);
        } else if (d.equals(DataTypes.LongType)) {
            return Schema.create(Schema.Type.LONG);
        } else if (d.equals(DataTypes.DoubleType)) {
            return Schema.create(Schema.Type.DOUBLE);
        } else if (d.equals(DataTypes.StringType)) {
            return Schema.create(Schema.Type.STRING);
        } else if (d.equals(DataTypes.BooleanType)) {
            return Schema.create(Schema.Type.BOOLEAN);
        } else if (d.equals(DataTypes.DateType)) {
            return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        }
        throw new IllegalStateException(table + "." + f.name() + ": no Avro mapping for " + d);
    }

    private static Schema nullable(Schema s) {
        List<Schema> types = new ArrayList<>();
        types.add(Schema.create(Schema.Type.NULL));
        types.add(s);
        return Schema.createUnion(types);
    }
}
