package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.snds.SndsTable;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.synth.GenerationSummary;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a synthetic SNDS extract (Parquet) with planted ground truth.",
            "Writes OUT/extract/ (the extract) and OUT/truth/ (prescribers.csv, campaign.csv, generation.json).",
            "Options below override the keys of atypie.synth (conf/synth.conf)."})
public final class GenerateCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "data/demo",
            description = "Output folder (default: ${DEFAULT-VALUE}); a previous generation there is replaced.")
    Path out;

    @Option(names = "--scale", paramLabel = "F", description = "Share of the region's population and GPs (1 = whole region).")
    Double scale;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed: same seed and config, same bytes.")
    Long seed;

    @Option(names = "--months", paramLabel = "N", description = "Care months generated.")
    Integer months;

    @Option(names = "--first-month", paramLabel = "YYYY-MM", description = "First care month.")
    String firstMonth;

    @Option(names = "--campaign", negatable = true, description = "Plant a past sick-leave campaign (--no-campaign: none).")
    Boolean campaign;

    @Option(names = "--typed-copies", description = "Also write the extract as Oracle exports type it (decimals) in "
            + "extract-oracle/, as SAS exports do (doubles, timestamps, lower-case names) in extract-sas/, and as "
            + "copied from a Hive warehouse (lower-case folders, files 000000_0, text as binary, Paris midnights "
            + "as UTC timestamps) in extract-hive/.")
    boolean typedCopies;

    @Override
    public Integer call() {
        if (scale != null) {
            common.overrides.put("atypie.synth.scale", scale.toString());
        }
        if (seed != null) {
            common.overrides.put("atypie.synth.seed", seed.toString());
        }
        if (months != null) {
            common.overrides.put("atypie.synth.months", months.toString());
        }
        if (firstMonth != null) {
            common.overrides.put("atypie.synth.first-month", firstMonth);
        }
        if (campaign != null) {
            common.overrides.put("atypie.synth.campaign.enabled", campaign.toString());
        }
        AtypieConfig config = common.load();
        cli.err().printf(Locale.ROOT, "atypie generate: region %s, scale %s, %d months from %s, seed %d%n",
                config.synth().region(), config.synth().scale(), config.synth().months(), config.synth().firstMonth(),
                config.synth().seed());
        GenerationSummary s;
        try {
            s = ExtractGenerator.generate(config.synth(), out, cli.err());
        } catch (IllegalArgumentException e) {
            cli.err().println("atypie generate: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        double secs = s.duration().toMillis() / 1000.0;
        for (SndsTable t : SndsTable.values()) {
            cli.err().printf(Locale.ROOT, "  %-9s %,14d rows%n", t.name(), s.rows(t));
        }
        cli.err().printf(Locale.ROOT, "atypie generate: %,d rows (%,d beneficiaries, %d GPs, %d specialists, "
                        + "%d campaign contacts) in %.1f s, %,.0f rows/s%n", s.totalRows(), s.beneficiaries(), s.gps(),
                s.specialists(), s.campaignContacts(), secs, s.rowsPerSecond());
        if (typedCopies) {
            org.apache.spark.sql.SparkSession spark = fr.atypie.spark.SparkSessions.start(config.spark(), "atypie generate");
            for (fr.atypie.synth.TypedCopy.Flavour f : fr.atypie.synth.TypedCopy.Flavour.values()) {
                java.nio.file.Path copy = out.resolve("extract-" + f.name().toLowerCase(Locale.ROOT));
                fr.atypie.synth.TypedCopy.write(spark, s.extract(), copy, f);
                cli.out().println("extract (" + f.name().toLowerCase(Locale.ROOT) + " types): " + copy);
            }
        }
        cli.out().println("extract: " + s.extract());
        cli.out().println("truth:   " + s.truth());
        return ExitCodes.OK;
    }
}
