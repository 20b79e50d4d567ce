package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.refresh.MonthlyReport;
import fr.atypie.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Re-render rapport.html of a published month from its published tables (Parquet and the",
            "data-quality report), with the builder the refresh uses; the file is replaced atomically.",
            "Use it after a change of report layout or of labels, without re-running the month.",
            "Exit codes: 0 ok, 1 failure, 3 bad configuration, 4 month not published or incomplete."})
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--month", paramLabel = "YYYY-MM", required = true, description = "The published month.")
    YearMonth month;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Publication root holding DIR/YYYY-MM (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        AtypieConfig config = common.load();
        Path publication = out.resolve(month.toString());
        if (!Files.isDirectory(publication)) {
            throw new InputError("no publication of " + month + " in " + out + " (expected folder " + publication + ")");
        }
        SparkSession spark = SparkSessions.start(config.spark(), "atypie report");
        System.out.println("rendered: " + MonthlyReport.render(spark, config, publication, month));
        return ExitCodes.OK;
    }
}
