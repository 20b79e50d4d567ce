package fr.atypie.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.atypie.testing.PublishedMonth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The analysts' notebooks (notebooks/*.ipynb), executed headlessly by Debian's Jupyter against a
 * month published in the test: every cell must run and every figure must be drawn. Outside CI the
 * test is skipped when Jupyter is missing; in CI (CI=true) a missing Jupyter fails it.
 */
@Execution(ExecutionMode.CONCURRENT)   // waits for the shared month without holding other classes: see the pom
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotebooksTest {
    static final Path NBCONVERT = Path.of("/usr/bin/jupyter-nbconvert");
    static final Pattern PNG = Pattern.compile("\"image/png\"");

    PublishedMonth.Fixture published;

    @BeforeAll
    void requireJupyterThenPublishAMonth() {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue(Files.isExecutable(NBCONVERT), "jupyter-nbconvert missing (bin/install-prereqs with ATYPIE_TEST_EXTRAS=true)");
        }
        assertTrue(Files.isExecutable(NBCONVERT), "CI: " + NBCONVERT + " is missing (bin/run-tests installs it)");
        published = PublishedMonth.get();
    }

    /**
     * The plain CSV (plain/ beside each French-Excel CSV) read by pandas with its defaults gives
     * back the published Parquet: same rows, booleans as booleans, numbers as floats (to the 6
     * decimals written), identifiers as text.
     */
    @org.junit.jupiter.api.Test
    void plainCsvRoundTripsThroughPandas(@TempDir Path executed) throws IOException, InterruptedException {
        Path script = executed.resolve("roundtrip.py");
        Files.writeString(script, String.join("\n",
                "import sys, pandas as pd",
                "d = sys.argv[1]",
                "ind = pd.read_csv(d + '/plain/indicators.csv', dtype={'territory': str})",
                "seg = pd.read_csv(d + '/restricted/plain/segments.csv', dtype={'prescriber_id': str, 'dept': str})",
                "print('indicators', len(ind), ind['secret'].dtype, ind['lower_is_better'].dtype, '%.2f' % ind['value'].sum())",
                "print('segments', len(seg), ','.join(sorted(seg['prescriber_id'])[:3]))", ""));
        Path log = executed.resolve("roundtrip.log");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), published.publication().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "python did not finish");   // guards a hang only
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);

        var spark = fr.atypie.testing.SharedSpark.get();
        var ind = spark.read().parquet(published.publication().resolve("indicators.parquet").toString());
        double sum = ind.agg(org.apache.spark.sql.functions.sum("value")).first().getDouble(0);
        var seg = spark.read().parquet(published.publication().resolve("restricted/segments.parquet").toString());
        String firstIds = String.join(",", seg.select("prescriber_id").orderBy("prescriber_id").limit(3)
                .collectAsList().stream().map(r -> r.getString(0)).toList());
        assertEquals("indicators " + ind.count() + " bool bool " + String.format(java.util.Locale.ROOT, "%.2f", sum) + "\n"
                + "segments " + seg.count() + " " + firstIds + "\n", out);
    }

    /**
     * figures: at least this many image/png outputs (one per chart the notebook draws on the fixture).
     * layout: the month as a folder OUT/YYYY-MM, or as published on an object store (then synced or
     * mounted): OUT/YYYY-MM.current naming OUT/versions/YYYY-MM/&lt;run&gt;, which the notebook resolves.
     */
    @ParameterizedTest
    @CsvSource({"segments, 2, folder", "scorecard, 2, pointer", "funnels, 4, folder"})
    void notebookRunsAndDrawsItsFigures(String name, int figures, String layout, @TempDir Path executed)
            throws IOException, InterruptedException {
        // A folder of its own per invocation: the three run at once (a shared instance field was
        // re-pointed by a sibling between nbconvert's write and this test's read).
        Path notebook = Path.of("notebooks", name + ".ipynb").toAbsolutePath();
        assertTrue(Files.isRegularFile(notebook), notebook + " missing");
        Path log = executed.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(NBCONVERT.toString(), "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=120", "--output-dir", executed.toString(), notebook.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        Path monthDir = published.publication();
        String named = monthDir.toString();
        if (layout.equals("pointer")) {
            Path out = executed.resolve("out");
            monthDir = out.resolve("versions/2024-12/20250102T060000");
            Files.createDirectories(monthDir.getParent());
            Files.createSymbolicLink(monthDir, published.publication());
            Files.writeString(out.resolve("2024-12.current"), "version=versions/2024-12/20250102T060000\n");
            named = out.resolve("2024-12").toString();   // no such folder: the pointer names the version
        }
        env.put("ATYPIE_MONTH_DIR", named);
        env.put("PATH", "/usr/bin:/bin:" + env.getOrDefault("PATH", ""));  // Debian's python3, not a pyenv shim
        env.remove("MPLBACKEND");
        Process p = pb.start();
        assertTrue(p.waitFor(900, TimeUnit.SECONDS), name + ": nbconvert did not finish");   // guards a hang only
        assertEquals(0, p.exitValue(), name + ": nbconvert failed:\n" + Files.readString(log));

        String out = Files.readString(executed.resolve(name + ".ipynb"), StandardCharsets.UTF_8);
        Matcher m = PNG.matcher(out);
        int pngs = 0;
        while (m.find()) {
            pngs++;
        }
        assertTrue(pngs >= figures, name + ": " + pngs + " figures, expected at least " + figures);
        assertFalse(out.contains("\"output_type\": \"error\""), name + ": a cell failed");
        assertTrue(out.contains("Publication: " + monthDir), name + ": did not read the test publication " + monthDir);
    }
}
