package fr.atypie.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;

/**
 * A command's scratch folder for intermediate Parquet (validated lines): {@code .scratch-<purpose>-<id>}
 * inside a folder the command writes anyway, so on a cluster it sits on the shared file system the
 * executors write to (a driver's {@code /tmp} is seen by no executor on another node). Owner-only or
 * the restricted group's (the lines hold patient pseudonyms). Removed on {@link #close()}, and at the
 * JVM's exit when the command failed before it; a killed JVM leaves it, and the next scratch folder
 * made in the same place removes it once it is {@link #STALE_AFTER} old (no command of this job
 * runs that long; a younger one may belong to a command still running beside this one).
 */
public final class Scratch implements AutoCloseable {
    public static final String PREFIX = ".scratch-";
    /** Age (last modification) after which a scratch folder is a killed command's leftover. */
    public static final Duration STALE_AFTER = Duration.ofDays(2);

    private final Store folder;
    private final Thread atExit;

    private Scratch(Store folder) {
        this.folder = folder;
        this.atExit = new Thread(this::deleteQuietly);
        Runtime.getRuntime().addShutdownHook(atExit);
    }

    /** A new, empty scratch folder in {@code parent} (created if needed). */
    public static Scratch in(Store parent, String purpose, RestrictedAccess access) throws IOException {
        parent.mkdirs();
        removeStale(parent, Instant.now());
        Store folder = parent.child(PREFIX + purpose + "-" + UUID.randomUUID());
        access.directory(folder);
        return new Scratch(folder);
    }

    /** Removes the scratch folders in {@code parent} last modified {@link #STALE_AFTER} or more before {@code now}. */
    static List<String> removeStale(Store parent, Instant now) throws IOException {
        List<String> removed = new ArrayList<>();
        for (FileStatus f : parent.list()) {
            String name = f.getPath().getName();
            if (f.isDirectory() && name.startsWith(PREFIX)
                    && !Instant.ofEpochMilli(f.getModificationTime()).plus(STALE_AFTER).isAfter(now)) {
                parent.child(name).delete();
                removed.add(name);
            }
        }
        return removed;
    }

    /** The folder: give it to the writer, keep this open while what was written is read. */
    public Store store() {
        return folder;
    }

    @Override
    public void close() throws IOException {
        try {
            Runtime.getRuntime().removeShutdownHook(atExit);
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting: the hook deletes it
        }
        folder.delete();
    }

    private void deleteQuietly() {
        try {
            folder.delete();
        } catch (IOException | UncheckedIOException e) {
            // best effort at JVM exit
        }
    }
}
