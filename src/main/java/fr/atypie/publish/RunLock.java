package fr.atypie.publish;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One refresh at a time per output folder, decided before any work: {@code <out>/.refresh.lock}
 * is locked (OS file lock, released by the OS when the process dies) from the start of the run to
 * its end. A second run fails at once with {@link PublicationBusy} instead of validating for minutes
 * and then failing on the publication lock ({@link AtomicPublisher} still takes its own).
 * On HDFS (no OS locks) the lock is the file itself, created exclusively and deleted at the end:
 * a killed run leaves it, naming the run, for the operator to delete.
 */
public final class RunLock implements AutoCloseable {
    static final String LOCK_FILE = ".refresh.lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final Store remote;

    private RunLock(FileChannel channel, FileLock lock, Store remote) {
        this.channel = channel;
        this.lock = lock;
        this.remote = remote;
    }

    /** As {@link #acquire(Path)}, {@code out} on any file system ({@code hdfs://...}). */
    public static RunLock acquire(Store out) throws IOException {
        if (out.localPath().isPresent()) {
            return acquire(out.localPath().get());
        }
        String holder = "pid " + ProcessHandle.current().pid() + " on " + InetAddress.getLocalHost().getHostName()
                + " since " + Instant.now() + "\n";
        if (!out.createNew(LOCK_FILE, holder)) {
            throw new PublicationBusy("another run is using " + out.shown() + " (" + LOCK_FILE + ": "
                    + out.readText(LOCK_FILE).orElse("?").strip() + "): nothing done, try again once it has finished; "
                    + "if that run is dead, delete " + out.resolve(LOCK_FILE));
        }
        return new RunLock(null, null, out);
    }

    public static RunLock acquire(Path out) throws IOException {
        Files.createDirectories(out);
        Path file = out.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this JVM already runs there
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new PublicationBusy("another run is using " + out.toAbsolutePath().normalize() + " (" + LOCK_FILE
                    + " is locked): nothing done, try again once it has finished");
        }
        return new RunLock(channel, lock, null);
    }

    @Override
    public void close() throws IOException {
        if (remote != null) {
            remote.fs().delete(remote.resolve(LOCK_FILE), false);
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
