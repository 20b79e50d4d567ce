package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.InputError;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractReaderTest {

    private static Map<SndsTable, Dataset<Row>> threeFluxMonths() {
        return SndsFixture.extract(prs().keys(1).flux("2024-01-01").with(EXE_SOI_DTD, SndsFixture.d("2024-01-05")),
                prs().keys(2).flux("2024-02-01"), prs().keys(3).flux("2024-03-01"), pha(3));
    }

    private static ExtractReader reader(Path root) {
        return new ExtractReader(SharedSpark.get(), new ExtractLayout(root));
    }

    @Test
    void partitionedFluxTablesAreReadWholeOrForSomeFluxMonths(@TempDir Path root) {
        SndsFixture.write(threeFluxMonths(), root);
        Map<SndsTable, Dataset<Row>> all = reader(root).readAll(FluxSelection.ALL);
        assertEquals(3, all.get(SndsTable.ER_PRS_F).count());
        assertEquals(SndsTable.ER_PRS_F.schema(), all.get(SndsTable.ER_PRS_F).schema());
        assertEquals(2, reader(root).read(SndsTable.ER_PRS_F,
                FluxSelection.between(YearMonth.of(2024, 2), YearMonth.of(2024, 3))).count());
        assertEquals(0, reader(root).read(SndsTable.ER_PHA_F,
                FluxSelection.between(YearMonth.of(2025, 1), YearMonth.of(2025, 2))).count());
    }

    @Test
    void aPlainFolderOfAFluxTableIsFilteredOnTheFluxDate(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.get(SndsTable.ER_PRS_F).coalesce(1).write().parquet(root.resolve("ER_PRS_F").toString());
        t.remove(SndsTable.ER_PRS_F);
        SndsFixture.write(t, root);
        ExtractReader r = reader(root);
        assertEquals(3, r.read(SndsTable.ER_PRS_F, FluxSelection.ALL).count());
        assertEquals(1, r.read(SndsTable.ER_PRS_F, new FluxSelection(java.util.Optional.of(YearMonth.of(2024, 3)),
                java.util.Optional.empty())).count());
    }

    @Test
    void missingAndMistypedColumnsAreNamedWithTheirTypes(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.put(SndsTable.ER_PRS_F, t.get(SndsTable.ER_PRS_F).drop(PRS_NAT_REF)
                .withColumn(BEN_RNG_GEM, col(BEN_RNG_GEM).cast(DataTypes.StringType)));
        SndsFixture.write(t, root);
        InputError e = assertThrows(InputError.class, () -> reader(root).readAll(FluxSelection.ALL));
        assertTrue(e.getMessage().contains("table ER_PRS_F, column PRS_NAT_REF: missing (expected int)"), e.getMessage());
        assertTrue(e.getMessage().contains("table ER_PRS_F, column BEN_RNG_GEM: expected int, found string"), e.getMessage());
    }

    @Test
    void aMissingTableIsNamed(@TempDir Path root) throws IOException {
        SndsFixture.write(threeFluxMonths(), root);
        try (Stream<Path> s = Files.walk(root.resolve("IR_PHA_R"))) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        InputError e = assertThrows(InputError.class, () -> reader(root).readAll(FluxSelection.ALL));
        assertTrue(e.getMessage().contains("table IR_PHA_R: folder " + root.resolve("IR_PHA_R") + " not found"),
                e.getMessage());
    }

    @Test
    void safeWideningsAndLowerCaseNamesAreAcceptedAndCastBack(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = threeFluxMonths();
        t.put(SndsTable.ER_PHA_F, t.get(SndsTable.ER_PHA_F).withColumn(PHA_ACT_QSN, col(PHA_ACT_QSN).cast(DataTypes.ShortType)));
        t.put(SndsTable.IR_PHA_R, t.get(SndsTable.IR_PHA_R)
                .withColumn(PHA_PRI_UNI, col(PHA_PRI_UNI).cast(new DecimalType(10, 2)))
                .withColumnRenamed(PHA_ATC_C07, "pha_atc_c07")
                .withColumn("EXTRA_COLUMN", col(PHA_MED_NOM)));
        SndsFixture.write(t, root);
        Map<SndsTable, Dataset<Row>> read = reader(root).readAll(FluxSelection.ALL);
        assertEquals(SndsTable.ER_PHA_F.schema(), read.get(SndsTable.ER_PHA_F).schema());
        assertEquals(SndsTable.IR_PHA_R.schema(), read.get(SndsTable.IR_PHA_R).schema());
        Row drug = read.get(SndsTable.IR_PHA_R).first();
        assertEquals("J01CA04", drug.getAs(PHA_ATC_C07));
        assertEquals(5.0, (double) drug.getAs(PHA_PRI_UNI));
        assertEquals(1, (int) read.get(SndsTable.ER_PHA_F).first().getAs(PHA_ACT_QSN));
    }

    @Test
    void unsafeConversionsAreRefused() {
        assertTrue(ExtractReader.safeWidening(DataTypes.IntegerType, DataTypes.LongType));
        assertTrue(!ExtractReader.safeWidening(DataTypes.LongType, DataTypes.IntegerType));
        assertTrue(!ExtractReader.safeWidening(DataTypes.TimestampType, DataTypes.DateType));
        assertTrue(!ExtractReader.safeWidening(DataTypes.StringType, DataTypes.IntegerType));
    }

    @Test
    void aFolderWithoutParquetIsAClearError(@TempDir Path root) throws IOException {
        SndsFixture.write(threeFluxMonths(), root);
        Path dra = root.resolve("DA_PRA_R");
        try (Stream<Path> s = Files.walk(dra)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.createDirectories(dra);
        Files.writeString(dra.resolve("part-0.parquet"), "not parquet");
        InputError e = assertThrows(InputError.class, () -> reader(root).read(SndsTable.DA_PRA_R, FluxSelection.ALL));
        assertTrue(e.getMessage().startsWith("table DA_PRA_R: cannot read Parquet files in " + dra), e.getMessage());
    }
}
