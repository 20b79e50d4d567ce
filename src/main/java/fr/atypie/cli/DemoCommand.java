package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.spark.SparkSessions;
import fr.atypie.synth.ExtractGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"First contact: generates the demo extract (atypie.synth defaults) if DIR/extract is absent,",
            "then runs the monthly refresh on it and prints where the outputs are. The demo profile (conf/demo.conf)",
            "enters illustrative results for the CPG indicators that claims cannot produce."})
public final class DemoCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/demo",
            description = "Demo data folder: DIR/extract and DIR/truth (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Publication root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        // The demo profile enters illustrative results for the CPG indicators claims cannot produce.
        AtypieConfig config = ConfigLoader.load("demo.conf", common.configPath(), common.overrides);
        Path extract = data.resolve("extract");
        if (!Files.isDirectory(extract)) {
            cli.err().println("atypie demo: generating a demo extract in " + data + " (scale "
                    + config.synth().scale() + ", " + config.synth().months() + " months)...");
            ExtractGenerator.generate(config.synth(), data, cli.err());
        } else {
            cli.err().println("atypie demo: using the existing extract " + extract + " (delete it to regenerate)");
        }
        SparkSession spark = SparkSessions.start(config.spark(), "atypie demo");
        MonthlyRefresh.Outcome o = MonthlyRefresh.run(spark, config,
                new MonthlyRefresh.Request(extract, out, data.resolve("work"), Optional.empty(), Optional.empty()),
                cli.err());
        PrintStream said = cli.out();
        said.println();
        said.println("Demo done. Month " + o.month() + " published in " + o.publication() + ":");
        said.println("  indicators.csv, trend.csv, scorecard.csv, scores.csv   aggregates by department and region");
        said.println("  restricted/segments.csv, restricted/targeting.csv      prescriber segments and action lists");
        said.println("  restricted/workbooks/ciblage-*.xlsx                    one workbook per department");
        said.println("  plain/*.csv, restricted/plain/*.csv                    the same tables for R, SAS, pandas (',' and '.')");
        said.println("  quality/quality-report.txt, manifest.json              data quality and run manifest");
        said.println("Ground truth of the generated extract: " + data.resolve("truth"));
        // What to open first: the report for everyone, the restricted report, a workbook and a profile sheet.
        Path month = o.publication().toAbsolutePath();
        said.println("Open:");
        said.println("  " + month.resolve("rapport.html") + "   (aggregates, for everyone)");
        said.println("  " + month.resolve("restricted/rapport-prescripteurs.html") + "   (funnels per prescriber)");
        try (var files = java.nio.file.Files.list(month.resolve("restricted/workbooks"))) {
            files.sorted().limit(1).forEach(f -> said.println("  " + f + "   (action lists; one workbook per department)"));
        } catch (java.io.IOException e) {
            // no workbook: nothing to point at
        }
        if (Files.isRegularFile(month.resolve("restricted/profils/index.html"))) {
            said.println("  " + month.resolve("restricted/profils/index.html") + "   (profile sheets, one per prescriber to contact)");
        }
        return ExitCodes.OK;
    }
}
