package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.publish.CatalogRegistration;
import fr.atypie.publish.PublishedMonths;
import fr.atypie.publish.RunManifest;
import fr.atypie.publish.RunStatus;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParentCommand;

@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"The monthly run: validation, events, indicators (crude, standardised, spells, savings),",
            "CPG scorecard, prescriber profiles, segments, targeting, then one atomic publication in OUT/YYYY-MM.",
            "A failed run leaves the previous publication of that month untouched.",
            "Incremental: the typed events are kept by care month in WORK/state/events; a run rebuilds only",
            "the care months that new or re-delivered flux partitions can change (flux months >= the earliest",
            "care month they hold) and rolls the 12-month windows over the stored months. --full-rebuild",
            "rebuilds every month (same outputs; needed after a change in the referentials IR_BEN_R, IR_IMB_R).",
            "Each run writes OUT/YYYY-MM.status.json and OUT/last-run.status.json (status, exit code, month, outputs).",
            "Exit codes: 0 ok, 1 failure, 3 bad configuration, 4 bad input, 5 too much quarantine,",
            "6 busy (another run on OUT), 7 implausible month held (see --force), 8 cannot write."})
public final class RefreshCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "Refresh month: last month of the 12-month windows (default: the latest flux month).")
    YearMonth month;

    @Option(names = "--extract", paramLabel = "DIR", defaultValue = "data/demo/extract",
            description = "SNDS extract folder, a local path or a URI such as hdfs://nn/risk/extract (default: ${DEFAULT-VALUE}).")
    String extract;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Publication root, a local path or a URI; the month is published in DIR/YYYY-MM (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "work",
            description = "Restricted working area, a local path or a URI: quarantined rows, the full quality report and "
                    + "the event store (default: ${DEFAULT-VALUE}).")
    String work;

    @Option(names = "--full-rebuild",
            description = "Rebuild the events of every care month from the whole extract instead of the months new flux touched.")
    boolean fullRebuild;

    @Option(names = "--force",
            description = "Publish even when the plausibility checks fail (empty required table, month outside the "
                    + "extract's flux, totals far from the previous publication); the reasons are kept in quality/.")
    boolean force;

    @Option(names = "--campaigns", paramLabel = "FILE",
            description = "Campaign history CSV (campaign;prescriber_id;action;theme;start;end;outcome): recently "
                    + "contacted prescribers and those under procedure are left out of the action lists (a local path or a URI).")
    String campaigns;

    @Option(names = "--skip-if-published",
            description = "Do nothing (exit 0) when OUT/YYYY-MM.status.json records a successful run of --month "
                    + "and its publication is there: lets a scheduler retry a day without redoing a good month.")
    boolean skipIfPublished;

    @Override
    public Integer call() throws Exception {
        AtypieConfig config = common.load();
        Store outStore = Store.at(out);
        if (skipIfPublished) {
            if (month == null) {
                throw new ParameterException(spec.commandLine(), "--skip-if-published needs --month");
            }
            Optional<RunStatus> done = RunStatus.read(outStore, month);
            Optional<Store> published = PublishedMonths.of(outStore, month);
            if (done.isPresent() && done.get().succeeded() && published.isPresent() && published.get().isFile(RunManifest.FILE_NAME)) {
                cli.out().println("already published: " + done.get().publication() + " (run " + done.get().runId() + ")");
                return ExitCodes.OK;
            }
        }
        Instant started = Instant.now();
        try {
            SparkSession spark = SparkSessions.start(config.spark(), "atypie refresh");
            MonthlyRefresh.Outcome o = MonthlyRefresh.run(spark, config,
                    new MonthlyRefresh.Request(Store.at(extract), outStore, Store.at(work), Optional.ofNullable(month),
                            Optional.ofNullable(campaigns).map(Store::at), fullRebuild, force),
                    cli.err());
            RunManifest m = RunManifest.read(o.published());
            // A local publication is named as the user named --out; a remote one by its URI.
            String publication = Store.isRemote(out) ? o.published().toString() : Path.of(out).resolve(o.month().toString()).toString();
            new RunStatus(RunStatus.SUCCEEDED, ExitCodes.OK, o.month().toString(), m.runId(), started.toString(),
                    Instant.now().toString(), publication,
                    m.outputs().stream().map(RunManifest.Output::path).toList(), null)
                    .withWarnings(CatalogRegistration.afterPublication(spark, config.publish().catalog(),   // never un-publishes
                            RestrictedAccess.from(config.publish().restrictedGroup()), o.month(), outStore, cli.err()))
                    .write(outStore);
            cli.out().println("published: " + publication);
            return ExitCodes.OK;
        } catch (Exception | Error e) {
            try {
                new RunStatus(RunStatus.FAILED, ExitCodes.of(e), month == null ? null : month.toString(), null,
                        started.toString(), Instant.now().toString(), null, List.of(), String.valueOf(ExitCodes.reported(e).getMessage()))
                        .write(outStore);
            } catch (IOException | RuntimeException statusFailure) {
                e.addSuppressed(statusFailure);
            }
            throw e;
        }
    }
}
