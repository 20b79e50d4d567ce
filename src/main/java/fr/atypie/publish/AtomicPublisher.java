package fr.atypie.publish;

import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

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
 *
 * <p><b>On a Hadoop file system</b> ({@link #at(Store)} with {@code hdfs://...}): the run writes
 * into a driver-local staging folder (the exports are written by the driver), {@link
 * Publication#commit()} uploads it to {@code <out>/.staging-<YYYY-MM>-<runId>} on the target file
 * system, then does the same three steps with {@link FileSystem#rename}, atomic on HDFS, and
 * {@link #recover()} repairs the same leftovers. The lock is {@code <out>/.publish.lock} created
 * exclusively (atomic on HDFS) and naming its run; a killed run leaves it behind, and the next run
 * stops with a message naming the dead run, until an operator removes it (nothing on HDFS tells a
 * dead holder from a slow one).
 *
 * <p><b>On an object store</b> ({@code s3a://}, {@code abfs://}, {@code gs://}: any store whose
 * rename is not atomic, {@link Store#renamesAtomically()}) nothing is renamed: a rename there copies
 * each object then deletes it, so a swap could be seen, or killed, half done. The month is uploaded
 * into a new immutable folder {@code <out>/versions/<YYYY-MM>/<version>} (the run id), then one small
 * pointer object {@code <out>/<YYYY-MM>.current} is written in a single PUT naming it, the previous
 * version beside it ({@link VersionedFolders}). A PUT is visible whole or not at all, so
 * readers, which resolve the pointer ({@link PublishedMonths#of}), see the previous version until
 * that moment and the new one after it; a run killed before it leaves the previous version
 * published and an orphan folder, which the next run's {@link #recover()} deletes. The version
 * before the previous one is deleted after the switch (a reader that resolved the pointer just
 * before it moved still finds its files). The lock file is created the same way as on HDFS, but
 * an object store (Hadoop 3.3) checks then writes: two runs started at the same second could both
 * take it, so a scheduler must not start two refreshes of one output at once.
 */
public final class AtomicPublisher {

    static final String STAGING_PREFIX = ".staging-";
    static final String BACKUP_PREFIX = ".backup-";
    static final String LOCK_FILE = ".publish.lock";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LEFTOVER = Pattern.compile("\\.(staging|backup)-(\\d{4}-\\d{2})-([A-Za-z0-9_-]+)");

    /** Steps of the swap, for the crash tests (a child JVM halts right after one of them). */
    enum Step {
        STAGING_CREATED, STAGING_UPLOADED, PREVIOUS_MOVED_TO_BACKUP, STAGING_RENAMED, BACKUP_DELETED,
        /** Object stores: the new version is uploaded, the pointer still names the previous one. */
        VERSION_UPLOADED,
        /** Object stores: the pointer names the new version. */
        POINTER_SWITCHED,
        /** Object stores: the version before the previous one is deleted. */
        SUPERSEDED_DELETED
    }

    /** Observes the swap steps; production code passes a no-op. */
    interface StepObserver {
        void after(Step step);
    }

    private final Path out;
    /** Set when publishing on a non-local Hadoop file system (then {@link #out} is unused). */
    private final Store remote;
    /** On an object store: immutable versions and a pointer instead of renames. */
    private final boolean versioned;
    private final StepObserver observer;

    public AtomicPublisher(Path out) {
        this(out, step -> { });
    }

    AtomicPublisher(Path out, StepObserver observer) {
        this.out = out.toAbsolutePath().normalize();
        this.remote = null;
        this.versioned = false;
        this.observer = observer;
    }

    private AtomicPublisher(Store remote, StepObserver observer) {
        this.out = null;
        this.remote = remote;
        this.versioned = !remote.renamesAtomically();
        this.observer = observer;
    }

    /** A publisher for {@code store}: the local protocol on local disks, the Hadoop one elsewhere. */
    public static AtomicPublisher at(Store store) {
        return at(store, step -> { });
    }

    static AtomicPublisher at(Store store, StepObserver observer) {
        return store.localPath().map(p -> new AtomicPublisher(p, observer)).orElseGet(() -> new AtomicPublisher(store, observer));
    }

    /** What {@link #recover()} found and did, for the run log. */
    public record Recovery(List<YearMonth> restoredBackups, List<String> deletedLeftovers) {
        public boolean nothingToDo() {
            return restoredBackups.isEmpty() && deletedLeftovers.isEmpty();
        }

        Recovery and(List<String> moreDeleted) {
            List<String> deleted = new ArrayList<>(deletedLeftovers);
            deleted.addAll(moreDeleted);
            return new Recovery(restoredBackups, List.copyOf(deleted));
        }
    }

    /** The published folder of a month: {@code <out>/<YYYY-MM>}. */
    public Path published(YearMonth month) {
        if (remote != null) {
            throw new IllegalStateException("the publication is on " + remote + ", not a local folder: use location()");
        }
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
        if (remote != null) {
            return beginRemote(month, runId);
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
            return new Publication(month, runId, staging, channel, lock, null);
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
        if (remote != null) {
            remote.fs().mkdirs(remote.root());
            lockRemote("recovery");
            try {
                Recovery r = recoverRemote();
                return versioned ? r.and(VersionedFolders.deleteOrphans(remote)) : r;
            } finally {
                remote.fs().delete(remote.resolve(LOCK_FILE), false);
            }
        }
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
        /** Restricted folders of the staging (relative paths) and their permissions. */
        private final Map<String, RestrictedAccess> restricted = new TreeMap<>();
        /** On an object store: the version folder this run uploads, {@code versions/<month>/<version>}. */
        private final String version;
        private boolean committed;
        private boolean closed;
        private Store scratch;

        private Publication(YearMonth month, String runId, Path staging, FileChannel channel, FileLock lock, String version) {
            this.month = month;
            this.runId = runId;
            this.staging = staging;
            this.channel = channel;
            this.lock = lock;
            this.version = version;
        }

        /** Where the month will be published: a local path, or a URI on a Hadoop file system. */
        public String location() {
            if (remote == null) {
                return published(month).toString();
            }
            return remote.resolve(versioned ? version : month.toString()).toString();
        }

        /** Where the run writes its files (relative paths inside become the published layout). */
        public Path staging() {
            return staging;
        }

        public YearMonth month() {
            return month;
        }

        /**
         * Where Spark writes the Parquet files of a publication on a Hadoop file system (on a cluster
         * the executors cannot reach the driver's local staging): a folder beside the month, owner-only,
         * deleted when the publication closes (or, after a kill, by the next run's recovery: its name is a
         * staging folder's). Empty for a local publication, where Spark writes into the staging.
         */
        public Optional<Store> sparkScratch() throws IOException {
            if (remote == null) {
                return Optional.empty();
            }
            if (scratch == null) {
                scratch = RestrictedAccess.ownerOnly().directory(remote.child(STAGING_PREFIX + month + "-" + runId + "-spark"));
            }
            return Optional.of(scratch);
        }

        /**
         * Creates the folder {@code relative} of the staging, restricted by {@code access} before
         * anything is written in it; at commit everything under it is restricted again, so a file
         * written later is covered, on the target file system too.
         */
        public Path restricted(String relative, RestrictedAccess access) throws IOException {
            Path dir = staging.resolve(relative).normalize();
            if (!dir.startsWith(staging) || dir.equals(staging)) {
                throw new IllegalArgumentException("restricted folder '" + relative + "' leaves the publication folder");
            }
            // A remote publication stages in a private temporary folder: there the files are the
            // owner's alone, and the configured group applies on the target file system.
            (remote == null ? access : RestrictedAccess.ownerOnly()).directory(dir);
            restricted.put(staging.relativize(dir).toString(), access);
            return dir;
        }

        /**
         * Flushes the staging files to disk and swaps them in atomically; returns the published
         * folder (null on a Hadoop file system: see {@link #location()}).
         */
        public Path commit() throws IOException {
            if (committed || closed) {
                throw new IllegalStateException("publication of " + month + " already " + (committed ? "committed" : "closed"));
            }
            for (Map.Entry<String, RestrictedAccess> r : restricted.entrySet()) {
                (remote == null ? r.getValue() : RestrictedAccess.ownerOnly()).protect(staging.resolve(r.getKey()));
            }
            if (versioned) {
                commitVersion();
                return null;
            }
            if (remote != null) {
                commitRemote();
                return null;
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
            if (remote != null) {
                try {
                    deleteTree(staging);
                    if (scratch != null) {
                        remote.fs().delete(scratch.root(), true);
                    }
                    if (!committed) {
                        remote.fs().delete(versioned ? remote.resolve(version) : remoteStaging(month, runId), true);
                    }
                } finally {
                    remote.fs().delete(remote.resolve(LOCK_FILE), false);
                }
                return;
            }
            try {
                if (!committed) {
                    deleteTree(staging);
                }
            } finally {
                lock.release();
                channel.close();
            }
        }

        /** Copies the driver-local staging to {@code uploaded} on the target file system. */
        private void upload(org.apache.hadoop.fs.Path uploaded) throws IOException {
            FileSystem fs = remote.fs();
            // The upload does not carry modes over: the staging is the owner's alone while its
            // restricted folders are filled and locked down, then opens as any new folder would.
            fs.mkdirs(uploaded, FsPermission.valueOf("-rwx------"));
            org.apache.hadoop.fs.Path[] files;
            try (java.util.stream.Stream<Path> children = Files.list(staging)) {
                files = children.sorted().map(c -> new org.apache.hadoop.fs.Path(c.toUri())).toArray(org.apache.hadoop.fs.Path[]::new);
            }
            if (files.length > 0) {
                fs.copyFromLocalFile(false, true, files, uploaded);
            }
            Store uploadedStore = new Store(fs, uploaded);
            for (Map.Entry<String, RestrictedAccess> r : restricted.entrySet()) {
                r.getValue().protect(uploadedStore.child(r.getKey()));
            }
            fs.setPermission(uploaded, FsPermission.getDirDefault().applyUMask(FsPermission.getUMask(fs.getConf())));
        }

        /** Object stores: upload a new version, then one PUT of the pointer publishes it (class comment). */
        private void commitVersion() throws IOException {
            upload(remote.resolve(version));
            observer.after(Step.VERSION_UPLOADED);
            Optional<String> superseded = VersionedFolders.switchTo(remote, month.toString(), version);
            committed = true;
            observer.after(Step.POINTER_SWITCHED);
            VersionedFolders.deleteSuperseded(remote, month.toString(), superseded);
            observer.after(Step.SUPERSEDED_DELETED);
        }

        private void commitRemote() throws IOException {
            FileSystem fs = remote.fs();
            org.apache.hadoop.fs.Path uploaded = remoteStaging(month, runId);
            upload(uploaded);
            observer.after(Step.STAGING_UPLOADED);
            org.apache.hadoop.fs.Path target = remote.resolve(month.toString());
            org.apache.hadoop.fs.Path backup = remote.resolve(BACKUP_PREFIX + month + "-" + runId);
            boolean hadPrevious = fs.exists(target);
            if (hadPrevious) {
                rename(fs, target, backup);
                observer.after(Step.PREVIOUS_MOVED_TO_BACKUP);
            }
            try {
                rename(fs, uploaded, target);
            } catch (IOException | RuntimeException e) {
                if (hadPrevious) {
                    rename(fs, backup, target);
                }
                throw e;
            }
            committed = true;
            observer.after(Step.STAGING_RENAMED);
            if (hadPrevious) {
                fs.delete(backup, true);
            }
            observer.after(Step.BACKUP_DELETED);
        }
    }

    private org.apache.hadoop.fs.Path remoteStaging(YearMonth month, String runId) {
        return remote.resolve(STAGING_PREFIX + month + "-" + runId);
    }

    private Publication beginRemote(YearMonth month, String runId) throws IOException {
        remote.fs().mkdirs(remote.root());
        lockRemote(runId);
        try {
            recoverRemote();
            String version = null;
            if (versioned) {
                VersionedFolders.deleteOrphans(remote);
                version = VersionedFolders.newVersion(remote, month.toString(), runId);
            }
            Path staging = Files.createTempDirectory("atypie-" + STAGING_PREFIX.substring(1) + month + "-" + runId + "-");
            observer.after(Step.STAGING_CREATED);
            return new Publication(month, runId, staging, null, null, version);
        } catch (IOException | RuntimeException e) {
            remote.fs().delete(remote.resolve(LOCK_FILE), false);
            throw e;
        }
    }

    /** Creates the lock file exclusively; it names the run holding it, for the operator. */
    private void lockRemote(String runId) throws IOException {
        org.apache.hadoop.fs.Path lockFile = remote.resolve(LOCK_FILE);
        String holder = "run " + runId + " on " + InetAddress.getLocalHost().getHostName() + " (pid "
                + ProcessHandle.current().pid() + ") since " + java.time.Instant.now() + "\n";
        try (FSDataOutputStream o = remote.fs().create(lockFile, false)) {
            o.write(holder.getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            String held = remote.readText(LOCK_FILE).orElse("?").trim();
            throw new IllegalStateException("another run is publishing into " + remote + " (" + LOCK_FILE + ": " + held
                    + "); if that run is dead, delete " + lockFile + " and run again: the next run repairs what it left");
        }
    }

    private Recovery recoverRemote() throws IOException {
        FileSystem fs = remote.fs();
        Map<String, org.apache.hadoop.fs.Path> backups = new TreeMap<>();
        List<org.apache.hadoop.fs.Path> stagings = new ArrayList<>();
        for (FileStatus st : fs.listStatus(remote.root())) {
            Matcher m = LEFTOVER.matcher(st.getPath().getName());
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals("staging")) {
                stagings.add(st.getPath());
            } else if (backups.put(m.group(2), st.getPath()) != null) {
                throw new IllegalStateException("two backups of month " + m.group(2) + " in " + remote
                        + ": cannot tell which one to keep; remove the wrong one by hand");
            }
        }
        List<YearMonth> restored = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<String, org.apache.hadoop.fs.Path> b : backups.entrySet()) {
            YearMonth month = YearMonth.parse(b.getKey());
            org.apache.hadoop.fs.Path target = remote.resolve(month.toString());
            if (fs.exists(target)) {
                fs.delete(b.getValue(), true);
                deleted.add(b.getValue().getName());
            } else {
                rename(fs, b.getValue(), target);
                restored.add(month);
            }
        }
        stagings.sort(null);
        for (org.apache.hadoop.fs.Path st : stagings) {
            fs.delete(st, true);
            deleted.add(st.getName());
        }
        return new Recovery(List.copyOf(restored), List.copyOf(deleted));
    }

    private static void rename(FileSystem fs, org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) throws IOException {
        if (fs.exists(to)) {
            throw new IOException("cannot rename " + from + " to " + to + ": the target exists");
        }
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
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
