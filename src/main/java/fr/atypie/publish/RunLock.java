package fr.atypie.publish;

import java.io.IOException;
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
 */
public final class RunLock implements AutoCloseable {
    static final String LOCK_FILE = ".refresh.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
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
        return new RunLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
