package fr.atypie.config;

import fr.atypie.errors.ConfigError;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Loads the HOCON configuration: the defaults shipped in {@code conf/} (also packaged in the jar,
 * so spark-submit needs no conf folder), then an optional user file on top, then command-line
 * overrides ({@code -Dkey=value} style pairs). Keys the defaults do not know are rejected, except
 * under the open sections whose entries are user-named (departments, indicators, campaigns...).
 */
public final class ConfigLoader {
    /** Sections whose children are names chosen by the user, not fixed keys. */
    private static final List<String> OPEN_SECTIONS = List.of(
            "atypie.indicators.catalogue",
            "atypie.indicators.measures",
            "atypie.indicators.savings.series",
            "atypie.atypie.themes",
            "atypie.cpg.objectives",
            "atypie.cpg.entered-results",
            "atypie.cpg.axes",
            "atypie.targeting.capacity",
            "atypie.procedure.weekly.capacity",
            "atypie.synth.departments",
            "atypie.campaigns.effects");

    private ConfigLoader() {}

    public static AtypieConfig load(Optional<Path> userFile, Map<String, String> overrides) {
        return AtypieConfig.from(loadRaw(Optional.empty(), userFile, overrides));
    }

    /** As {@link #load}, with a packaged profile (e.g. "demo.conf") layered over the defaults, under the user file. */
    public static AtypieConfig load(String profileResource, Optional<Path> userFile, Map<String, String> overrides) {
        return AtypieConfig.from(loadRaw(Optional.of(profileResource), userFile, overrides));
    }

    public static AtypieConfig defaults() {
        return load(Optional.empty(), Map.of());
    }

    static Config loadRaw(Optional<String> profileResource, Optional<Path> userFile, Map<String, String> overrides) {
        Config defaults;
        try {
            defaults = ConfigFactory.parseResourcesAnySyntax("application",
                    ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError("cannot read the default configuration (application.conf): " + e.getMessage(), e);
        }
        Config user = ConfigFactory.empty();
        if (userFile.isPresent()) {
            Path f = userFile.get();
            if (!Files.isRegularFile(f)) {
                throw new ConfigError("configuration file not found: " + f);
            }
            try {
                user = ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("cannot parse configuration file " + f + ": " + e.getMessage(), e);
            }
        }
        Config profile = ConfigFactory.empty();
        if (profileResource.isPresent()) {
            try {
                profile = ConfigFactory.parseResources(profileResource.get(),
                        ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("cannot read the packaged profile " + profileResource.get() + ": " + e.getMessage(), e);
            }
        }
        Config cli = ConfigFactory.parseMap(overrides, "command-line overrides");
        Config layered = cli.withFallback(user).withFallback(profile);
        // Checked against the resolved defaults: an optional substitution such as ${?ATYPIE_SPARK_MASTER}
        // is still a reference before resolution, and reading it would throw.
        rejectUnknownKeys(layered, resolve(defaults, "the default configuration"));
        try {
            return layered.withFallback(defaults).resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new ConfigError("configuration does not resolve: " + e.getMessage(), e);
        }
    }

    private static Config resolve(Config c, String what) {
        try {
            return c.resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new ConfigError(what + " does not resolve: " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config user, Config defaults) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String path = e.getKey();
            if (OPEN_SECTIONS.stream().anyMatch(open -> path.startsWith(open + "."))) {
                continue;
            }
            if (!defaults.hasPathOrNull(path)) {
                unknown.add(path + suggestion(path, defaults));
            } else if (defaults.getValue(path).valueType() == ConfigValueType.OBJECT
                    && e.getValue().valueType() != ConfigValueType.OBJECT) {
                unknown.add(path + " (expects a section { ... }, got a " + e.getValue().valueType() + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigError("unknown configuration key(s): " + String.join("; ", unknown));
        }
    }

    private static String suggestion(String path, Config defaults) {
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        if (parent.isEmpty() || !defaults.hasPath(parent)) {
            return "";
        }
        try {
            TreeSet<String> known = new TreeSet<>(defaults.getConfig(parent).root().keySet());
            return " (known keys under " + parent + ": " + String.join(", ", known) + ")";
        } catch (ConfigException e) {
            return "";
        }
    }
}
