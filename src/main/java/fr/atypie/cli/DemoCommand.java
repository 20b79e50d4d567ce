package fr.atypie.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a small demo extract (if absent) and run every available stage on it.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.load();
        System.err.println("atypie demo: no stage is available yet.");
        return ExitCodes.NOT_AVAILABLE;
    }
}
