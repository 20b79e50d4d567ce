package fr.atypie.publish;

import static fr.atypie.publish.XlsxReader.num;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.testing.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XlsxExportTest {
    private static final LocalDate END_OF_MARCH = LocalDate.of(2024, 3, 31);
    private static final ColumnLabels LABELS = ColumnLabels.of(
            "prescriber_id", "Prescripteur", "dept", "Département", "n_patients", "Patients",
            "sick_days", "Jours d'arrêt prescrits", "sr", "Ratio standardisé (O/E)");
    private static final StructType SCHEMA = new StructType()
            .add("prescriber_id", DataTypes.StringType)
            .add("dept", DataTypes.StringType)
            .add("n_patients", DataTypes.LongType)
            .add("sick_days", DataTypes.LongType)
            .add("sr", DataTypes.DoubleType)
            .add("secret", DataTypes.BooleanType);

    private static Dataset<Row> rows(Row... rows) {
        return SharedSpark.get().createDataFrame(Arrays.asList(rows), SCHEMA);
    }

    private static List<XlsxExport.Sheet> actionLists() {
        Dataset<Row> visits = rows(
                RowFactory.create("341000002", "034", 812L, 10450L, 1.84, false),
                RowFactory.create("111000004", "011", 240L, 1320L, 1.25, false),
                RowFactory.create("341000001", "034", 1250L, 15321L, 2.125, false));
        Dataset<Row> exchanges = rows(
                RowFactory.create("341000007", "034", null, null, null, true),
                RowFactory.create("341000005", "034", 96L, 2210L, 3.5, false));
        return List.of(new XlsxExport.Sheet("Visites DAM", visits, List.of("prescriber_id")),
                new XlsxExport.Sheet("Échanges confraternels", exchanges, List.of("prescriber_id")));
    }

    @Test
    void oneWorkbookPerDepartmentOneSheetPerActionList(@TempDir Path dir) throws Exception {
        XlsxExport xlsx = new XlsxExport(LABELS, new SmallCells(10));
        Map<String, Long> written = xlsx.writePerDepartment(dir, "actions", "dept", actionLists(), END_OF_MARCH);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("actions-011.xlsx", 1L);
        expected.put("actions-034.xlsx", 4L);
        assertEquals(expected, written);

        XlsxReader herault = new XlsxReader(dir.resolve("actions-034.xlsx"));
        assertEquals(List.of("Visites DAM", "Échanges confraternels"), herault.sheetNames);
        List<Object> header = List.of("Prescripteur", "Département", "Patients", "Jours d'arrêt prescrits",
                "Ratio standardisé (O/E)", "Secret statistique");
        assertEquals(List.of(header,
                        List.of("341000001", "034", num("1250"), num("15321"), num("2.125"), "non"),
                        List.of("341000002", "034", num("812"), num("10450"), num("1.84"), "non")),
                herault.cells("Visites DAM"));
        assertEquals(List.of(header,
                        List.of("341000005", "034", num("96"), num("2210"), num("3.5"), "non"),
                        List.of("341000007", "034", "< 10", "< 10", "< 10", "oui")),
                herault.cells("Échanges confraternels"));

        XlsxReader aude = new XlsxReader(dir.resolve("actions-011.xlsx"));
        assertEquals(List.of(header, List.of("111000004", "011", num("240"), num("1320"), num("1.25"), "non")),
                aude.cells("Visites DAM"));
        // same layout, no rows: the sheet says so under its header
        assertEquals(List.of(header, List.of(XlsxExport.EMPTY_NOTE)), aude.cells("Échanges confraternels"));
    }

    @Test
    void workbooksOpenOnALisezMoiSheetSayWhyASheetIsEmptyAndNameSpecialties(@TempDir Path dir) throws Exception {
        StructType schema = new StructType().add("dept", DataTypes.StringType).add("specialty", DataTypes.IntegerType)
                .add("reason", DataTypes.StringType);
        String reason = "Arrêts de travail – jours d'IJ par patient : 1,92 fois l'attendu à patientèle comparable, "
                + "au-delà de la limite à 99,8 %. Déjà fortement atypique sur ce thème en 2024-06.";
        Dataset<Row> visits = SharedSpark.get().createDataFrame(List.of(RowFactory.create("034", 1, reason),
                RowFactory.create("011", 23, "Court.")), schema);
        Dataset<Row> none = SharedSpark.get().createDataFrame(List.<Row>of(), schema);
        List<XlsxExport.Sheet> sheets = List.of(new XlsxExport.Sheet("Visites DAM", visits, List.of("specialty")),
                new XlsxExport.Sheet("MSO-MSAP", none, List.of(), "Aucun candidat MSO-MSAP : il faut une atypie forte et durable."));
        ColumnLabels labels = ColumnLabels.of("dept", "Département", "specialty", "Spécialité", "reason", "Motif");
        new XlsxExport(labels, new SmallCells(10)).writePerDepartment(dir, "ciblage", "dept", sheets, END_OF_MARCH,
                List.of(new String[] {"Classeur", "Listes de mars 2024"}, new String[] {"Fenêtre", "2023-04 à 2024-03"}));

        XlsxReader x = new XlsxReader(dir.resolve("ciblage-034.xlsx"));
        assertEquals(List.of("Lisez-moi", "Visites DAM", "MSO-MSAP"), x.sheetNames);
        assertEquals(List.of(List.of("Rubrique", "Contenu"), List.of("Classeur", "Listes de mars 2024"),
                List.of("Département", "34 Hérault"), List.of("Fenêtre", "2023-04 à 2024-03")), x.cells("Lisez-moi"));
        assertEquals(List.of(List.of("Département", "Spécialité", "Motif"), List.of("034", "Medecine generale (1)", reason)),
                x.cells("Visites DAM"));
        assertEquals(List.of(List.of("Département", "Spécialité", "Motif"),
                List.of("Aucun candidat MSO-MSAP : il faut une atypie forte et durable.")), x.cells("MSO-MSAP"));
        // the 160-character reason wraps in a 60-character column
        String sheet = new String(x.parts.get("xl/worksheets/sheet2.xml"), StandardCharsets.UTF_8);
        assertTrue(sheet.contains("<col min=\"3\" max=\"3\" width=\"60"), sheet);
        String styles = new String(x.parts.get("xl/styles.xml"), StandardCharsets.UTF_8);
        assertTrue(styles.contains("wrapText=\"true\""), styles);
        assertEquals(List.of(List.of("Département", "Spécialité", "Motif"),
                        List.of("011", "Specialite en med. generale reconnue par l'ordre (23)", "Court.")),
                new XlsxReader(dir.resolve("ciblage-011.xlsx")).cells("Visites DAM"));
    }

    @Test
    void headerIsBoldAndFrozenNumbersAreFormattedColumnsAreSized(@TempDir Path dir) throws Exception {
        new XlsxExport(LABELS, new SmallCells(10)).writePerDepartment(dir, "actions", "dept", actionLists(), END_OF_MARCH);
        XlsxReader x = new XlsxReader(dir.resolve("actions-034.xlsx"));
        assertTrue(x.bold("Visites DAM", "A1"));
        assertTrue(!x.bold("Visites DAM", "A2"));
        assertEquals("#,##0", x.numberFormat("Visites DAM", "C2"));
        assertEquals("#,##0.00", x.numberFormat("Visites DAM", "E2"));
        String sheet = new String(x.parts.get("xl/worksheets/sheet1.xml"), StandardCharsets.UTF_8);
        assertTrue(sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""), sheet);
        assertTrue(sheet.contains("<autoFilter ref=\"A1:F3\""), sheet);
        // widths: "Prescripteur" column fits "341000001" and its label, long labels are capped and wrap
        assertTrue(sheet.contains("<col min=\"1\" max=\"1\" width=\"14"), sheet);
        assertTrue(sheet.contains("<col min=\"4\" max=\"4\" width=\"25"), sheet);
    }

    @Test
    void reRunsAreByteIdenticalAndCarryTheDocumentDate(@TempDir Path dir) throws Exception {
        XlsxExport xlsx = new XlsxExport(LABELS, new SmallCells(10));
        xlsx.writePerDepartment(dir.resolve("a"), "actions", "dept", actionLists(), END_OF_MARCH);
        Thread.sleep(5);   // fastexcel's own timestamp has milliseconds: make sure it would differ
        xlsx.writePerDepartment(dir.resolve("b"), "actions", "dept", actionLists(), END_OF_MARCH);
        for (String f : List.of("actions-011.xlsx", "actions-034.xlsx")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        String core = new String(new XlsxReader(dir.resolve("a/actions-034.xlsx")).parts.get("docProps/core.xml"),
                StandardCharsets.UTF_8);
        assertTrue(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-03-31T00:00:00Z</dcterms:created>"), core);
    }

    @Test
    void badSheetNamesAndDepartmentsAreRefused(@TempDir Path dir) {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> new XlsxExport.Sheet("Visites: DAM", rows(), List.of()));
        assertEquals("sheet name 'Visites: DAM' must have 1 to 31 characters and none of [ ] : * ? / \\", name.getMessage());
        List<XlsxExport.Sheet> noDept = List.of(new XlsxExport.Sheet("Visites DAM",
                rows(RowFactory.create("1", null, 20L, 3L, 1.0, false)), List.of()));
        IllegalArgumentException dept = assertThrows(IllegalArgumentException.class,
                () -> new XlsxExport(LABELS, new SmallCells(10)).writePerDepartment(dir, "actions", "dept", noDept, END_OF_MARCH));
        assertEquals("sheet Visites DAM: department 'null' in column dept cannot name a file", dept.getMessage());
    }
}
