package fr.atypie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate an accompaniment campaign against matched control prescribers.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        System.err.println("atypie evaluate: not available yet (tracked in issue #7).");
        return ExitCodes.NOT_AVAILABLE;
    }
}
