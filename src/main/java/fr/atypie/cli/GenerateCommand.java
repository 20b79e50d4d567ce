package fr.atypie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic SNDS extract (Parquet) with planted ground truth.")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        System.err.println("atypie generate: not available yet (tracked in issue #2).");
        return ExitCodes.NOT_AVAILABLE;
    }
}
