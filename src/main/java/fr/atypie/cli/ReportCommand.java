package fr.atypie.cli;

import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.refresh.MonthlyReport;
import fr.atypie.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Arrays;
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
        Path published = publication.resolve(MonthlyReport.REPORT_FILE);
        byte[] before = Files.isRegularFile(published) ? Files.readAllBytes(published) : new byte[0];
        SparkSession spark = SparkSessions.start(config.spark(), "atypie report");
        Path rendered = MonthlyReport.render(spark, config, publication, month);
        // manifest.json records the refresh's report (sha256): say when the new one differs from it.
        System.out.println("rendered: " + rendered + (Arrays.equals(before, Files.readAllBytes(rendered))
                ? " (identical to the published report)"
                : " (replaced; manifest.json still describes the report the refresh published)"));
        return ExitCodes.OK;
    }
}
