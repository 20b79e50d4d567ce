package fr.atypie.cli;

import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.refresh.MonthlyReport;
import fr.atypie.spark.SparkSessions;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import fr.atypie.publish.PublishedMonths;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Re-render rapport.html of a published month from its published tables (Parquet and the",
            "data-quality report), with the builder the refresh uses; the file is replaced atomically.",
            "Use it after a change of report layout or of labels, without re-running the month.",
            "Exit codes: 0 ok, 1 failure, 3 bad configuration, 4 month not published or incomplete."})
public final class ReportCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--month", paramLabel = "YYYY-MM", required = true, description = "The published month.")
    YearMonth month;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Publication root holding DIR/YYYY-MM, a local path or a URI such as hdfs://nn/risk/out "
                    + "(default: ${DEFAULT-VALUE}).")
    String out;

    @Override
    public Integer call() throws Exception {
        AtypieConfig config = common.load();
        Store outStore = Store.at(out);
        // A local month is named as the user named --out; a remote one by its URI.
        String folder = Store.isRemote(out) ? outStore.child(month.toString()).toString() : Path.of(out).resolve(month.toString()).toString();
        // On an object store the month is the version its pointer OUT/YYYY-MM.current names.
        Store publication = PublishedMonths.of(outStore, month).orElseThrow(() -> new InputError("no publication of " + month
                + " in " + out + " (expected folder " + folder + " or pointer " + folder + VersionedFolders.POINTER_SUFFIX + ")"));
        String before = publication.readText(MonthlyReport.REPORT_FILE).orElse("");
        SparkSession spark = SparkSessions.start(config.spark(), "atypie report");
        MonthlyReport.render(spark, config, publication, month);
        // manifest.json records the refresh's report (sha256): say when the new one differs from it.
        String rendered = Store.isRemote(out) ? publication.child(MonthlyReport.REPORT_FILE).toString()
                : Path.of(folder).resolve(MonthlyReport.REPORT_FILE).toString();
        cli.out().println("rendered: " + rendered + (before.equals(publication.readText(MonthlyReport.REPORT_FILE).orElse(""))
                ? " (identical to the published report)"
                : " (replaced; manifest.json still describes the report the refresh published)"));
        return ExitCodes.OK;
    }
}
