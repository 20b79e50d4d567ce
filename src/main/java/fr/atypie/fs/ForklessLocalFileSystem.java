package fr.atypie.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}), setting permissions through {@code java.nio}.
 * Without libhadoop's native code (no Maven artifact ships it) Hadoop forks a {@code chmod} for
 * every file it creates with a permission, and it always does: TypedCopiesTest (two refreshes of
 * a tiny extract) forked 928 of them, each a process start from a multi-gigabyte JVM on the path
 * of a Spark task. Registered as {@code fs.file.impl} by {@code SparkSessions} for local runs and by
 * {@code HadoopConf} before a session exists, unless the user set one; the bytes written and the
 * modes set are Hadoop's own.
 */
public class ForklessLocalFileSystem extends LocalFileSystem {
    /** Hadoop's configuration key for the {@code file:} scheme's implementation. */
    public static final String KEY = "fs.file.impl";

    public ForklessLocalFileSystem() {
        super(new Raw());
    }

    /** The raw (no .crc) local file system with the same permission handling. */
    public static class Raw extends RawLocalFileSystem {
        private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            java.nio.file.Path file = pathToFile(p).toPath();
            short mode = permission.toShort();
            // The sticky bit, or a disk without POSIX modes: Hadoop's own way.
            if ((mode & 01000) != 0 || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                super.setPermission(p, permission);
                return;
            }
            try {
                Files.setPosixFilePermissions(file, posix(mode));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new java.io.FileNotFoundException("File " + p + " does not exist");
            }
        }

        static Set<PosixFilePermission> posix(short mode) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < BITS.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    set.add(BITS[bit]);
                }
            }
            return set;
        }
    }
}
