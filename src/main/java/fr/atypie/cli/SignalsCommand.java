package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.fs.Store;
import fr.atypie.refresh.WeeklyRun;
import fr.atypie.spark.SparkSessions;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParentCommand;

@Command(name = "signals", mixinStandardHelpOptions = true,
        description = {"The weekly run on sick-leave flows (--week): reads the latest flux months of the extract",
            "(atypie.procedure.weekly.lookback-months) and, for the week ending --as-of, writes the teams' signals:",
            "mandatory ones (insured reaching day 60/90 of a sick leave in the week; prescribers under procedure",
            "whose weekly sick-leave spells keep rising) and optional ones (trend on the weekly flows) within each",
            "department's weekly capacity. Everything it writes is restricted (owner-only, or the restricted group):",
            "OUT/week-ending-<date>/signaux.csv and arrets-longs.csv (counts under 10 hidden); the nominative",
            "day-60/90 lists go to WORK/signals/week-ending-<date>/medical-service/, never under OUT.",
            "Exit codes: 0 ok, 2 usage, 3 bad configuration, 4 bad input, 5 too much quarantine, 8 cannot write."})
public final class SignalsCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--week", description = "The weekly run (the only one so far: required).")
    boolean week;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
            description = "Last day of the week signalled (default: the last day paid in the sick-leave flows read).")
    LocalDate asOf;

    @Option(names = "--extract", paramLabel = "DIR", defaultValue = "data/demo/extract",
            description = "SNDS extract folder, a local path or a URI such as hdfs://nn/risk/extract (default: ${DEFAULT-VALUE}).")
    String extract;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/signals",
            description = "Where the week's restricted folder week-ending-<date> is written, a local path or a URI "
                    + "(default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "work",
            description = "Restricted working area, a local path or a URI: the procedure states the monthly refresh carries "
                    + "are read from WORK/state/procedure, the medical service's lists written to WORK/signals (default: ${DEFAULT-VALUE}).")
    String work;

    @Override
    public Integer call() throws Exception {
        if (!week) {
            throw new ParameterException(spec.commandLine(), "atypie signals needs --week (the weekly run on sick-leave flows)");
        }
        AtypieConfig config = common.load();
        SparkSession spark = SparkSessions.start(config.spark(), "atypie signals --week");
        WeeklyRun.Result r = WeeklyRun.run(spark, config,
                new WeeklyRun.Request(Store.at(extract), Store.at(out), Store.at(work), Optional.ofNullable(asOf)), cli.err());
        cli.out().println("signals of the week " + r.week().first() + " to " + r.week().last() + ": " + r.folder().shown()
                + " (" + r.signals().size() + " signals, " + r.insured() + " insured reaching day "
                + config.procedure().longSickLeaveDays() + ")");
        return ExitCodes.OK;
    }
}
