package fr.atypie.cli;

import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.events.Ingestion;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Scratch;
import fr.atypie.fs.Store;
import fr.atypie.quality.QualityOutputs;
import fr.atypie.quality.QualityReportFormat;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.FluxSelection;
import fr.atypie.spark.SparkSessions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check an extract's tables, columns and rows; quarantine bad rows and write a data-quality report.",
            "Exit 0 when every table is within atypie.quality.max-quarantine-share, 4 when the extract is unusable",
            "(missing table, missing or mistyped column), 5 when a table has too much quarantine."})
public final class ValidateCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "EXTRACT",
            description = {"Extract folder: one sub-folder per SNDS table (flux tables optionally in flux_month=YYYY-MM);",
                "a local folder or a URI such as hdfs://nn/risk/extract."})
    String extract;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/validate",
            description = {"Where to write quarantine/<TABLE>/ (restricted) and quality-report.json/.txt (default: ${DEFAULT-VALUE}):",
                "a local folder or a URI such as hdfs://nn/risk/validate."})
    String out;

    @Option(names = "--flux-from", paramLabel = "YYYY-MM", description = "First flux month to read (default: all).")
    YearMonth fluxFrom;

    @Option(names = "--flux-to", paramLabel = "YYYY-MM", description = "Last flux month to read (default: all).")
    YearMonth fluxTo;

    @Override
    public Integer call() throws IOException {
        AtypieConfig config = common.load();
        if (fluxFrom != null && fluxTo != null && fluxFrom.isAfter(fluxTo)) {
            throw new InputError("--flux-from " + fluxFrom + " is after --flux-to " + fluxTo);
        }
        FluxSelection flux = new FluxSelection(Optional.ofNullable(fluxFrom), Optional.ofNullable(fluxTo));
        SparkSession spark = SparkSessions.start(config.spark(), "atypie validate");
        // A plain path stays as the user wrote it in the messages; a URI names its file system.
        Store outStore = Store.at(out);
        String where = Store.isRemote(out) ? out.replaceAll("/+$", "") : Path.of(out).toString();
        RestrictedAccess access = RestrictedAccess.from(config.publish().restrictedGroup());
        // The validated lines are kept beside the report, where a cluster's executors can write them.
        try (Scratch lines = Scratch.in(outStore, "validate", access)) {
            ValidatedExtract v = Ingestion.validate(spark, ExtractLayout.at(extract), config, flux, lines.store());
            QualityOutputs.write(v, outStore, extract, access);
            PrintStream said = cli.out();
            said.print(QualityReportFormat.text(v.report(), extract));
            said.println("Report: " + where + "/" + QualityOutputs.REPORT_JSON + ", " + where + "/" + QualityOutputs.REPORT_TEXT);
            said.println("Quarantined rows (restricted, patient pseudonyms inside): " + where + "/" + QualityOutputs.QUARANTINE_DIR);
            return v.report().acceptable() ? ExitCodes.OK : ExitCodes.TOO_MUCH_QUARANTINE;
        }
    }
}
