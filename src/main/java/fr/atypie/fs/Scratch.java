package fr.atypie.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * A command's scratch folder for intermediate Parquet (validated lines): {@code .scratch-<purpose>-<id>}
 * inside a folder the command writes anyway, so on a cluster it sits on the shared file system the
 * executors write to (a driver's {@code /tmp} is seen by no executor on another node). Owner-only or
 * the restricted group's (the lines hold patient pseudonyms). Removed on {@link #close()}, and at the
 * JVM's exit when the command failed before it; a killed JVM leaves it, named by its prefix, to delete.
 */
public final class Scratch implements AutoCloseable {
    public static final String PREFIX = ".scratch-";

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
        Store folder = parent.child(PREFIX + purpose + "-" + UUID.randomUUID());
        access.directory(folder);
        return new Scratch(folder);
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
