package fr.atypie.errors;

/** A configuration problem found at start-up; the message names the offending key. */
public final class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
