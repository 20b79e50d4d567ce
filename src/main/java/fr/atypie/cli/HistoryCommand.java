package fr.atypie.cli;

import fr.atypie.atypie.Metric;
import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignEvaluator;
import fr.atypie.campaigns.TargetingHistory;
import fr.atypie.config.AtypieConfig;
import fr.atypie.fs.Store;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Turn the action lists of published months (OUT/YYYY-MM/restricted/targeting.csv) into a campaign",
            "history (campaign;prescriber_id;action;theme;start;end;outcome) for 'atypie evaluate --history'.",
            "Only entries within capacity are contacts: Visites DAM -> DAM, Échanges confraternels -> EC,",
            "MSO-MSAP -> OBSERVATION (end left empty: still running); the waiting list and positive feedback",
            "are skipped. Theme: the main driver's theme code. Start: the list's month + start-lag-months",
            "(atypie.campaigns.start-lag-months); a DAM visit or an EC ends when it starts.",
            "Exit codes: 0 ok, 1 failure, 2 usage, 3 bad configuration, 4 targeting file missing or malformed."})
public final class HistoryCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--from-targeting", paramLabel = "DIR", required = true,
            description = {"A published month folder OUT/YYYY-MM (its restricted/targeting.csv), a local path or a URI",
                    "(hdfs://..., s3a://...; on an object store the version OUT/YYYY-MM.current names). Repeatable."})
    List<String> publications;

    @Option(names = "--campaign", paramLabel = "ID", required = true,
            description = "Campaign id written on every row (letters, digits, '.', '_', '-').")
    String campaign;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The campaign history CSV to write (replaced if it exists), a local path or a URI.")
    String out;

    @Override
    public Integer call() throws Exception {
        AtypieConfig config = common.load();
        CampaignEvaluator.requireSafeId(campaign);
        Map<String, String> themeByLabel = new TreeMap<>();
        for (Metric m : config.atypie().metrics()) {
            themeByLabel.put(m.themeLabel(), m.theme());
        }
        TargetingHistory.Result r = TargetingHistory.read(publications.stream().map(Store::at).toList(), campaign,
                config.campaigns().startLagMonths(), config.publish().csv().separator(), themeByLabel);
        r.history().write(Store.at(out));
        Map<CampaignContact.Action, Integer> byAction = new EnumMap<>(CampaignContact.Action.class);
        r.history().contacts().forEach(c -> byAction.merge(c.action(), 1, Integer::sum));
        cli.out().println("written: " + out + " (" + r.history().contacts().size() + " contacts " + byAction
                + "; skipped: " + r.waitingList() + " on waiting lists, " + r.positiveFeedback() + " positive feedback)");
        return ExitCodes.OK;
    }
}
