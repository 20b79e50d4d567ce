package fr.atypie.synth;

import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Streams rows of one SNDS table into one Parquet file with parquet-avro (not Spark), so that
 * the same rows give the same bytes: no timestamps, no task ids in names. Rows are written one
 * at a time from a reused record; only the current row group is held in memory.
 *
 * <p>Columns are addressed by their position in {@link SndsTable#schema()}, resolved once from
 * the column-name constants with {@link #column(SndsTable, String)}.
 */
final class TableWriter implements AutoCloseable {
    private static final java.util.Map<SndsTable, Schema> SCHEMAS = new java.util.EnumMap<>(SndsTable.class);

    private final ParquetWriter<GenericRecord> writer;
    private final GenericData.Record row;
    private final int width;
    private long rows;

    TableWriter(SndsTable table, Path file, Configuration hadoop, int rowGroupBytes) {
        try {
            Files.createDirectories(file.getParent());
            this.writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                    .withSchema(avroSchema(table))
                    .withConf(hadoop)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withRowGroupSize((long) rowGroupBytes)
                    .withPageSize(256 * 1024)
                    .withDictionaryPageSize(256 * 1024)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        this.row = new GenericData.Record(avroSchema(table));
        this.width = table.columnNames().size();
    }

    /** Position of a column in the table's schema (and in the Avro record). */
    static int column(SndsTable table, String name) {
        int i = table.columnNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(table + " has no column " + name);
        }
        return i;
    }

    /** Clears every column to null before a new row is filled. */
    void clear() {
        for (int i = 0; i < width; i++) {
            row.put(i, null);
        }
    }

    void set(int column, Object value) {
        row.put(column, value);
    }

    void write() {
        try {
            writer.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a row", e);
        }
        rows++;
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close a Parquet file", e);
        }
    }

    /**
     * Avro schema of a table, derived from {@link SndsTable#schema()}: every column nullable;
     * dates as int with logical type date so that Spark reads them as DateType.
     */
    static synchronized Schema avroSchema(SndsTable table) {
        return SCHEMAS.computeIfAbsent(table, t -> {
            SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(t.name()).namespace("fr.atypie.snds").fields();
            for (StructField f : t.schema().fields()) {
                fields = fields.name(f.name()).type(nullable(avroType(t, f))).withDefault(null);
            }
            return fields.endRecord();
        });
    }

    private static Schema avroType(SndsTable t, StructField f) {
        DataType d = f.dataType();
        if (d.equals(DataTypes.IntegerType)) {
            return Schema.create(Schema.Type.INT);
        } else if (d.equals(DataTypes.LongType)) {
            return Schema.create(Schema.Type.LONG);
        } else if (d.equals(DataTypes.DoubleType)) {
            return Schema.create(Schema.Type.DOUBLE);
        } else if (d.equals(DataTypes.StringType)) {
            return Schema.create(Schema.Type.STRING);
        } else if (d.equals(DataTypes.DateType)) {
            return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        }
        throw new IllegalStateException(t + "." + f.name() + ": no Avro mapping for " + d);
    }

    private static Schema nullable(Schema s) {
        List<Schema> types = new ArrayList<>();
        types.add(Schema.create(Schema.Type.NULL));
        types.add(s);
        return Schema.createUnion(types);
    }
}
