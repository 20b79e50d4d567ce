package fr.atypie.fs;

import fr.atypie.errors.ConfigError;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Permissions of what must not be world-readable: the {@code restricted/} part of a publication
 * (prescriber-level lists), the quarantine (patient pseudonyms) and the event store (patient,
 * age, sex, ALD, department). Owner only by default ({@code rwx------} folders, {@code rw-------}
 * files); with {@code atypie.publish.restricted-group} set, that group may read
 * ({@code rwxr-x---} / {@code rw-r-----}) and owns the files. Others never have any access.
 *
 * <p>Folders are made restricted before anything is written inside them (a file written in
 * between with the process umask is still out of reach), then {@link #protect} tightens every file.
 * The same modes apply on a Hadoop file system ({@link #directory(Store)}, {@link #protect(Store)}:
 * HDFS permissions and group); a local folder without POSIX permissions is left as it is.
 */
public final class RestrictedAccess {
    public static final String GROUP_KEY = "atypie.publish.restricted-group";

    private final Optional<String> group;

    public RestrictedAccess(Optional<String> group) {
        group.ifPresent(g -> {
            if (!g.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}")) {
                throw new ConfigError(GROUP_KEY + " = '" + g + "' is not a group name");
            }
        });
        this.group = group;
    }

    public static RestrictedAccess ownerOnly() {
        return new RestrictedAccess(Optional.empty());
    }

    /** With the group of {@code atypie.publish.restricted-group}, if one is set. */
    public static RestrictedAccess from(Optional<String> group) {
        return new RestrictedAccess(group);
    }

    /** {@code rwx------}, or {@code rwxr-x---} with a group. */
    public String directoryMode() {
        return group.isPresent() ? "rwxr-x---" : "rwx------";
    }

    /** {@code rw-------}, or {@code rw-r-----} with a group. */
    public String fileMode() {
        return group.isPresent() ? "rw-r-----" : "rw-------";
    }

    /** Creates {@code dir} (and missing parents) and restricts it, before anything is written in it. */
    public Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        apply(dir, true);
        return dir;
    }

    /** Restricts {@code root} and everything under it (a file or a folder); nothing when it does not exist. */
    public void protect(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                apply(dir, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    apply(file, false);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** As {@link #directory(Path)}, on any file system ({@code hdfs://...}; a local store goes the POSIX way). */
    public Store directory(Store dir) throws IOException {
        if (dir.localPath().isPresent()) {
            directory(dir.localPath().get());
            return dir;
        }
        // mkdirs applies the umask, which only ever removes bits: set the mode again, exactly.
        dir.fs().mkdirs(dir.root(), FsPermission.valueOf("-" + directoryMode()));
        apply(dir.fs(), dir.root(), true);
        return dir;
    }

    /** As {@link #protect(Path)}, on any file system. */
    public void protect(Store root) throws IOException {
        if (root.localPath().isPresent()) {
            protect(root.localPath().get());
            return;
        }
        if (root.fs().exists(root.root())) {
            protect(root.fs(), root.fs().getFileStatus(root.root()));
        }
    }

    private void protect(FileSystem fs, FileStatus st) throws IOException {
        apply(fs, st.getPath(), st.isDirectory());
        if (st.isDirectory()) {
            for (FileStatus child : fs.listStatus(st.getPath())) {
                protect(fs, child);
            }
        }
    }

    private void apply(FileSystem fs, org.apache.hadoop.fs.Path p, boolean directory) throws IOException {
        if (group.isPresent()) {
            fs.setOwner(p, null, group.get());
        }
        fs.setPermission(p, FsPermission.valueOf("-" + (directory ? directoryMode() : fileMode())));
    }

    private void apply(Path p, boolean directory) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (group.isPresent()) {
            try {
                GroupPrincipal g = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group.get());
                view.setGroup(g);
            } catch (UserPrincipalNotFoundException e) {
                throw new ConfigError(GROUP_KEY + " = '" + group.get() + "': no such group on this machine");
            }
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(directory ? directoryMode() : fileMode());
        view.setPermissions(mode);
    }
}
