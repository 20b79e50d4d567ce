package fr.atypie.settings;

import fr.atypie.errors.ConfigError;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed, range-checked reads of one configuration section. Every failure is a {@link ConfigError}
 * naming the full key (e.g. {@code atypie.dcir.consolidation-months}), so a typo in a config file
 * stops the job at start-up with a sentence a statistician can act on.
 */
public final class Section {
    private final Config config;
    private final String prefix;

    public Section(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    public static Section of(Config root, String path) {
        if (!root.hasPath(path)) {
            throw new ConfigError("missing configuration section '" + path + "'");
        }
        return new Section(root.getConfig(path), path);
    }

    public Section child(String key) {
        return new Section(read(key, config::getConfig), key(key));
    }

    public boolean has(String key) {
        return config.hasPath(key);
    }

    public String key(String key) {
        return prefix + "." + key;
    }

    public String string(String key) {
        String v = read(key, config::getString);
        if (v.isBlank()) {
            throw new ConfigError(key(key) + " must not be blank");
        }
        return v;
    }

    public String string(String key, List<String> allowed) {
        String v = string(key);
        if (!allowed.contains(v)) {
            throw new ConfigError(key(key) + " = '" + v + "' is not one of " + allowed);
        }
        return v;
    }

    public int integer(String key, int min, int max) {
        int v = read(key, config::getInt);
        if (v < min || v > max) {
            throw new ConfigError(key(key) + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    public long longInt(String key, long min, long max) {
        long v = read(key, config::getLong);
        if (v < min || v > max) {
            throw new ConfigError(key(key) + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    public double number(String key, double min, double max) {
        double v = read(key, config::getDouble);
        if (!(v >= min && v <= max)) {
            throw new ConfigError(key(key) + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    public boolean bool(String key) {
        return read(key, config::getBoolean);
    }

    public YearMonth month(String key) {
        String v = string(key);
        try {
            return YearMonth.parse(v);
        } catch (DateTimeParseException e) {
            throw new ConfigError(key(key) + " = '" + v + "' is not a month YYYY-MM");
        }
    }

    public List<String> strings(String key) {
        return List.copyOf(read(key, config::getStringList));
    }

    public List<Integer> integers(String key) {
        return List.copyOf(read(key, config::getIntList));
    }

    public List<Double> numbers(String key) {
        return List.copyOf(read(key, config::getDoubleList));
    }

    /** Sub-sections of an object-valued key, in file order of their names (sorted, for determinism). */
    public List<Section> children(String key) {
        Config obj = read(key, config::getConfig);
        List<String> names = new ArrayList<>(obj.root().keySet());
        names.sort(null);
        List<Section> out = new ArrayList<>();
        for (String name : names) {
            if (obj.root().get(name).valueType() != ConfigValueType.OBJECT) {
                throw new ConfigError(key(key) + "." + name + " must be an object { ... }");
            }
            out.add(new Section(obj.getConfig(quote(name)), key(key) + "." + name));
        }
        return out;
    }

    /** An object-valued key read as a sorted map name → value. */
    public <T> Map<String, T> map(String key, Function<Section, T> reader) {
        Map<String, T> out = new LinkedHashMap<>();
        for (Section s : children(key)) {
            out.put(s.name(), reader.apply(s));
        }
        return out;
    }

    /** Last element of this section's key (e.g. "34" for atypie.targeting.capacity.34). */
    public String name() {
        int dot = prefix.lastIndexOf('.');
        String n = dot < 0 ? prefix : prefix.substring(dot + 1);
        return n.replace("\"", "");
    }

    public Config raw() {
        return config;
    }

    private static String quote(String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name + "\"";
    }

    private <T> T read(String key, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.Missing e) {
            throw new ConfigError("missing configuration key '" + key(key) + "'");
        } catch (ConfigException.WrongType e) {
            throw new ConfigError("configuration key '" + key(key) + "' has the wrong type: " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new ConfigError("configuration key '" + key(key) + "': " + e.getMessage(), e);
        }
    }
}
