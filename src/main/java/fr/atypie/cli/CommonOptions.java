package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every subcommand takes: which configuration to use, and single-key overrides. */
public final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "HOCON file layered over the defaults of conf/application.conf.")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set atypie.spark.master=local[2]. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    public AtypieConfig load() {
        return ConfigLoader.load(Optional.ofNullable(configFile), overrides);
    }
}
