package fr.atypie.synth;

import static fr.atypie.snds.SndsColumns.PRS_NAT_REF;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small generated extract (with its nomenclatures and, at DCIR-like shares, lines of natures the
 * job does not use), its Oracle-typed and its SAS-typed copies publish the same rows and values.
 * Shown in two parts, so that it costs no more than the event-level comparison it replaces (a
 * refresh of even a tiny extract is mostly fixed Spark overhead):
 * <ul>
 *   <li>the reader gives every table of each copy (claims, referentials, nomenclatures) as the very
 *       rows of the generated extract, coerced to the contract types, none tagged;</li>
 *   <li>the two copies, refreshed at once on the shared session, publish the same tables (Parquet
 *       rows, CSV bytes), and those tables are not empty: the publication is a function of the rows
 *       read, whatever their physical types and file layout.</li>
 * </ul>
 * (A third refresh, of the generated extract itself, was checked to publish the same too; it made
 * the test half as dear again as the event-level comparison, for no further cover.)
 */
class TypedCopiesTest {
    private static final YearMonth MONTH = YearMonth.of(2024, 4);

    @Test
    void oracleAndSasTypedCopiesPublishTheSameRowsAndValues(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("tiny.conf"), """
                atypie.synth { scale = 0.001, months = 4, first-month = "2024-01", extra-flux-months = 1,
                  campaign.enabled = false, mess.other-lines-per-claim = 1.5 }
                atypie.indicators.window-months = 3
                atypie.atypie { activity-bands = [0], min-patients = 10 }
                """);
        AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
        GenerationSummary s = ExtractGenerator.generate(config.synth(), dir.resolve("data"));
        Path oracle = dir.resolve("oracle");
        Path sas = dir.resolve("sas");
        TypedCopy.write(SharedSpark.get(), s.extract(), oracle, TypedCopy.Flavour.ORACLE);
        TypedCopy.write(SharedSpark.get(), s.extract(), sas, TypedCopy.Flavour.SAS);
        assertEquals(new DecimalType(10, 0), SharedSpark.get().read().parquet(oracle.resolve("ER_PRS_F").toString())
                .schema().apply(PRS_NAT_REF).dataType());
        assertEquals(DataTypes.TimestampType, SharedSpark.get().read().parquet(sas.resolve("ER_PRS_F").toString())
                .schema().apply("exe_soi_dtd").dataType());
        // At mess.other-lines-per-claim = 1.5 the job's own natures are a minority of the lines, as in DCIR.
        Dataset<Row> lines = SharedSpark.get().read().parquet(s.extract().resolve("ER_PRS_F").toString());
        long selected = lines.filter(col(PRS_NAT_REF).isin(config.dcir().codes().selectedNatures().toArray())).count();
        assertTrue(selected < lines.count() / 2, selected + " of " + lines.count() + " lines of the job's natures");

        // 1. Read as the contract says, every table of each copy is the generated extract's.
        Map<SndsTable, Dataset<Row>> generated = new ExtractReader(SharedSpark.get(), new ExtractLayout(s.extract()))
                .readAll(FluxSelection.ALL);
        Map<SndsTable, List<String>> expected = new java.util.EnumMap<>(SndsTable.class);
        generated.forEach((t, rows) -> expected.put(t, rows(rows)));
        for (Path copy : List.of(oracle, sas)) {
            Map<SndsTable, Dataset<Row>> read = new ExtractReader(SharedSpark.get(), new ExtractLayout(copy)).readAll(FluxSelection.ALL);
            for (SndsTable t : SndsTable.values()) {
                // With the reader's rule and reason columns: null on every row, as on the generated extract's.
                assertEquals(expected.get(t), rows(read.get(t)), copy + " " + t);
            }
        }
        Nomenclatures n = Nomenclatures.of(SharedSpark.get(), new ExtractLayout(s.extract()));
        for (Path copy : List.of(oracle, sas)) {
            Nomenclatures c = Nomenclatures.of(SharedSpark.get(), new ExtractLayout(copy));
            assertEquals(n.natures(), c.natures(), copy.toString());
            assertEquals(n.specialties(), c.specialties(), copy.toString());
            assertTrue(c.source().contains("the extract's"), c.source());
        }

        // 2. Both copies refreshed at once: the same publication.
        Map<Path, Path> runs = new java.util.LinkedHashMap<>();
        for (Path extract : List.of(oracle, sas)) {
            runs.put(extract, dir.resolve(extract.getFileName() + "-run"));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs.size());
        try {
            List<java.util.concurrent.Future<Path>> done = new java.util.ArrayList<>();
            runs.forEach((extract, run) -> done.add(pool.submit(() -> refresh(config, extract, run))));
            for (java.util.concurrent.Future<Path> f : done) {
                f.get(20, java.util.concurrent.TimeUnit.MINUTES);   // guards a hang only
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a refresh failed", e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> fromOracle = published(runs.get(oracle).resolve("out").resolve(MONTH.toString()));
        Map<String, String> fromSas = published(runs.get(sas).resolve("out").resolve(MONTH.toString()));
        assertTrue(fromOracle.keySet().containsAll(List.of("indicators.parquet", "indicators.csv",
                "restricted/prescriber_metrics.parquet", "restricted/targeting.parquet")), fromOracle.keySet().toString());
        assertTrue(fromOracle.get("indicators.parquet").lines().count() > 20, fromOracle.get("indicators.parquet"));
        assertTrue(fromOracle.get("restricted/prescriber_metrics.parquet").lines().count() > 20);
        assertEquals(fromOracle.keySet(), fromSas.keySet());
        fromOracle.forEach((file, content) -> assertEquals(content, fromSas.get(file), file));
        for (Path copy : List.of(oracle, sas)) {
            String report = Files.readString(runs.get(copy).resolve("work/" + MONTH + "/quality/quality-report.txt"));
            // Lines of natures the job does not select pass validation: none is an unknown code.
            assertTrue(!report.contains("unknown_code"), report);
            assertTrue(report.contains("    coerced PRS_NAT_REF: " + (copy == oracle ? "decimal(10,0)" : "double") + " -> int"),
                    report);
        }
    }

    private static List<String> rows(Dataset<Row> table) {
        return table.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static Path refresh(AtypieConfig config, Path extract, Path run) throws IOException {
        MonthlyRefresh.run(SharedSpark.get(), config, new MonthlyRefresh.Request(extract, run.resolve("out"),
                run.resolve("work"), Optional.of(MONTH), Optional.empty()), new PrintStream(OutputStream.nullOutputStream()));
        return run.resolve("out").resolve(MONTH.toString());
    }

    /**
     * Every published table: Parquet files as their sorted rows, CSV files as their text. The
     * manifest (run id, input fingerprints) and the quality report (which lists the coercions) say
     * how the month was made, not what it holds: left out.
     */
    private static Map<String, String> published(Path month) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(month)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = month.relativize(f).toString();
                if (name.endsWith(".parquet")) {
                    out.put(name, String.join("\n", SharedSpark.get().read().parquet(f.toString()).collectAsList().stream()
                            .map(Row::toString).sorted().toList()));
                } else if (name.endsWith(".csv")) {
                    out.put(name, Files.readString(f));
                }
            }
        }
        return out;
    }
}
