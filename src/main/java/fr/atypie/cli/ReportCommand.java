package fr.atypie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render the HTML report of a published month.")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        System.err.println("atypie report: not available yet (tracked in issue #6).");
        return ExitCodes.NOT_AVAILABLE;
    }
}
