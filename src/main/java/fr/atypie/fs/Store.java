package fr.atypie.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
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
            return new Store(fs, fs.makeQualified(new Path(uri)));
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

    /**
     * Replaces a small text file as a whole: written beside it, then renamed over it, so a reader
     * sees the old content or the new one (rename is atomic on HDFS and local disks; object stores
     * copy, and their single PUT of a small object is atomic too).
     */
    public void writeTextAtomically(String child, String content) throws IOException {
        Path target = resolve(child);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        fs.mkdirs(target.getParent());
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
            o.hsync();
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
