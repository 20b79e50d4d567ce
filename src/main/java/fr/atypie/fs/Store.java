package fr.atypie.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A folder on any file system Hadoop knows: {@code hdfs://nn:8020/risk/out}, {@code s3a://bucket/out},
 * {@code abfs://...}, {@code file:///data/out} or a plain path (local, made absolute). Every
 * operation goes through Hadoop's {@link FileSystem} API, as Spark's own readers and writers do,
 * so the same job works on a laptop and on a cluster.
 *
 * <p>The Hadoop configuration is the running Spark session's when there is one (it carries the
 * cluster's core-site/hdfs-site and any {@code spark.hadoop.*} settings), else the default one.
 */
public record Store(FileSystem fs, Path root) {

    /** Parses {@code location}: a URI with a scheme, or a plain local path. */
    public static Store at(String location) {
        return at(location, HadoopConf.current());
    }

    public static Store at(String location, Configuration conf) {
        URI uri = URI.create(hasScheme(location) ? location : localUri(java.nio.file.Path.of(location)));
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            if (fs instanceof LocalFileSystem local) {
                // The local disk without Hadoop's .crc files beside each small file the job writes.
                fs = local.getRawFileSystem();
            }
            // Scheme, authority and path: Hadoop then drops a trailing '/' (java.nio puts one on a folder's URI).
            // A file system named without a path (hdfs://nn:8020) is its root.
            String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            return new Store(fs, fs.makeQualified(new Path(uri.getScheme(), uri.getAuthority(), path)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + location + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code location} names a file system other than the local disk ({@code hdfs://...}). */
    public static boolean isRemote(String location) {
        return hasScheme(location) && !location.startsWith("file:");
    }

    /** Reads a whole small file given by its URI (e.g. a configuration file on HDFS). */
    public static String readFile(String location) throws IOException {
        Path file = new Path(URI.create(location));
        FileSystem fs = FileSystem.get(file.toUri(), HadoopConf.current());
        try (var in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A local folder (the historic java.nio paths of the job). */
    public static Store local(java.nio.file.Path folder) {
        return at(localUri(folder), HadoopConf.current());
    }

    private static boolean hasScheme(String location) {
        int colon = location.indexOf(':');
        // "C:\..." is not a scheme; "hdfs://", "s3a://", "file:/" are.
        return colon > 1 && location.startsWith("//", colon + 1) || location.startsWith("file:/");
    }

    private static String localUri(java.nio.file.Path p) {
        return p.toAbsolutePath().normalize().toUri().toString();
    }

    /** Whether this is the local disk (then {@link #localPath()} gives the java.nio view). */
    public boolean isLocal() {
        return "file".equals(root.toUri().getScheme());
    }

    public Optional<java.nio.file.Path> localPath() {
        return isLocal() ? Optional.of(java.nio.file.Path.of(root.toUri())) : Optional.empty();
    }

    public Path resolve(String child) {
        return new Path(root, child);
    }

    public Store child(String name) {
        return new Store(fs, resolve(name));
    }

    public boolean exists(String child) throws IOException {
        return fs.exists(resolve(child));
    }

    /** Reads a small text file (a manifest, a status). */
    public Optional<String> readText(String child) throws IOException {
        Path p = resolve(child);
        if (!fs.exists(p)) {
            return Optional.empty();
        }
        try (var in = fs.open(p)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** File systems whose rename of a folder is one atomic step (the namenode's, the kernel's). */
    private static final java.util.Set<String> ATOMIC_RENAME_SCHEMES = java.util.Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs");
    /**
     * Object stores whose client uploads a small file in one request when the stream closes, so the
     * object appears whole or not at all (S3A, Google Cloud Storage). ABFS is not one: its client
     * creates the file empty, then appends.
     */
    private static final java.util.Set<String> WHOLE_OBJECT_PUT_SCHEMES = java.util.Set.of("s3a", "s3", "gs");

    /**
     * Whether a folder renamed here appears whole or not at all: local disks and HDFS. Object stores
     * ({@code s3a}, {@code abfs}, {@code gs}, and any file system not known to be safe) rename by
     * copying each object then deleting it, so a reader, or a run killed midway, sees a mix.
     */
    public boolean renamesAtomically() {
        return ATOMIC_RENAME_SCHEMES.contains(root.toUri().getScheme());
    }

    /**
     * Replaces a small text file as a whole, so a reader sees the old content or the new one: on a
     * local disk and HDFS written beside it, then renamed over it (atomic there); on S3 and GCS in
     * one PUT, which the store makes visible whole or not at all (its rename would be a copy and a
     * delete, with a moment without the file). Elsewhere (ABFS...) written beside it and renamed
     * over it by the file system's own means, which may leave a moment without the file.
     */
    public void writeTextAtomically(String child, String content) throws IOException {
        Path target = resolve(child);
        if (WHOLE_OBJECT_PUT_SCHEMES.contains(root.toUri().getScheme())) {
            writeText(child, content);   // one PUT when the stream closes
            return;
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        fs.mkdirs(target.getParent());
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
            o.hsync();
        }
        Optional<java.nio.file.Path> local = localPath();
        if (local.isPresent()) {
            java.nio.file.Files.move(java.nio.file.Path.of(tmp.toUri()), java.nio.file.Path.of(target.toUri()),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            // One rename over the old file (HDFS: atomic), never a moment without it.
            FileContext.getFileContext(target.toUri(), fs.getConf()).rename(tmp, target, Options.Rename.OVERWRITE);
        }
    }

    /** This folder as a user names it: a plain path on the local disk, else its URI. */
    public String shown() {
        return shown(root);
    }

    /** {@code p} as a user names it: a plain path on the local disk, else its URI. */
    public static String shown(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    public Store parent() {
        return new Store(fs, root.getParent());
    }

    /** The whole text of this location read as a file; empty when there is no such file. */
    public Optional<String> readFileText() throws IOException {
        if (!fs.exists(root) || !fs.getFileStatus(root).isFile()) {
            return Optional.empty();
        }
        try (var in = fs.open(root)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Replaces this location, read as a file, as a whole ({@link #writeTextAtomically}). */
    public void replaceFileText(String content) throws IOException {
        parent().writeTextAtomically(name(), content);
    }

    public String name() {
        return root.getName();
    }

    public boolean isDirectory() throws IOException {
        return fs.getFileStatus(root).isDirectory();
    }

    /** Whether this folder exists as a folder ({@code false} for a file or nothing). */
    public boolean isFolder() {
        try {
            return fs.exists(root) && fs.getFileStatus(root).isDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + shown(), e);
        }
    }

    /** Whether {@code child} is a plain file. */
    public boolean isFile(String child) throws IOException {
        Path p = resolve(child);
        return fs.exists(p) && fs.getFileStatus(p).isFile();
    }

    /** The entries of this folder sorted by name; none when it does not exist. */
    public List<FileStatus> list() throws IOException {
        if (!fs.exists(root)) {
            return List.of();
        }
        return Arrays.stream(fs.listStatus(root)).sorted(Comparator.comparing(FileStatus::getPath)).toList();
    }

    /**
     * Every plain file under this folder, recursively, sorted by path. Walks {@code listStatus}
     * rather than {@code listFiles}: a located status asks for the permission, owner and group,
     * which Hadoop's local file system gets by forking {@code ls} for every file when libhadoop is
     * absent (510 forks in TypedCopiesTest).
     */
    public List<FileStatus> files() throws IOException {
        List<FileStatus> out = new ArrayList<>();
        if (fs.exists(root)) {
            collectFiles(root, out);
        }
        out.sort(Comparator.comparing(FileStatus::getPath));
        return out;
    }

    private void collectFiles(Path folder, List<FileStatus> out) throws IOException {
        for (FileStatus f : fs.listStatus(folder)) {
            if (f.isDirectory()) {
                collectFiles(f.getPath(), out);
            } else if (f.isFile()) {
                out.add(f);
            }
        }
    }

    /** {@code file}'s path below this folder ({@code "a/b.parquet"}). */
    public String relative(Path file) {
        String base = root.toUri().getPath();
        String p = file.toUri().getPath();
        if (!p.startsWith(base + "/")) {
            throw new IllegalArgumentException(file + " is not under " + root);
        }
        return p.substring(base.length() + 1);
    }

    public Store mkdirs() throws IOException {
        fs.mkdirs(root);
        return this;
    }

    /** Deletes this folder and everything under it; nothing when it does not exist. */
    public void delete() throws IOException {
        if (fs.exists(root) && !fs.delete(root, true)) {
            throw new IOException("cannot delete " + shown());
        }
    }

    /**
     * Creates {@code child} holding {@code content} only if it does not exist (an exclusive create:
     * one winner on HDFS and on a local disk); {@code false} when it already existed.
     */
    public boolean createNew(String child, String content) throws IOException {
        fs.mkdirs(root);
        try (FSDataOutputStream o = fs.create(resolve(child), false)) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Writes a small text file (UTF-8), replacing it; no checksum file beside it on a local disk. */
    public void writeText(String child, String content) throws IOException {
        Optional<java.nio.file.Path> local = localPath();
        if (local.isPresent()) {
            java.nio.file.Path f = local.get().resolve(child);
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(f, content, StandardCharsets.UTF_8);
            return;
        }
        try (FSDataOutputStream o = fs.create(resolve(child), true)) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
