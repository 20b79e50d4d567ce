package fr.atypie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = "Monthly run.")
public final class RefreshCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        System.err.println("atypie refresh: not available yet (tracked in issue # validation, indicators, profiles, segments, targeting, publication:6).");
        return ExitCodes.NOT_AVAILABLE;
    }
}
