package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Registration in Spark's built-in (in-memory) catalog of publications written here as the
 * publication writes them: one Parquet file per table in OUT/YYYY-MM and OUT/YYYY-MM/restricted.
 */
@Isolated("registers tables in the shared session's catalog, as HdfsRefreshTest's refresh does")
class CatalogRegistrationTest {
    private static final YearMonth NOV = YearMonth.of(2024, 11);
    private static final YearMonth DEC = YearMonth.of(2024, 12);

    private static final RestrictedAccess ACCESS = RestrictedAccess.ownerOnly();

    private final SparkSession spark = SharedSpark.get();

    @TempDir
    Path out;

    @AfterEach
    void dropDatabases() {
        spark.sql("DROP DATABASE IF EXISTS cattest CASCADE");
        spark.sql("DROP DATABASE IF EXISTS cattest_restricted CASCADE");
    }

    @Test
    void twoMonthsAreTwoPartitionsAndARerunReplacesItsMonth() throws IOException {
        CatalogSettings settings = new CatalogSettings(true, "cattest", false);
        // trend has a "month" column of its own (the care month): hence the partition column's name.
        publish(NOV, "trend", List.of("2024-10", "2024-11"));
        publish(NOV, "restricted/targeting", List.of("p1"));
        publish(DEC, "trend", List.of("2024-10", "2024-11", "2024-12"));

        assertEquals(List.of(), CatalogRegistration.register(spark, settings, ACCESS, NOV, store()));
        assertEquals(List.of(), CatalogRegistration.register(spark, settings, ACCESS, DEC, store()));
        assertEquals(List.of("2024-11,2", "2024-12,3"), perMonth("cattest.trend"));
        assertEquals(List.of("2024-12,2024-12"), rows(
                "SELECT publication_month, max(month) FROM cattest.trend WHERE publication_month = '2024-12' GROUP BY 1"));
        // restricted tables stay out unless asked for
        assertEquals(List.of("trend"), rows("SHOW TABLES IN cattest").stream()
                .map(r -> r.split(",")[1]).toList());
        assertEquals(List.of(), rows("SHOW DATABASES LIKE 'cattest_restricted'"));

        // A re-run of November republishes its file (one row more); registering again replaces the partition.
        publish(NOV, "trend", List.of("2024-09", "2024-10", "2024-11", "2024-11"));
        assertEquals(List.of(), CatalogRegistration.register(spark, settings, ACCESS, NOV, store()));
        assertEquals(List.of("2024-11,4", "2024-12,3"), perMonth("cattest.trend"));
        assertEquals(List.of("2024-11", "2024-12"), rows("SHOW PARTITIONS cattest.trend").stream()
                .map(p -> p.substring("publication_month=".length())).toList());
    }

    @Test
    void restrictedTablesGoToTheirOwnDatabaseWhenAskedFor() throws IOException {
        publish(DEC, "scores", List.of("a", "b"));
        publish(DEC, "restricted/targeting", List.of("p1", "p2", "p3"));
        assertEquals(List.of(), CatalogRegistration.register(spark, new CatalogSettings(true, "cattest", true), ACCESS, DEC, store()));
        assertEquals(List.of("2024-12,2"), perMonth("cattest.scores"));
        assertEquals(List.of("2024-12,3"), perMonth("cattest_restricted.targeting"));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("_catalog/restricted"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                out.resolve("_catalog/restricted/targeting/publication_month=2024-12/targeting.parquet"))));
    }

    /** {@code atypie catalog}: the months published before the catalog was enabled, registered at once. */
    @Test
    void theCatalogCommandRegistersEveryPublishedMonthOrTheOnesNamed() throws IOException {
        publish(NOV, "trend", List.of("2024-10", "2024-11"));
        publish(DEC, "trend", List.of("2024-10", "2024-11", "2024-12"));
        String[] common = {"--out", out.toString(), "--set", "atypie.publish.catalog.database=cattest",
            "--set", "atypie.spark.master=local[2]"};
        assertEquals(fr.atypie.cli.ExitCodes.BAD_INPUT, fr.atypie.cli.AtypieCli.execute(concat(new String[] {"catalog", "--month", "2025-01"}, common)));
        assertEquals(fr.atypie.cli.ExitCodes.OK, fr.atypie.cli.AtypieCli.execute(concat(new String[] {"catalog", "--month", "2024-12"}, common)));
        assertEquals(List.of("2024-12,3"), perMonth("cattest.trend"));
        assertEquals(fr.atypie.cli.ExitCodes.OK, fr.atypie.cli.AtypieCli.execute(concat(new String[] {"catalog"}, common)));
        assertEquals(List.of("2024-11,2", "2024-12,3"), perMonth("cattest.trend"));
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    /** Why partitions hold a copy: Spark takes a file as a partition location, then reads no row from it. */
    @Test
    void sparkReadsNoRowFromAFileGivenAsPartitionLocation() throws IOException {
        publish(DEC, "scores", List.of("a", "b"));
        spark.sql("CREATE DATABASE cattest");
        spark.sql("CREATE TABLE cattest.direct (month STRING, publication_month STRING) USING parquet"
                + " PARTITIONED BY (publication_month) LOCATION '" + out.resolve("direct") + "'");
        spark.sql("ALTER TABLE cattest.direct ADD PARTITION (publication_month = '2024-12') LOCATION '"
                + out.resolve("2024-12/scores.parquet") + "'");
        assertEquals(List.of("0"), rows("SELECT count(*) FROM cattest.direct"));
    }

    @Test
    void aTableThatCannotBeRegisteredIsAWarningAndTheOthersAreRegistered() throws IOException {
        CatalogSettings settings = new CatalogSettings(true, "cattest", false);
        publish(NOV, "scores", List.of("a"));
        publish(NOV, "trend", List.of("2024-11"));
        CatalogRegistration.register(spark, settings, ACCESS, NOV, store());
        // December's scores changed their columns: refused with a warning, trend registered.
        Path dec = out.resolve(DEC.toString());
        Files.createDirectories(dec);
        writeSingleFile(spark.sql("SELECT 'a' AS month, 1 AS extra").coalesce(1), dec.resolve("scores.parquet"));
        publish(DEC, "trend", List.of("2024-12"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> warnings = CatalogRegistration.afterPublication(spark, settings, ACCESS, DEC, store(),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("table cattest.scores not registered for 2024-12: its columns differ"),
                warnings.get(0));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("(the month stays published)"));
        assertEquals(List.of("2024-11,1"), perMonth("cattest.scores"));
        assertEquals(List.of("2024-11,1", "2024-12,1"), perMonth("cattest.trend"));
    }

    @Test
    void disabledRegistersNothing() throws IOException {
        publish(DEC, "scores", List.of("a"));
        assertEquals(List.of(), CatalogRegistration.afterPublication(spark, new CatalogSettings(false, "cattest", true),
                ACCESS, DEC, store(), System.err));
        assertEquals(List.of(), rows("SHOW DATABASES LIKE 'cattest'"));
    }

    private Store store() {
        return Store.local(out);
    }

    /** Writes OUT/M/<table>.parquet with one string column "month", as one Parquet file. */
    private void publish(YearMonth month, String table, List<String> values) throws IOException {
        Path file = out.resolve(month + "/" + table + ".parquet");
        Files.createDirectories(file.getParent());
        writeSingleFile(spark.createDataset(values, Encoders.STRING()).toDF("month").coalesce(1), file);
    }

    private static void writeSingleFile(org.apache.spark.sql.Dataset<Row> rows, Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        rows.write().mode("overwrite").parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> rest = Files.walk(tmp)) {
            rest.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private List<String> perMonth(String table) {
        return rows("SELECT publication_month, count(*) FROM " + table + " GROUP BY publication_month ORDER BY 1");
    }

    private List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.sql(sql).collectAsList()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                cells.add(String.valueOf(r.get(i)));
            }
            out.add(String.join(",", cells));
        }
        return out;
    }
}
