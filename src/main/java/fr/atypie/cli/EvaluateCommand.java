package fr.atypie.cli;

import fr.atypie.errors.InputError;
import fr.atypie.campaigns.CampaignEvaluation;
import fr.atypie.campaigns.CampaignEvaluator;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.campaigns.TruthHistory;
import fr.atypie.config.AtypieConfig;
import fr.atypie.spark.SparkSessions;
import fr.atypie.fs.Store;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.Nomenclatures;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate an accompaniment campaign against matched control prescribers (difference in differences,",
            "bootstrap interval, placebo and in-time placebo, balance, cost per contact). Writes OUT/evaluations/<campaign>/.",
            "Exit codes: 0 ok, 1 failure, 3 bad configuration, 4 bad input."})
public final class EvaluateCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--campaign", paramLabel = "ID",
            description = "Campaign id in the history (default with --from-truth: the planted campaign).")
    String campaign;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--history", paramLabel = "FILE", required = true,
                description = "Campaign history CSV (campaign;prescriber_id;action;theme;start;end;outcome): a local path or a URI.")
        String history;

        @Option(names = "--from-truth", paramLabel = "DIR", required = true,
                description = "The generator's truth folder: its campaign.csv becomes the history (also written to "
                        + "OUT/evaluations/history-from-truth.csv); a local path or a URI.")
        String truth;
    }

    @Option(names = "--extract", paramLabel = "DIR", defaultValue = "data/demo/extract",
            description = "SNDS extract folder, a local path or a URI such as hdfs://nn/risk/extract (default: ${DEFAULT-VALUE}).")
    String extract;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Output root, a local path or a URI; the evaluation goes to DIR/evaluations/<campaign> "
                    + "(default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--work", paramLabel = "DIR",
            description = {"The monthly refresh's working area (its --work): when its event store holds every flux partition "
                    + "of --extract as it is now, built under the same validation settings, the evaluation reads the events "
                    + "from it instead of validating the whole extract again; otherwise it says why and validates. "
                    + "A local path or a URI. Default: none (validate the extract)."})
    String work;

    @Override
    public Integer call() throws Exception {
        AtypieConfig config = common.load();
        CampaignHistory history;
        String id = campaign;
        if (source.truth != null) {
            history = TruthHistory.read(Store.at(source.truth));
            TruthHistory.write(history, Store.at(out).child("evaluations").child("history-from-truth.csv"));
            if (id == null) {
                id = history.contacts().get(0).campaign();
            }
        } else {
            history = CampaignHistory.read(Store.at(source.history));
            if (id == null) {
                throw new InputError("--campaign ID is required with --history");
            }
        }
        SparkSession spark = SparkSessions.start(config.spark(), "atypie evaluate");
        CampaignEvaluator.Outcome o = CampaignEvaluator.run(spark, config,
                new CampaignEvaluator.Request(id, history, Store.at(extract), Store.at(out),
                        Optional.ofNullable(work).map(w -> new CampaignEvaluator.StoredEvents(
                                MonthlyRefresh.Request.eventStoreIn(Store.at(w)), MonthlyRefresh.eventSettings(config,
                                        Nomenclatures.of(spark, new ExtractLayout(Store.at(extract))))))),
                cli.err());
        for (CampaignEvaluation.Effect e : o.result().effects()) {
            cli.out().println(String.format(Locale.ROOT, "%-26s %-13s DiD %+.4f [%+.4f, %+.4f]  placebo %+.4f",
                    e.measure().code(), e.window(), e.did(), e.ciLow(), e.ciHigh(), e.placeboDid()));
        }
        // A local folder is named as the user named --out; a remote one by its URI.
        cli.out().println("written: " + (Store.isRemote(out) ? o.written().toString()
                : Path.of(out).resolve("evaluations").resolve(id).toString()));
        return ExitCodes.OK;
    }
}
