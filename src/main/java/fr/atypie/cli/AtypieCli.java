package fr.atypie.cli;

import fr.atypie.config.ConfigError;
import fr.atypie.publish.PublicationBusy;
import fr.atypie.quality.ImplausibleMonth;
import java.io.IOException;
import fr.atypie.quality.TooMuchQuarantine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code atypie} command (bin/atypie locally, spark-submit on a cluster). */
@Command(name = "atypie",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "CPG indicators, prescriber atypie and accompaniment targeting on SNDS-style extracts.",
            "",
            "Typical month: 'atypie refresh --month 2024-12 --extract DIR --out DIR'.",
            "First contact: 'atypie demo' generates a small extract and runs everything on it."},
        subcommands = {
            DemoCommand.class,
            GenerateCommand.class,
            ValidateCommand.class,
            RefreshCommand.class,
            ReportCommand.class,
            EvaluateCommand.class,
            HistoryCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"",
            "Exit codes: 0 ok, 1 failure, 2 usage, 3 bad configuration, 4 bad input,",
            "5 too much quarantine, 6 busy (another run holds the output folder), 7 implausible",
            "month held (--force to publish), 8 cannot write an output (disk full, permissions)."})
public final class AtypieCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new AtypieCli());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigError) {
                cmd.getErr().println("atypie: configuration error: " + ex.getMessage());
                return ExitCodes.BAD_CONFIG;
            }
            if (ex instanceof InputError) {
                cmd.getErr().println("atypie: input error: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof TooMuchQuarantine) {
                cmd.getErr().println("atypie: too much quarantine: " + ex.getMessage());
                return ExitCodes.TOO_MUCH_QUARANTINE;
            }
            if (ex instanceof PublicationBusy) {
                cmd.getErr().println("atypie: busy: " + ex.getMessage());
                return ExitCodes.BUSY;
            }
            if (ex instanceof ImplausibleMonth) {
                cmd.getErr().println("atypie: implausible month, not published: " + ex.getMessage());
                return ExitCodes.IMPLAUSIBLE;
            }
            IOException io = ioCause(ex);
            if (io != null) {
                // Disk full, read-only or forbidden folder: the message names the path; no stack trace.
                cmd.getErr().println("atypie: cannot write: " + io + " (nothing was published; the previous "
                        + "publication is unchanged)");
                return ExitCodes.CANNOT_WRITE;
            }
            cmd.getErr().println("atypie: failed: " + ex);
            ex.printStackTrace(cmd.getErr());
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }

    /** The file-system error behind {@code ex} (directly, or wrapped by Spark or an UncheckedIOException). */
    static IOException ioCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException || t instanceof java.io.FileNotFoundException
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("No space left on device"))) {
                return (IOException) t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
