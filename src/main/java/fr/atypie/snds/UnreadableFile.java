package fr.atypie.snds;

import fr.atypie.errors.InputError;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;

/**
 * A Parquet file whose footer opens (so {@link ExtractReader} let it through) but whose pages do not
 * decode: Spark finds out only when a task reads it, deep in some later action, and fails the job
 * with "Encountered error while reading file ...". {@link #of} recognises that failure wherever it
 * surfaces and turns it into the input error it is (exit 4), naming the file, its table and the
 * decoder's complaint, instead of a failed run with a Spark stack trace.
 */
public final class UnreadableFile {
    /** Spark 3.5's error class for a task that could not read its file (parameter {@code path}). */
    static final String READ_ERROR_CLASS = "_LEGACY_ERROR_TEMP_2064";
    /** The same, from the message, when only the text crossed the driver (a remote executor's failure). */
    private static final Pattern READ_ERROR = Pattern.compile("Encountered error while reading file (\\S+?)\\. Details");

    private UnreadableFile() {}

    /** The input error behind {@code failure} when it is a file Spark could not read; empty otherwise. */
    public static Optional<InputError> of(Throwable failure) {
        String path = null;
        Throwable cause = null;
        // The job's failure wraps the task's, which wraps what the Parquet reader complained of.
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String p = pathOf(t);
            if (p != null) {
                path = p;
                cause = t.getCause();
            }
        }
        if (path == null) {
            return Optional.empty();
        }
        if (path.startsWith("file:")) {
            path = java.nio.file.Path.of(java.net.URI.create(path)).toString();   // a local file as the user names it
        }
        String table = tableOf(path).map(t -> "table " + t + ": ").orElse("");
        String why = cause == null ? "" : ": " + cause.getClass().getSimpleName() + " "
                + String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        return Optional.of(new InputError(table + "Parquet file " + path + " cannot be read (corrupt data behind a "
                + "readable footer)" + why + "; export the file again"));
    }

    private static String pathOf(Throwable t) {
        if (t instanceof SparkThrowable s && READ_ERROR_CLASS.equals(s.getErrorClass())) {
            Map<String, String> p = s.getMessageParameters();
            if (p != null && p.get("path") != null) {
                return p.get("path");
            }
        }
        Matcher m = READ_ERROR.matcher(String.valueOf(t.getMessage()));
        return m.find() ? m.group(1) : null;
    }

    /** The SNDS table whose folder holds {@code path}, if any. */
    private static Optional<SndsTable> tableOf(String path) {
        for (String segment : path.split("/")) {
            for (SndsTable t : SndsTable.values()) {
                if (segment.toUpperCase(Locale.ROOT).equals(t.name())) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }
}
