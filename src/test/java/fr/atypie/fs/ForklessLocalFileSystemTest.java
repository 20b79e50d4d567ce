package fr.atypie.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hadoop's modes, set without forking chmod. */
class ForklessLocalFileSystemTest {
    @TempDir
    java.nio.file.Path dir;

    private static ForklessLocalFileSystem.Raw raw() throws IOException {
        ForklessLocalFileSystem.Raw fs = new ForklessLocalFileSystem.Raw();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        return fs;
    }

    @Test
    void modesAreSetExactlyAsHadoopWrites() throws IOException {
        ForklessLocalFileSystem.Raw fs = raw();
        Path file = new Path(dir.resolve("a.txt").toUri());
        try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), true, 4096, (short) 1, 1 << 20, null)) {
            out.writeBytes("x");
        }
        // Created through Hadoop with 0640 (the umask 022 leaves it as it is).
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))));
        fs.setPermission(file, new FsPermission((short) 0751));
        assertEquals("rwxr-x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))));
        fs.setPermission(file, new FsPermission((short) 0));
        assertEquals("---------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))));
        assertEquals("rwx------", PosixFilePermissions.toString(ForklessLocalFileSystem.Raw.posix((short) 0700)));
    }

    @Test
    void aMissingFileIsNotFoundAsInHadoop() throws IOException {
        ForklessLocalFileSystem.Raw fs = raw();
        assertThrows(FileNotFoundException.class, () -> fs.setPermission(new Path(dir.resolve("none").toUri()),
                new FsPermission((short) 0600)));
    }

    @Test
    void theChecksummedFileSystemWrapsIt() throws IOException {
        ForklessLocalFileSystem fs = new ForklessLocalFileSystem();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        assertEquals(ForklessLocalFileSystem.Raw.class, fs.getRawFileSystem().getClass());
    }
}
