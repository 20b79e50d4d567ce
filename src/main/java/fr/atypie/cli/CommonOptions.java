package fr.atypie.cli;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.errors.ConfigError;
import fr.atypie.fs.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every subcommand takes: which configuration to use, and single-key overrides. */
public final class CommonOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "HOCON file layered over the defaults of conf/application.conf: a local path (with "
                    + "spark-submit --files site.conf, just 'site.conf') or a URI such as hdfs://nn/conf/site.conf.")
    String configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set atypie.spark.master=local[2]. Repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    public AtypieConfig load() {
        return ConfigLoader.load(configPath(), overrides);
    }

    /** The user's configuration file as a local path (a remote one copied first), if given. */
    Optional<Path> configPath() {
        return Optional.ofNullable(configFile).map(CommonOptions::localCopy);
    }

    /** A configuration file on HDFS (or any Hadoop file system) is copied to a local temporary file first. */
    static Path localCopy(String location) {
        if (!Store.isRemote(location)) {
            return Path.of(location);
        }
        try {
            Path copy = Files.createTempFile("atypie-config-", ".conf");
            copy.toFile().deleteOnExit();
            return Files.writeString(copy, Store.readFile(location), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigError("cannot read the configuration file " + location + ": " + e.getMessage(), e);
        }
    }
}
