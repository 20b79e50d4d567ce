package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.cli.AtypieCli;
import fr.atypie.cli.ExitCodes;
import fr.atypie.errors.InputError;
import fr.atypie.config.ConfigLoader;
import fr.atypie.quality.QualityReportFormat;
import fr.atypie.quality.QuarantineColumns;
import fr.atypie.quality.QuarantineRule;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import fr.atypie.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** What operators leave in extract folders: each stray input is passed over or gets exit 4 and a message naming it. */
// Beside the other classes from the start (see the pom), not in the main thread's sequence of same-thread
// classes, which ends the suite; the lock runs its methods one after another.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("StrayInputsTest")
class StrayInputsTest {

    private static ExtractReader reader(Path root) {
        return new ExtractReader(SharedSpark.get(), new ExtractLayout(root));
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String problem(Path root) {
        return assertThrows(InputError.class, () -> reader(root).readAll(FluxSelection.ALL)).getMessage();
    }

    @Test
    void metadataAndStrayFilesArePassedOverAndUnusableFoldersNamed(@TempDir Path root) throws IOException {
        SndsFixture.write(SndsFixture.extract(prs().keys(1), prs().keys(2).with(PRS_NAT_REF, 3313), pha(2)), root);
        Path month = root.resolve("ER_PRS_F").resolve("flux_month=2024-03");
        Files.writeString(month.resolve("export.csv"), "PRS_NAT_REF;EXE_SOI_DTD\n1111;2024-02-10\n");
        Files.writeString(month.resolve(".hidden.parquet"), "not parquet");
        Files.writeString(root.resolve("DA_PRA_R").resolve("README.txt"), "left by a colleague");
        Files.writeString(root.resolve("DA_PRA_R").resolve(".part-0.parquet.crc"), "crc");
        Map<SndsTable, Dataset<Row>> read = reader(root).readAll(FluxSelection.ALL);
        assertEquals(2, read.get(SndsTable.ER_PRS_F).count());
        assertEquals(1, read.get(SndsTable.DA_PRA_R).count());
        // The strays are named in the quality report, relative to their table's folder.
        ValidatedExtract validated = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(read);
        assertEquals(List.of("flux_month=2024-03/export.csv"), validated.report().table(SndsTable.ER_PRS_F).passedOver());
        assertEquals(List.of("README.txt"), validated.report().table(SndsTable.DA_PRA_R).passedOver());
        assertEquals(List.of(), validated.report().table(SndsTable.IR_BEN_R).passedOver());
        assertTrue(QualityReportFormat.text(validated.report(), "x").contains(
                "    passed over flux_month=2024-03/export.csv (not Parquet)\n"));
        assertTrue(QualityReportFormat.json(validated.report(), "x").contains("\"passed_over\": [\"README.txt\"]"));
        // ... and on the refresh's console, which prints only totals otherwise.
        assertEquals(List.of("DA_PRA_R: 1 file passed over, not Parquet: README.txt",
                "ER_PRS_F: 1 file passed over, not Parquet: flux_month=2024-03/export.csv"), QualityReportFormat.inputNotes(validated.report()));
        // A Parquet file named as Hive names them (000000_0) is Parquet all the same: its rows are read.
        Path practitioners;
        try (Stream<Path> s = Files.list(root.resolve("DA_PRA_R"))) {
            practitioners = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.copy(practitioners, root.resolve("DA_PRA_R").resolve("000000_0"));
        assertEquals(2, reader(root).read(SndsTable.DA_PRA_R, FluxSelection.ALL).count());

        // A malformed partition folder is named.
        Path bad = root.resolve("ER_PRS_F").resolve("flux_month=2024-13");
        Files.createDirectories(bad);
        Files.copy(Files.list(month).filter(p -> p.toString().endsWith(".parquet") && !p.getFileName().toString()
                .startsWith(".")).findFirst().orElseThrow(), bad.resolve("part-0.parquet"));
        String m = problem(root);
        assertTrue(m.contains("table ER_PRS_F: partition folder " + bad + " is not flux_month=YYYY-MM"), m);
        delete(bad);

        // A table folder holding only a CSV export.
        Path imb = root.resolve("IR_IMB_R");
        delete(imb);
        Files.createDirectories(imb);
        Files.writeString(imb.resolve("IR_IMB_R.csv"), "BEN_NIR_PSA;IMB_ALD_NUM\n");
        m = problem(root);
        assertTrue(m.contains("table IR_IMB_R: folder " + imb + " holds no Parquet file (found IR_IMB_R.csv)"), m);
    }

    /**
     * An extract copied out of a Hive or Impala warehouse: table folders in lower case, files named
     * {@code 000000_0}, the extract's own IR_NAT_V among them. Read as the same extract in upper case.
     */
    @Test
    void aWarehouseExtractWithLowerCaseFoldersIsRead(@TempDir Path root) throws IOException {
        SndsFixture.write(SndsFixture.extract(prs().keys(1), prs().keys(2).with(PRS_NAT_REF, 3313), pha(2)), root);
        java.util.TreeSet<Integer> natures = new java.util.TreeSet<>(SndsFixture.codes().selectedNatures());
        natures.add(1116);
        SharedSpark.get().createDataset(new java.util.ArrayList<>(natures), org.apache.spark.sql.Encoders.INT()).toDF("prs_nat")
                .coalesce(1).write().parquet(root.resolve(Nomenclatures.NATURES_TABLE).toString());
        for (String table : Stream.concat(Stream.of(SndsTable.values()).map(SndsTable::name),
                Stream.of(Nomenclatures.NATURES_TABLE)).toList()) {
            Path folder = Files.move(root.resolve(table), root.resolve(table.toLowerCase(java.util.Locale.ROOT)));
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                    Files.move(f, f.resolveSibling(f.getFileName().toString().replace(".parquet", "_0")));
                }
            }
        }
        Map<SndsTable, Dataset<Row>> read = reader(root).readAll(FluxSelection.ALL);
        assertEquals(2, read.get(SndsTable.ER_PRS_F).count());
        assertEquals(1, read.get(SndsTable.ER_PHA_F).count());
        assertEquals(1, read.get(SndsTable.DA_PRA_R).count());
        assertEquals(List.of(YearMonth.of(2024, 3)), read.get(SndsTable.ER_PRS_F).select(FLX_DIS_DTD).distinct()
                .collectAsList().stream().map(r -> YearMonth.from(r.getDate(0).toLocalDate())).toList());
        Nomenclatures own = Nomenclatures.of(SharedSpark.get(), new ExtractLayout(root));
        assertEquals(natures, own.natures());
        assertEquals("the extract's IR_NAT_V / packaged IR_SPE_V", own.source());

        // The same table in two cases, none as the job names it: which one holds the extract is not guessed.
        Files.createDirectories(root.resolve("Er_Prs_F"));
        String m = problem(root);
        assertTrue(m.contains("table ER_PRS_F: 2 folders in " + root + " differ only in case (Er_Prs_F, er_prs_f): keep one"), m);

        // The extract's own nomenclature holding a CSV only: named as the reader names a table's folder.
        Path nat = root.resolve(Nomenclatures.NATURES_TABLE.toLowerCase(java.util.Locale.ROOT));
        try (Stream<Path> files = Files.list(nat)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.writeString(nat.resolve("ir_nat_v.csv"), "PRS_NAT\n1111\n");
        InputError e = assertThrows(InputError.class, () -> Nomenclatures.of(SharedSpark.get(), new ExtractLayout(root)));
        assertEquals("table IR_NAT_V: folder " + nat + " holds no Parquet file (found ir_nat_v.csv)", e.getMessage());
    }

    @Test
    void emptyServiceLinesOrBeneficiariesAreBadInput(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = SndsFixture.extract();   // no service line: Spark writes only _SUCCESS
        t.put(SndsTable.IR_BEN_R, t.get(SndsTable.IR_BEN_R).limit(0));
        SndsFixture.write(t, root);
        String m = problem(root);
        assertTrue(m.contains("table ER_PRS_F: folder " + root.resolve("ER_PRS_F") + " holds no Parquet file"), m);
        assertTrue(m.contains("table IR_BEN_R: 0 rows in " + root.resolve("IR_BEN_R")), m);
        // ER_PHA_F empty the same way is a valid empty table.
        assertEquals(0, reader(root).read(SndsTable.ER_PHA_F, FluxSelection.ALL).count());
    }

    @Test
    void aFluxDateOutsideItsFolderIsQuarantinedAndDoesNotBecomeTheLatestFlux(@TempDir Path root) {
        Map<SndsTable, Dataset<Row>> t = SndsFixture.extract(prs().keys(1), prs().keys(2).flux("2100-01-01"));
        Dataset<Row> prs = t.remove(SndsTable.ER_PRS_F);
        // Both lines in the folder of 2024-03, as a damaged export would leave them.
        prs.withColumn(ExtractLayout.FLUX_PARTITION, lit("2024-03")).write().mode(SaveMode.Overwrite)
                .partitionBy(ExtractLayout.FLUX_PARTITION).parquet(root.resolve("ER_PRS_F").toString());
        SndsFixture.write(t, root);
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(reader(root).readAll(FluxSelection.ALL));
        assertEquals(Optional.of(YearMonth.of(2024, 3)), v.report().latestFlux());
        assertEquals(1, v.report().table(SndsTable.ER_PRS_F).count(QuarantineRule.FLUX_DATE_MISMATCH));
        assertEquals(1, v.report().table(SndsTable.ER_PRS_F).kept());
        assertEquals("FLX_DIS_DTD 2100-01-01 is not in its folder flux_month=2024-03",
                v.quarantine(SndsTable.ER_PRS_F).first().getAs(QuarantineColumns.REASON));
        assertEquals(d("2024-03-01"), v.kept(SndsTable.ER_PRS_F).first().getAs(FLX_DIS_DTD));
    }

    /**
     * A file whose footer reads but whose pages are garbage passes the footer check; Spark fails when
     * a task reads it. Still exit 4 naming the file, no stack trace.
     */
    @Test
    void aFileCorruptBehindAnIntactFooterIsExit4NamingIt(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("extract");
        SndsFixture.write(SndsFixture.extract(prs().keys(1), prs().keys(2), prs().keys(3)), root);
        Path part;
        try (Stream<Path> s = Files.walk(root.resolve("ER_PRS_F"))) {
            part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        // Layout: "PAR1", column chunks, footer, footer length (4 bytes, little endian), "PAR1".
        int footer = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        java.util.Arrays.fill(bytes, 4, bytes.length - 8 - footer, (byte) 0x5A);
        Files.write(part, bytes);
        // Copied without Hadoop's checksum file, as an export is (with it, the footer check already fails).
        Files.delete(part.resolveSibling("." + part.getFileName() + ".crc"));
        Run r = validate(root, dir.resolve("out"));
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("atypie: input error: table ER_PRS_F: Parquet file " + part
                + " cannot be read (corrupt data behind a readable footer): IOException can not read class "
                + "org.apache.parquet.format.PageHeader"), r.err());
        assertTrue(r.err().strip().endsWith("; export the file again"), r.err());
        assertTrue(!r.err().contains("\tat ") && r.err().strip().lines().count() == 1, r.err());
    }

    private record Run(int code, String err) {}

    private static Run validate(Path root, Path out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AtypieCli.execute(System.out, new PrintStream(err, true), "validate", root.toString(),
                "--out", out.toString());
        return new Run(code, err.toString());
    }

    @Test
    void aTruncatedFileIsExit4NamingItWithoutAStackTrace(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("extract");
        SndsFixture.write(SndsFixture.extract(prs().keys(1)), root);
        Path part;
        try (Stream<Path> s = Files.walk(root.resolve("ER_PRS_F"))) {
            part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AtypieCli.execute(System.out, new PrintStream(err, true), "validate", root.toString(),
                "--out", dir.resolve("out").toString());
        String e = err.toString();
        assertEquals(ExitCodes.BAD_INPUT, code, e);
        assertTrue(e.contains("table ER_PRS_F: 1 Parquet file(s) truncated or corrupt: " + part), e);
        assertTrue(!e.contains("\tat org.apache") && !e.contains("Exception thrown in awaitResult"), e);
    }
}
