package fr.atypie.cli;

import fr.atypie.errors.ConfigError;
import fr.atypie.errors.InputError;
import fr.atypie.quality.TooMuchQuarantine;

/** Process exit codes, documented in the README: a scheduler branches on them. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** Unexpected failure (a bug, Spark died, disk full...): see the log. */
    public static final int FAILURE = 1;
    /** Wrong command-line usage (picocli's own code). */
    public static final int USAGE = 2;
    /** Configuration rejected at start-up. */
    public static final int BAD_CONFIG = 3;
    /** Input extract unusable: missing table, missing or mistyped column. */
    public static final int BAD_INPUT = 4;
    /** Validation quarantined more rows than the configured threshold allows. */
    public static final int TOO_MUCH_QUARANTINE = 5;

    /** The exit code of a run that ended with {@code e}. */
    public static int of(Throwable e) {
        if (e instanceof ConfigError) {
            return BAD_CONFIG;
        }
        if (e instanceof InputError) {
            return BAD_INPUT;
        }
        if (e instanceof TooMuchQuarantine) {
            return TOO_MUCH_QUARANTINE;
        }
        return FAILURE;
    }
}
