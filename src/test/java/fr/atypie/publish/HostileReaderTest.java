package fr.atypie.publish;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.PublishedMonth;
import fr.atypie.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Reads every file of a small generated month's publication as a hostile reader would, with the
 * extract's identifiers at hand: no prescriber identifier outside {@code restricted/}, no patient
 * pseudonym anywhere, no cell under the threshold recoverable by subtracting the shown cells of an
 * additive set or by combining shown columns, and restricted data readable by its owner only.
 *
 * <p>The suite reads the shared small month ({@link PublishedMonth}). Any other published month is
 * read the same way by naming it, its extract and its working area (too slow for the suite at
 * scale 0.05):
 * <pre>mvn -o -Dtest=HostileReaderTest -Datypie.hostile.publication=OUT/2024-12 \
 *     -Datypie.hostile.extract=DATA/extract -Datypie.hostile.work=WORK test</pre>
 */
@Execution(ExecutionMode.CONCURRENT)   // waits for the shared month without holding other classes: see the pom
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileReaderTest {
    private static final int THRESHOLD = 10;
    private Month month;
    private Set<String> prescribers;
    private Set<String> patients;
    /** relative path -> the file's text (Parquet rows, workbook XML, or the file itself). */
    private Map<String, String> published;

    /** The publication read, the extract it was made from, and the working area of its run. */
    record Month(Path publication, Path extract, Path work) {
        static Month chosen() {
            String publication = System.getProperty("atypie.hostile.publication", "");
            if (publication.isBlank()) {
                PublishedMonth.Fixture f = PublishedMonth.get();
                return new Month(f.publication(), f.extract(), f.root().resolve("work"));
            }
            return new Month(Path.of(publication), Path.of(System.getProperty("atypie.hostile.extract")),
                    Path.of(System.getProperty("atypie.hostile.work")));
        }

        YearMonth yearMonth() {
            return YearMonth.parse(publication.getFileName().toString());
        }
    }

    @BeforeAll
    void readEverything() throws IOException {
        month = Month.chosen();
        ExtractLayout layout = new ExtractLayout(month.extract());
        prescribers = strings(layout.tableDir(SndsTable.DA_PRA_R), SndsColumns.PFS_PFS_NUM);
        prescribers.addAll(strings(month.publication().resolve("restricted/segments.parquet"), "prescriber_id"));
        patients = strings(layout.tableDir(SndsTable.IR_BEN_R), SndsColumns.BEN_NIR_PSA);
        assertTrue(prescribers.size() > 10 && patients.size() > 100, prescribers.size() + " prescribers, " + patients.size());
        published = new TreeMap<>();
        try (Stream<Path> files = Files.walk(month.publication())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                published.put(month.publication().relativize(f).toString(), text(f));
            }
        }
    }

    @Test
    void noPatientPseudonymAnywhereAndNoPrescriberOutsideRestricted() {
        List<String> leaks = new ArrayList<>();
        published.forEach((file, text) -> {
            for (String id : tokens(text)) {
                if (patients.contains(id)) {
                    leaks.add(file + ": patient " + id);
                }
                if (!file.startsWith("restricted/") && prescribers.contains(id)) {
                    leaks.add(file + ": prescriber " + id);
                }
            }
        });
        assertEquals(List.of(), leaks.stream().limit(10).toList());
        assertTrue(published.keySet().stream().anyMatch(f -> f.startsWith("restricted/workbooks/")), "workbooks were read");
    }

    private static final String REPORT = "rapport.html";

    /** The public report aggregates only: no funnel point, tooltip or table names a prescriber. */
    @Test
    void thePublicReportNamesNoPrescriber() {
        List<String> named = tokens(published.get(REPORT)).stream().filter(prescribers::contains).distinct().toList();
        assertEquals(List.of(), named);
    }

    @Test
    void noHiddenIndicatorFollowsFromTheRegionTheOtherWindowOrTheScorecard() {
        List<Row> rows = rows("indicators.parquet");
        Map<String, List<Row>> geo = new TreeMap<>();
        Set<String> hidden = new HashSet<>();
        int secret = 0;
        for (Row r : rows) {
            String key = r.<String>getAs("indicator") + "|" + r.getAs("territory") + "|" + r.getAs("window_month");
            geo.computeIfAbsent(r.getAs("indicator") + "|" + r.getAs("window_month"), k -> new ArrayList<>()).add(r);
            if (r.<Boolean>getAs("secret")) {
                secret++;
                hidden.add(key);
                for (String c : List.of("numerator", "denominator", "value", "patients", "previous_value", "change",
                        "expected", "standardised_ratio", "ratio_lower", "ratio_upper", "standardised_value")) {
                    assertTrue(r.isNullAt(r.fieldIndex(c)), key + ": " + c + " shown on a secret row");
                }
            } else {
                assertTrue(r.<Long>getAs("patients") >= THRESHOLD, key + " shows fewer than 10 patients");
            }
        }
        assertTrue(secret > 0, "the tiny month has hidden cells to protect");
        geo.forEach((set, members) -> assertFalse(
                members.stream().filter(r -> r.<Boolean>getAs("secret")).count() == 1,
                set + ": one hidden department/region row, recoverable by subtraction"));
        for (Row r : rows) {
            YearMonth w = YearMonth.parse(r.getAs("window_month"));
            String earlier = r.<String>getAs("indicator") + "|" + r.getAs("territory") + "|" + w.minusMonths(12);
            if (!r.<Boolean>getAs("secret") && r.getAs("previous_value") != null) {
                assertFalse(hidden.contains(earlier), earlier + " shown through previous_value");
            }
        }
        // The scorecard scores no hidden department value.
        Map<String, String> cpgOf = new TreeMap<>();
        rows.forEach(r -> { if (r.getAs("cpg_indicator") != null) cpgOf.put(r.getAs("cpg_indicator"), r.getAs("indicator")); });
        String last = rows.stream().map(r -> r.<String>getAs("window_month")).max(String::compareTo).orElseThrow();
        for (Row s : rows("scorecard.parquet")) {
            String indicator = cpgOf.get(s.<String>getAs("indicator"));
            if (indicator != null && s.getAs("result") != null && "measured".equals(s.getAs("source"))) {
                assertFalse(hidden.contains(indicator + "|" + s.getAs("dept") + "|" + last),
                        "scorecard shows hidden " + indicator + " of " + s.getAs("dept"));
            }
        }
    }

    @Test
    void noHiddenTrendMonthFollowsFromTheRegionOrTheWindow() {
        List<Row> trend = rows("trend.parquet");
        Map<String, List<Boolean>> sets = new TreeMap<>();
        Map<String, String> lastMonth = new TreeMap<>();
        for (Row r : trend) {
            boolean secret = r.getAs("secret");
            if (secret) {
                for (String c : List.of("observed", "expected", "gap", "patients")) {
                    assertTrue(r.isNullAt(r.fieldIndex(c)), c + " shown on a secret trend row");
                }
            }
            sets.computeIfAbsent("geo|" + r.getAs("series") + "|" + r.getAs("month"), k -> new ArrayList<>()).add(secret);
            String st = r.getAs("series") + "|" + r.getAs("territory");
            sets.computeIfAbsent("time|" + st, k -> new ArrayList<>()).add(secret);
            lastMonth.merge(st, r.getAs("month"), (a, b) -> a.compareTo(b) > 0 ? a : b);
        }
        for (Row r : rows("indicators.parquet")) {
            String st = r.getAs("indicator") + "|" + r.getAs("territory");
            if (r.getAs("window_month").equals(lastMonth.get(st))) {
                sets.get("time|" + st).add(r.getAs("secret"));
            }
        }
        assertFalse(sets.isEmpty());
        sets.forEach((set, secret) -> assertFalse(secret.stream().filter(b -> b).count() == 1,
                set + ": a lone hidden cell, recoverable by subtraction"));
    }

    @Test
    void secretPrescriberMetricsHideEveryColumnTheObservedCountFollowsFrom() {
        List<Row> rows = rows("restricted/prescriber_metrics.parquet");
        long secret = 0;
        for (Row r : rows) {
            if (r.<Boolean>getAs("secret")) {
                secret++;
                for (String c : List.of("observed", "denominator", "expected", "ratio", "ratio_lower", "ratio_upper", "z",
                        "z_adjusted", "shrunk_ratio", "percentile", "excess_volume", "excess_amount", "numerator_patients")) {
                    assertTrue(r.isNullAt(r.fieldIndex(c)), c + " shown on a secret metric row");
                }
            } else {
                assertTrue(r.<Long>getAs("numerator_patients") >= THRESHOLD);
            }
        }
        assertTrue(secret > 0 && secret < rows.size(), secret + " secret rows of " + rows.size());
    }

    @Test
    void restrictedDataIsReadableByItsOwnerOnly() throws IOException {
        Path work = month.work();
        for (Path p : List.of(month.publication().resolve("restricted"), work.resolve("state"), work.resolve("state/events"),
                work.resolve(month.yearMonth() + "/quality/quarantine"))) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        try (Stream<Path> files = Files.walk(month.publication().resolve("restricted"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), mode, f.toString());
            }
        }
    }

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]+");

    private static Set<String> tokens(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private List<Row> rows(String file) {
        return SharedSpark.get().read().parquet(month.publication().resolve(file).toString()).collectAsList();
    }

    private static Set<String> strings(Path parquet, String column) {
        return SharedSpark.get().read().parquet(parquet.toString()).select(col(column)).distinct().collectAsList().stream()
                .filter(r -> !r.isNullAt(0)).map(r -> r.get(0).toString()).collect(Collectors.toCollection(HashSet::new));
    }

    private static String text(Path f) throws IOException {
        String name = f.getFileName().toString();
        if (name.endsWith(".parquet")) {
            return SharedSpark.get().read().parquet(f.toString()).collectAsList().stream().map(Row::toString)
                    .collect(Collectors.joining("\n"));
        }
        if (name.endsWith(".xlsx")) {
            StringBuilder b = new StringBuilder();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(f))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    b.append(new String(readAll(zip), StandardCharsets.UTF_8)).append('\n');
                }
            }
            return b.toString();
        }
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
