package fr.atypie.cli;

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
    /** Another run holds the output folder's lock: nothing done, retry later. */
    public static final int BUSY = 6;
    /** Plausibility checks held the month (reasons in the quality folder); {@code --force} publishes anyway. */
    public static final int IMPLAUSIBLE = 7;
    /** An output or working folder cannot be written (disk full, read-only, permissions): nothing published. */
    public static final int CANNOT_WRITE = 8;
}
