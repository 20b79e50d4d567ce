package fr.atypie.publish.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Opens the sample report in headless Chromium: it must render (non-blank screenshot), hold its
 * three charts in the DOM and log no console error. Skipped only outside CI when Chromium is
 * absent; {@code bin/install-prereqs} installs it when ATYPIE_TEST_EXTRAS=true.
 */
@Execution(ExecutionMode.CONCURRENT)   // waits for the shared month without holding other classes: see the pom
class ChromiumReportTest {

    static Optional<Path> chromium() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("ATYPIE_CHROMIUM");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    @Test
    void reportRendersOfflineInHeadlessChromium(@TempDir Path dir) throws Exception {
        Optional<Path> browser = chromium();
        Assumptions.assumeTrue(browser.isPresent() || "true".equals(System.getenv("CI")),
                "Chromium not installed: browser check skipped (run bin/install-prereqs with ATYPIE_TEST_EXTRAS=true)");
        Path bin = browser.orElseThrow(() -> new AssertionError("CI=true but no Chromium found"));
        Path html = SampleReport.report().write(dir.resolve("rapport.html"));
        Path png = dir.resolve("rapport.png");

        Run shot = chromium(bin, dir, "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars",
                html.toUri().toString());
        assertEquals(0, shot.exit(), shot.output());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000, "screenshot of " + bytes.length + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(2000, image.getHeight());
        assertTrue(distinctColours(image) > 50, "the page is not blank");
        keepForHumans(html, png);

        Run dom = chromium(bin, dir, "--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString());
        assertEquals(0, dom.exit(), dom.output());
        String out = dom.output();
        assertEquals(3, HtmlReportTest.count(out, "<svg "), "three charts in the DOM");
        assertEquals(13, HtmlReportTest.count(out, "<circle[^>]*class=\"point\""), "one point per department");
        assertTrue(out.contains("<table>"));
        assertFalse(out.contains("Uncaught"), out);
        assertFalse(out.contains(":CONSOLE("), out);
    }

    /**
     * The month published by the shared fixture, as a reader opens it: the public report, the
     * restricted one and one profile sheet fit the 1280 px window (no page or table wider than it)
     * and hold their sections; the report shades its provisional months and names no prescriber
     * (issue 18); the funnels are in the restricted report; the profile sheet shades its trend's
     * provisional months and prints on one A4 page.
     */
    @Test
    void publishedReportAndProfileSheetHaveTheirStructure(@TempDir Path dir) throws Exception {
        Optional<Path> browser = chromium();
        Assumptions.assumeTrue(browser.isPresent() || "true".equals(System.getenv("CI")),
                "Chromium not installed: browser check skipped (run bin/install-prereqs with ATYPIE_TEST_EXTRAS=true)");
        Path bin = browser.orElseThrow(() -> new AssertionError("CI=true but no Chromium found"));
        Path month = fr.atypie.testing.PublishedMonth.get().publication();

        Layout report = layout(bin, dir, month.resolve("rapport.html"));
        assertTrue(report.width() <= 1280, "rapport.html is " + report.width() + " px wide");
        assertEquals(0, report.overflowingTables(), "tables wider than their column in rapport.html");
        List<String> headings = HtmlReportTest.texts(report.dom().replaceAll("<h2>([^<]*)</h2>", "<text class=\"h2\">$1</text>"), "h2");
        assertEquals(List.of("Sommaire", "Chiffres clés", "Tableau de bord CPG par département", "Indicateurs de la région",
                "Indicateurs par département", "Tendances par département", "Économies par rapport à la tendance",
                "Prescripteurs : atypie par thème",
                "Segments et actions", "Qualité des données"), headings);
        assertTrue(HtmlReportTest.count(report.dom(), "class=\"provisional\"") >= 1, "provisional months shaded");
        assertEquals(0, HtmlReportTest.count(report.dom(), "class=\"point\""), "no prescriber point in the public report");
        for (String id : prescriberIds(month)) {
            assertFalse(report.dom().contains(id), "prescriber " + id + " named in the public report");
        }

        Path restricted = month.resolve("restricted/rapport-prescripteurs.html");
        Layout funnels = layout(bin, dir, restricted);
        assertTrue(funnels.width() <= 1280, "rapport-prescripteurs.html is " + funnels.width() + " px wide");
        assertEquals(0, funnels.overflowingTables(), "tables wider than their column in rapport-prescripteurs.html");
        assertTrue(HtmlReportTest.count(funnels.dom(), "class=\"point\"") > 10, "funnel points in the restricted report");

        Path profile;
        try (var files = Files.list(month.resolve("restricted/profils"))) {
            profile = files.filter(f -> !f.getFileName().toString().equals("index.html")).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no profile sheet"));
        }
        Layout sheet = layout(bin, dir, profile);
        assertTrue(sheet.width() <= 1280, profile + " is " + sheet.width() + " px wide");
        assertEquals(0, sheet.overflowingTables(), "tables wider than their column in " + profile);
        for (String section : List.of("Qui", "Segment et motif", "Chaque mesure face aux pairs", "Évolution sur 24 mois",
                "Procédure (art. L162-1-15)", "Contacts précédents")) {
            assertTrue(sheet.dom().contains("<h2>" + section + "</h2>"), section + " missing from " + profile);
        }
        assertTrue(HtmlReportTest.count(sheet.dom(), "class=\"panel-title\"") >= 1, "the trend's panels");
        assertTrue(HtmlReportTest.count(sheet.dom(), "class=\"provisional\"") >= 1, "the trend's provisional months shaded");
        int pages = pdfPages(bin, dir, profile);
        assertEquals(1, pages, profile + " prints on " + pages + " pages");
        for (Path shot : List.of(report.screenshot(), funnels.screenshot(), sheet.screenshot(),
                dir.resolve(profile.getFileName() + ".pdf"))) {
            keepForHumans(shot);
        }
        System.out.println("rapport.html: " + report.width() + " x " + report.height() + " px; rapport-prescripteurs.html: "
                + funnels.width() + " x " + funnels.height() + " px; " + profile.getFileName() + ": " + sheet.width() + " x "
                + sheet.height() + " px, " + pages + " A4 page(s) printed");
    }

    /** Pages of the PDF Chromium prints the page to (A4 from the page's own @page rule, no header or footer). */
    static int pdfPages(Path bin, Path dir, Path html) throws IOException, InterruptedException {
        Path pdf = dir.resolve(html.getFileName() + ".pdf");
        Run print = chromium(bin, dir, "--print-to-pdf=" + pdf, "--no-pdf-header-footer", html.toUri().toString());
        assertEquals(0, print.exit(), print.output());
        String text = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
        return HtmlReportTest.count(text, "/Type\\s*/Page[^s]");
    }

    /** The page's scroll size and its tables wider than their wrapper, read by a probe script in a copy of the page. */
    record Layout(int width, int height, int overflowingTables, String dom, Path screenshot) { }

    static Layout layout(Path bin, Path dir, Path html) throws IOException, InterruptedException {
        Path copy = dir.resolve("probe-" + html.getFileName());
        Files.writeString(copy, Files.readString(html).replace("</body>", "<script>var d=document.documentElement;"
                + "document.body.setAttribute('data-probe',d.scrollWidth+'x'+d.scrollHeight+'x'+[...document.querySelectorAll("
                + "'.table-wrap')].filter(e=>e.scrollWidth>e.clientWidth+1).length);</script></body>"));
        Run dom = chromium(bin, dir, "--window-size=1280,1000", "--dump-dom", copy.toUri().toString());
        assertEquals(0, dom.exit(), dom.output());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-probe=\"(\\d+)x(\\d+)x(\\d+)\"").matcher(dom.output());
        assertTrue(m.find(), dom.output());
        Path png = dir.resolve(html.getFileName() + ".png");
        Run shot = chromium(bin, dir, "--screenshot=" + png, "--window-size=1280," + m.group(2), "--hide-scrollbars",
                html.toUri().toString());
        assertEquals(0, shot.exit(), shot.output());
        return new Layout(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                dom.output(), png);
    }

    static List<String> prescriberIds(Path month) throws IOException {
        List<String> lines = Files.readAllLines(month.resolve("restricted/plain/segments.csv"));
        int c = List.of(lines.get(0).split(",")).indexOf("prescriber_id");
        return lines.stream().skip(1).map(l -> l.split(",")[c]).toList();
    }

    record Run(int exit, String output) { }

    private static Run chromium(Path bin, Path dir, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("chromium-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {   // guards a hang only
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** Leaves pages, screenshots and prints in target/report-sample/ for a look (not read by any test). */
    private static void keepForHumans(Path... files) throws IOException {
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Path keep = Files.createDirectories(target.resolve("report-sample"));
            for (Path f : files) {
                Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
