package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.errors.InputError;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.publish.CatalogRegistration;
import fr.atypie.publish.CatalogSettings;
import fr.atypie.publish.PublishedMonths;
import fr.atypie.spark.SparkSessions;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Register published months in the Spark catalog, as refresh does when",
            "atypie.publish.catalog.enabled = true (database atypie.publish.catalog.database, restricted tables",
            "when atypie.publish.catalog.restricted = true): to fill the catalog with the months published",
            "before it was enabled, or again after a metastore or OUT/_catalog was lost. Re-registering a month",
            "replaces its partitions.",
            "Exit codes: 0 ok (tables that could not be registered are warnings), 1 failure, 3 bad configuration,",
            "4 no month published there, or a --month not published."})
public final class CatalogCommand implements Callable<Integer> {
    /** The command line: where to write (the caller's streams). */
    @ParentCommand
    AtypieCli cli;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Publication root holding DIR/YYYY-MM, a local path or a URI (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--month", paramLabel = "YYYY-MM",
            description = "A published month to register (repeatable); default: every month published in --out.")
    List<YearMonth> months = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        AtypieConfig config = common.load();
        Store outStore = Store.at(out);
        List<YearMonth> published = PublishedMonths.in(outStore);
        List<YearMonth> chosen = months.isEmpty() ? published : months.stream().sorted().distinct().toList();
        if (chosen.isEmpty()) {
            throw new InputError("no published month in " + out);
        }
        List<YearMonth> missing = chosen.stream().filter(m -> !published.contains(m)).toList();
        if (!missing.isEmpty()) {
            throw new InputError("not published in " + out + ": " + missing + " (published: " + published + ")");
        }
        CatalogSettings configured = config.publish().catalog();
        CatalogSettings settings = new CatalogSettings(true, configured.database(), configured.restricted());
        SparkSession spark = SparkSessions.start(config.spark(), "atypie catalog");
        RestrictedAccess access = RestrictedAccess.from(config.publish().restrictedGroup());
        int warnings = 0;
        for (YearMonth m : chosen) {
            // One line per month; a table that cannot be registered is a warning, as after a refresh.
            warnings += CatalogRegistration.afterPublication(spark, settings, access, m, outStore, cli.err()).size();
            cli.out().println("registered: " + m + " in " + settings.database());
        }
        cli.out().println(chosen.size() + " month(s) registered" + (warnings > 0 ? ", " + warnings + " warning(s) above" : ""));
        return ExitCodes.OK;
    }
}
