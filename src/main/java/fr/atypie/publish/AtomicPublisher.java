package fr.atypie.publish;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes one month of results as a whole or not at all.
 *
 * <p>A run writes everything into {@code <out>/.staging-<YYYY-MM>-<runId>} (same file system as the
 * target, so renames are atomic), then {@link Publication#commit()} swaps it in:
 * <ol>
 *   <li>if {@code <out>/<YYYY-MM>} exists, rename it to {@code <out>/.backup-<YYYY-MM>-<runId>};</li>
 *   <li>rename the staging folder to {@code <out>/<YYYY-MM>};</li>
 *   <li>delete the backup.</li>
 * </ol>
 * Readers therefore always see either the previous publication or the new one, never a mix.
 *
 * <p>Crash windows (process killed, machine lost) and how the next run recovers, in
 * {@link #recover()}, called by {@link #begin} under the lock before anything else:
 * <ul>
 *   <li>during the writes (before step 1): the previous publication is untouched; the leftover
 *       staging folder is deleted;</li>
 *   <li>between steps 1 and 2: no {@code <YYYY-MM>} folder, a backup: the backup is renamed back
 *       (the previous publication is restored) and the staging folder deleted;</li>
 *   <li>between steps 2 and 3, or during the deletion of step 3: the new publication is in place
 *       and a (possibly half-deleted) backup remains: the backup is deleted. A backup is only ever
 *       restored when no {@code <YYYY-MM>} folder exists, and the deletion only starts once the new
 *       folder is in place, so a half-deleted backup is never restored.</li>
 * </ul>
 * An exception inside the run (not a kill) is handled at once: {@link Publication#close()}
 * without a commit deletes the staging folder, and a failure between steps 1 and 2 renames the
 * backup back before rethrowing.
 *
 * <p>One run at a time per output folder: {@code <out>/.publish.lock} is locked (OS file lock,
 * released by the OS when a process dies) from {@link #begin} to {@link Publication#close()}.
 */
public final class AtomicPublisher {

    static final String STAGING_PREFIX = ".staging-";
    static final String BACKUP_PREFIX = ".backup-";
    static final String LOCK_FILE = ".publish.lock";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LEFTOVER = Pattern.compile("\\.(staging|backup)-(\\d{4}-\\d{2})-([A-Za-z0-9_-]+)");

    /** Steps of the swap, for the crash tests (a child JVM halts right after one of them). */
    enum Step { STAGING_CREATED, PREVIOUS_MOVED_TO_BACKUP, STAGING_RENAMED, BACKUP_DELETED }

    /** Observes the swap steps; production code passes a no-op. */
    interface StepObserver {
        void after(Step step);
    }

    private final Path out;
    private final StepObserver observer;

    public AtomicPublisher(Path out) {
        this(out, step -> { });
    }

    AtomicPublisher(Path out, StepObserver observer) {
        this.out = out.toAbsolutePath().normalize();
        this.observer = observer;
    }

    /** What {@link #recover()} found and did, for the run log. */
    public record Recovery(List<YearMonth> restoredBackups, List<String> deletedLeftovers) {
        public boolean nothingToDo() {
            return restoredBackups.isEmpty() && deletedLeftovers.isEmpty();
        }
    }

    /** The published folder of a month: {@code <out>/<YYYY-MM>}. */
    public Path published(YearMonth month) {
        return out.resolve(month.toString());
    }

    /**
     * Locks the output folder, repairs what a killed run left, and opens a fresh staging folder for
     * {@code month}. Use in try-with-resources; without {@link Publication#commit()} nothing is
     * published and the staging folder is deleted on close.
     */
    public Publication begin(YearMonth month, String runId) throws IOException {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' must match " + RUN_ID.pattern());
        }
        Files.createDirectories(out);
        FileChannel channel = FileChannel.open(out.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = tryLock(channel);
        } catch (IllegalStateException e) {
            channel.close();
            throw e;
        }
        try {
            recoverLocked();
            Path staging = out.resolve(STAGING_PREFIX + month + "-" + runId);
            Files.createDirectory(staging);
            observer.after(Step.STAGING_CREATED);
            return new Publication(month, runId, staging, channel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * Repairs what an interrupted run left (see the class comment). {@link #begin} calls it; call it
     * alone only while no other run can be publishing (it takes the lock for its duration).
     */
    public Recovery recover() throws IOException {
        Files.createDirectories(out);
        try (FileChannel channel = FileChannel.open(out.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel)) {
            return recoverLocked();
        }
    }

    private FileLock tryLock(FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this JVM already publishes there
        }
        if (lock == null) {
            throw new PublicationBusy("another run is publishing into " + out + " (" + LOCK_FILE + " is locked)");
        }
        return lock;
    }

    private Recovery recoverLocked() throws IOException {
        Map<String, Path> backups = new TreeMap<>();
        List<Path> stagings = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
            for (Path p : entries) {
                Matcher m = LEFTOVER.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                if (m.group(1).equals("staging")) {
                    stagings.add(p);
                } else if (backups.put(m.group(2), p) != null) {
                    throw new IllegalStateException("two backups of month " + m.group(2) + " in " + out
                            + ": cannot tell which one to keep; remove the wrong one by hand");
                }
            }
        }
        List<YearMonth> restored = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<String, Path> b : backups.entrySet()) {
            YearMonth month = YearMonth.parse(b.getKey());
            if (Files.exists(published(month))) {
                deleteTree(b.getValue());            // swap completed, only the clean-up was cut short
                deleted.add(b.getValue().getFileName().toString());
            } else {
                move(b.getValue(), published(month)); // killed between the two renames
                restored.add(month);
            }
        }
        stagings.sort(null);
        for (Path s : stagings) {
            deleteTree(s);
            deleted.add(s.getFileName().toString());
        }
        if (!restored.isEmpty() || !deleted.isEmpty()) {
            fsyncDirectory(out);
        }
        return new Recovery(List.copyOf(restored), List.copyOf(deleted));
    }

    /** One month being written; holds the output folder's lock until closed. */
    public final class Publication implements AutoCloseable {
        private final YearMonth month;
        private final String runId;
        private final Path staging;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean committed;
        private boolean closed;

        private Publication(YearMonth month, String runId, Path staging, FileChannel channel, FileLock lock) {
            this.month = month;
            this.runId = runId;
            this.staging = staging;
            this.channel = channel;
            this.lock = lock;
        }

        /** Where the run writes its files (relative paths inside become the published layout). */
        public Path staging() {
            return staging;
        }

        public YearMonth month() {
            return month;
        }

        /** Flushes the staging files to disk and swaps them in atomically; returns the published folder. */
        public Path commit() throws IOException {
            if (committed || closed) {
                throw new IllegalStateException("publication of " + month + " already " + (committed ? "committed" : "closed"));
            }
            fsyncTree(staging);
            Path target = published(month);
            Path backup = out.resolve(BACKUP_PREFIX + month + "-" + runId);
            boolean hadPrevious = Files.exists(target);
            if (hadPrevious) {
                move(target, backup);
                observer.after(Step.PREVIOUS_MOVED_TO_BACKUP);
            }
            try {
                move(staging, target);
            } catch (IOException | RuntimeException e) {
                if (hadPrevious) {
                    move(backup, target);
                }
                throw e;
            }
            committed = true;
            fsyncDirectory(out);
            observer.after(Step.STAGING_RENAMED);
            if (hadPrevious) {
                deleteTree(backup);
                fsyncDirectory(out);
            }
            observer.after(Step.BACKUP_DELETED);
            return target;
        }

        /** Deletes the staging folder unless committed, and releases the lock. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!committed) {
                    deleteTree(staging);
                }
            } finally {
                lock.release();
                channel.close();
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Data reaches the disk before the rename that makes it visible (else a power cut could publish empty files). */
    private static void fsyncTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        c.force(true);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                fsyncDirectory(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void fsyncDirectory(Path dir) {
        // Linux lets a directory be opened read-only and forced; elsewhere this is best effort.
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            // not supported on this file system: the renames are still atomic, only less durable
        }
    }
}
