package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvExportTest {
    static final ColumnLabels LABELS = ColumnLabels.of(
            "dept", "Département", "label", "Libellé", "n_patients", "Patients", "rate", "Taux (%)",
            "amount", "Montant (€)", "month", "Mois", "ald", "En ALD");

    static Dataset<Row> table() {
        StructType schema = new StructType()
                .add("dept", DataTypes.StringType)
                .add("label", DataTypes.StringType)
                .add("n_patients", DataTypes.LongType)
                .add("rate", DataTypes.DoubleType)
                .add("amount", DataTypes.createDecimalType(10, 2))
                .add("month", DataTypes.DateType)
                .add("ald", DataTypes.BooleanType)
                .add("secret", DataTypes.BooleanType);
        Date march = Date.valueOf("2024-03-01");
        return SharedSpark.get().createDataFrame(List.of(
                RowFactory.create("034", "Hérault; Montpellier", 1200L, 0.1 + 0.2, new BigDecimal("1234.50"), march, true, false),
                RowFactory.create("011", "Aude", null, null, null, march, false, true),
                RowFactory.create("034", "Dit \"Hérault\"", 15L, -0.0000001, new BigDecimal("-3.00"), march, false, false),
                RowFactory.create("009", "Ariège\nnord", 10L, 2.0, new BigDecimal("0.05"), march, null, false)),
                schema);
    }

    @Test
    void writesFrenchExcelCsvWithBomQuotingAndSortedRows(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cpg.csv");
        long rows = new CsvExport(CsvFormat.FRENCH_EXCEL, LABELS).write("cpg", table(), List.of("dept"), f);
        assertEquals(4, rows);
        byte[] bytes = Files.readAllBytes(f);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3));
        assertEquals(""
                + "Département;Libellé;Patients;Taux (%);Montant (€);Mois;En ALD;Secret statistique\r\n"
                + "009;\"Ariège\nnord\";10;2;0,05;2024-03-01;;non\r\n"
                + "011;Aude;;;;2024-03-01;non;oui\r\n"
                // same department: the tie is broken on the next columns (label, then the others)
                + "034;\"Dit \"\"Hérault\"\"\";15;0;-3;2024-03-01;non;non\r\n"
                + "034;\"Hérault; Montpellier\";1200;0,3;1234,5;2024-03-01;oui;non\r\n",
                new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8));
    }

    @Test
    void plainFormHasColumnNamesDotDecimalsNoBomAndTrueFalse(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cpg.csv");
        assertEquals(4, CsvExport.plain().write("cpg", table(), List.of("dept"), f));
        assertEquals(""
                + "dept,label,n_patients,rate,amount,month,ald,secret\r\n"
                + "009,\"Ariège\nnord\",10,2,0.05,2024-03-01,,false\r\n"
                + "011,Aude,,,,2024-03-01,false,true\r\n"
                + "034,\"Dit \"\"Hérault\"\"\",15,0,-3,2024-03-01,false,false\r\n"
                + "034,Hérault; Montpellier,1200,0.3,1234.5,2024-03-01,true,false\r\n",
                Files.readString(f, StandardCharsets.UTF_8));
    }

    @Test
    void separatorsAndBomFollowTheFormat(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cpg.csv");
        new CsvExport(new CsvFormat(',', '.', false, 1), LABELS).write("cpg", table(), List.of("dept", "label"), f);
        assertEquals(""
                + "Département,Libellé,Patients,Taux (%),Montant (€),Mois,En ALD,Secret statistique\r\n"
                + "009,\"Ariège\nnord\",10,2,0,2024-03-01,,non\r\n"   // 0.05 rounds half-even to 0.0
                + "011,Aude,,,,2024-03-01,non,oui\r\n"
                + "034,\"Dit \"\"Hérault\"\"\",15,0,-3,2024-03-01,non,non\r\n"
                + "034,Hérault; Montpellier,1200,0.3,1234.5,2024-03-01,oui,non\r\n",   // ';' needs no quotes here
                Files.readString(f, StandardCharsets.UTF_8));
    }

    @Test
    void reRunsAreByteIdenticalWhateverThePartitioning(@TempDir Path dir) throws IOException {
        CsvExport csv = new CsvExport(CsvFormat.FRENCH_EXCEL, LABELS);
        csv.write("cpg", table(), List.of("dept"), dir.resolve("a.csv"));
        csv.write("cpg", table().repartition(3).sortWithinPartitions("label"), List.of("dept"), dir.resolve("b.csv"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.csv")), Files.readAllBytes(dir.resolve("b.csv")));
    }

    @Test
    void missingLabelsAndSortKeysAreNamed(@TempDir Path dir) {
        CsvExport csv = new CsvExport(CsvFormat.FRENCH_EXCEL, ColumnLabels.of("dept", "Département"));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> csv.write("cpg", table(), List.of("dept"), dir.resolve("x.csv")));
        assertEquals("table cpg: no French label for column(s) [label, n_patients, rate, amount, month, ald]",
                label.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> csv.write("cpg", table(), List.of("region"), dir.resolve("x.csv")));
        assertEquals("table cpg: sort key(s) [region] not among columns"
                + " [dept, label, n_patients, rate, amount, month, ald, secret]", key.getMessage());
    }
}
