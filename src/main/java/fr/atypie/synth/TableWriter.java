package fr.atypie.synth;

import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import fr.atypie.spark.AvroSchemas;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

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

    /** Avro schema of a table, derived from {@link SndsTable#schema()} (see {@link AvroSchemas}). */
    static synchronized Schema avroSchema(SndsTable table) {
        return SCHEMAS.computeIfAbsent(table, t -> AvroSchemas.of(t.name(), "fr.atypie.snds", t.schema(), java.util.Map.of()));
    }
}
