package fr.atypie.cli;

import fr.atypie.errors.ConfigError;
import fr.atypie.errors.InputError;
import fr.atypie.publish.PublicationBusy;
import fr.atypie.quality.ImplausibleMonth;
import fr.atypie.quality.TooMuchQuarantine;
import fr.atypie.snds.UnreadableFile;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Stream;

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

    /**
     * What to report of a run that ended with {@code e}: a Parquet file Spark could not read is the
     * input error it is ({@link UnreadableFile}), the failure itself otherwise.
     */
    public static Throwable reported(Throwable e) {
        return UnreadableFile.of(e).<Throwable>map(x -> x).orElse(e);
    }

    /** The exit code of a run that ended with {@code e}. */
    public static int of(Throwable e) {
        if (e instanceof ConfigError) {
            return BAD_CONFIG;
        }
        if (e instanceof InputError || UnreadableFile.of(e).isPresent()) {
            return BAD_INPUT;
        }
        if (e instanceof TooMuchQuarantine) {
            return TOO_MUCH_QUARANTINE;
        }
        if (e instanceof PublicationBusy) {
            return BUSY;
        }
        if (e instanceof ImplausibleMonth) {
            return IMPLAUSIBLE;
        }
        if (ioCause(e) != null) {
            return CANNOT_WRITE;
        }
        return FAILURE;
    }

    /**
     * What to tell the user of a run that ran out of heap: an {@link OutOfMemoryError} behind {@code ex}, one
     * named in a failed task's text, or the {@link StackOverflowError} Spark ends with when the heap cannot
     * hold a page its memory manager granted ({@code TaskMemoryManager.allocatePage} retries the allocation
     * by calling itself: seen at Occitanie size with a 7 GB heap after 26 minutes of "Failed to allocate a
     * page ..., try again").
     */
    public static Optional<String> outOfMemory(Throwable ex) {
        return causes(ex).map(ExitCodes::memoryFailure).flatMap(Optional::stream).findFirst()
                .map(what -> "out of memory (" + what + "): the heap is too small for this extract; give the driver more, e.g."
                        + " ATYPIE_DRIVER_MEMORY=10g bin/atypie ..., or --driver-memory with spark-submit"
                        + " (nothing was published; the previous publication is unchanged)");
    }

    /** What ran out of heap, if {@code t} itself says so. */
    private static Optional<String> memoryFailure(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return Optional.of("OutOfMemoryError: " + t.getMessage());
        }
        if (t instanceof StackOverflowError && java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("org.apache.spark.memory.TaskMemoryManager")
                        && f.getMethodName().equals("allocatePage"))) {
            return Optional.of("StackOverflowError in Spark's page allocation");
        }
        // A task's error reaches the driver as the text of its stage's failure.
        if (String.valueOf(t.getMessage()).contains("java.lang.OutOfMemoryError")) {
            return Optional.of("OutOfMemoryError in a Spark task");
        }
        return Optional.empty();
    }

    /** The file-system failure (disk full, read-only or forbidden folder) behind {@code ex}, if any. */
    static IOException ioCause(Throwable ex) {
        return causes(ex).filter(t -> t instanceof java.nio.file.FileSystemException || t instanceof java.io.FileNotFoundException
                        || (t instanceof IOException && String.valueOf(t.getMessage()).contains("No space left on device")))
                .map(IOException.class::cast).findFirst().orElse(null);
    }

    /** {@code ex} and its causes, outermost first (a throwable that is its own cause ends the chain). */
    private static Stream<Throwable> causes(Throwable ex) {
        return Stream.iterate(ex, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
    }
}
