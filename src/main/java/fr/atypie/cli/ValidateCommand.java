package fr.atypie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an extract's tables, columns and rows; quarantine bad rows and write a data-quality report.")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        System.err.println("atypie validate: not available yet (tracked in issue #3).");
        return ExitCodes.NOT_AVAILABLE;
    }
}
