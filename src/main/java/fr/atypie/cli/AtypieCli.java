package fr.atypie.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import org.apache.spark.sql.SparkSession;
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
            SignalsCommand.class,
            ReportCommand.class,
            EvaluateCommand.class,
            HistoryCommand.class,
            CatalogCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"",
            "Exit codes: 0 ok, 1 failure, 2 usage, 3 bad configuration, 4 bad input,",
            "5 too much quarantine, 6 busy (another run holds the output folder), 7 implausible",
            "month held (--force to publish), 8 cannot write an output (disk full, permissions)."})
public final class AtypieCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    private final PrintStream out;
    private final PrintStream err;

    private AtypieCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Where a command writes its results (what the user asked for). */
    PrintStream out() {
        return out;
    }

    /** Where a command writes its progress, warnings and errors. */
    PrintStream err() {
        return err;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /**
     * Returns normally on success: under YARN cluster mode the ApplicationMaster calls this method,
     * and a System.exit, even with 0, cuts it short and YARN marks the run FAILED (and may rerun
     * it). A failure exits with its code, which the local launcher and client-mode spark-submit
     * return; in cluster mode YARN and Kubernetes only report "failed", and the exact code is in
     * the run-status file beside the publication.
     */
    public static void main(String[] args) {
        int code = run(args);
        if (code != ExitCodes.OK) {
            System.exit(code);
        }
    }

    /** {@link #execute}, then stops the Spark session a command started (the driver then ends cleanly). */
    static int run(String... args) {
        try {
            return execute(args);
        } catch (VirtualMachineError e) {
            // picocli hands Exceptions to the handler below, not Errors: a heap too small for the extract
            // would end with a JVM stack trace (thousands of frames for Spark's page retries) and no advice.
            String hint = ExitCodes.outOfMemory(e).orElseThrow(() -> e);
            System.err.println("atypie: failed: " + hint);
            return ExitCodes.FAILURE;
        } finally {
            scala.Option<SparkSession> session = SparkSession.getDefaultSession();
            if (session.isDefined()) {
                session.get().stop();
            }
        }
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return execute(new CommandLine(new AtypieCli(System.out, System.err)), args);
    }

    /**
     * As {@link #execute(String...)}, the commands writing to {@code out} and {@code err} instead of
     * {@code System.out} and {@code System.err}: a caller reads what one run said, beside other runs.
     */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new AtypieCli(out, err));
        cli.setOut(new PrintWriter(new Forward(out), true));
        cli.setErr(new PrintWriter(new Forward(err), true));
        return execute(cli, args);
    }

    private static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((failure, cmd, parsed) -> {
            Throwable ex = ExitCodes.reported(failure);
            int code = ExitCodes.of(ex);
            switch (code) {
                case ExitCodes.BAD_CONFIG -> cmd.getErr().println("atypie: configuration error: " + ex.getMessage());
                case ExitCodes.BAD_INPUT -> cmd.getErr().println("atypie: input error: " + ex.getMessage());
                case ExitCodes.TOO_MUCH_QUARANTINE -> cmd.getErr().println("atypie: too much quarantine: " + ex.getMessage());
                case ExitCodes.BUSY -> cmd.getErr().println("atypie: busy: " + ex.getMessage());
                case ExitCodes.IMPLAUSIBLE -> cmd.getErr().println("atypie: implausible month, not published: " + ex.getMessage());
                // Disk full, read-only or forbidden folder: the message names the path; no stack trace.
                case ExitCodes.CANNOT_WRITE -> cmd.getErr().println("atypie: cannot write: " + ExitCodes.ioCause(ex)
                        + " (nothing was published; the previous publication is unchanged)");
                default -> {
                    cmd.getErr().println("atypie: failed: " + ex);
                    ex.printStackTrace(cmd.getErr());
                    ExitCodes.outOfMemory(ex).ifPresent(hint -> cmd.getErr().println("atypie: " + hint));
                }
            }
            return code;
        });
        return cli.execute(args);
    }

    /** picocli's messages (usage, errors) into a caller's stream, in that stream's own charset. */
    private static final class Forward extends Writer {
        private final PrintStream to;

        Forward(PrintStream to) {
            this.to = to;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            to.print(new String(chars, offset, length));
        }

        @Override
        public void flush() {
            to.flush();
        }

        @Override
        public void close() {
            // the caller's stream stays open
        }
    }
}
