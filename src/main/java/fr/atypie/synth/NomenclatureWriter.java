package fr.atypie.synth;

import fr.atypie.snds.Nomenclatures;
import fr.atypie.spark.AvroSchemas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the nomenclature tables an SNDS user finds beside the claims, IR_NAT_V (natures of
 * service) and IR_SPE_V (specialties), from the public copies packaged with the job: code, short
 * label and label.
 */
final class NomenclatureWriter {
    private NomenclatureWriter() {}

    /** Rows written per table. */
    static Map<String, Long> write(Path extract, Configuration hadoop) {
        return Map.of(
                Nomenclatures.NATURES_TABLE, write(extract, hadoop, Nomenclatures.NATURES_TABLE,
                        new StructType().add("PRS_NAT", DataTypes.IntegerType).add("PRS_NAT_CB2", DataTypes.StringType)
                                .add("PRS_NAT_LIB", DataTypes.StringType), new int[] {0, 2, 3}),
                Nomenclatures.SPECIALTIES_TABLE, write(extract, hadoop, Nomenclatures.SPECIALTIES_TABLE,
                        new StructType().add("PFS_SPE_COD", DataTypes.IntegerType).add("PFS_SPE_LIB", DataTypes.StringType),
                        new int[] {0, 2}));
    }

    /** {@code fields}: the CSV columns (';'-separated, header first) of the schema's columns, in order; the first is the code. */
    private static long write(Path extract, Configuration hadoop, String table, StructType schema, int[] fields) {
        Schema avro = AvroSchemas.of(table, "fr.atypie.snds", schema, Map.of());
        Path file = extract.resolve(table).resolve(ClaimWriter.partName(0));
        long rows = 0;
        try (InputStream in = NomenclatureWriter.class.getResourceAsStream("/fr/atypie/snds/nomenclatures/" + table + ".csv")) {
            Files.createDirectories(file.getParent());
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine();
            try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                    .withSchema(avro).withConf(hadoop).withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE).build()) {
                GenericData.Record row = new GenericData.Record(avro);
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String[] v = line.split(";", -1);
                    row.put(0, Integer.valueOf(v[fields[0]].trim()));
                    for (int i = 1; i < fields.length; i++) {
                        row.put(i, v[fields[i]]);
                    }
                    w.write(row);
                    rows++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return rows;
    }
}
