package fr.atypie.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;

/**
 * Folders published whole on a store that cannot rename a folder atomically (an object store,
 * {@link Store#renamesAtomically()}): the content is uploaded once into an immutable folder
 * {@code ROOT/versions/NAME/<version>}, then one small pointer object {@code ROOT/NAME.current}
 * names it ({@link Pointer}). The pointer is written in a single PUT, which an object store makes
 * visible whole or not at all: readers ({@link #resolve}) see the previous version until that
 * moment and the new one after it. Nothing is ever renamed.
 *
 * <p>On a local disk or HDFS the same names are plain folders {@code ROOT/NAME}, swapped in by
 * renames; {@link #resolve} returns them when there is no pointer (the pointer wins when both
 * exist: a folder left from before a move to an object store).
 *
 * <p>Used for the monthly publications ({@code OUT/YYYY-MM}) and the campaign evaluations
 * ({@code OUT/evaluations/<campaign>}). Written by hand rather than through a table format: what
 * is published is mostly files for people (CSV, XLSX, HTML) with a few single-file Parquet tables,
 * and one pointer covers them all with no new runtime dependency on the cluster.
 */
public final class VersionedFolders {
    /** Folder of the immutable versions: {@code ROOT/versions/NAME/<version>}. */
    public static final String VERSIONS = "versions";
    /** Suffix of a pointer object: {@code ROOT/NAME.current}. */
    public static final String POINTER_SUFFIX = ".current";

    private VersionedFolders() {
    }

    /**
     * The content of {@code ROOT/NAME.current}: the version readers use, and the one it replaced (kept
     * until the next publication of the name, for a reader that resolved the pointer just before it
     * moved). Lines {@code key=value}, paths relative to {@code ROOT}:
     * <pre>
     * version=versions/2024-12/20250102T060000
     * previous=versions/2024-12/20241231T060000
     * </pre>
     */
    public record Pointer(String version, Optional<String> previous) {
        static Pointer parse(String text, String where, String name) {
            String version = null;
            String previous = null;
            for (String line : text.lines().map(String::trim).toList()) {
                if (line.startsWith("version=")) {
                    version = checked(line.substring("version=".length()), where, name);
                } else if (line.startsWith("previous=")) {
                    previous = checked(line.substring("previous=".length()), where, name);
                }
            }
            if (version == null) {
                throw new IllegalStateException(where + " names no version (no 'version=' line): it is not atypie's pointer");
            }
            return new Pointer(version, Optional.ofNullable(previous));
        }

        /** A version is a folder {@code versions/NAME/<version>}: a damaged pointer must not send readers elsewhere. */
        private static String checked(String path, String where, String name) {
            String prefix = VERSIONS + "/" + name + "/";
            String version = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
            if (version.isEmpty() || version.contains("/") || version.equals("..") || version.equals(".")) {
                throw new IllegalStateException(where + " names '" + path + "', not a folder " + prefix + "<version>");
            }
            return path;
        }

        String render(String name) {
            return "# atypie: the published version of " + name + " (folder relative to this file's folder)\n"
                    + "version=" + version + "\n" + previous.map(p -> "previous=" + p + "\n").orElse("");
        }
    }

    /** The pointer of {@code name} in {@code root}, if {@code name} was published through one. */
    public static Optional<Pointer> pointer(Store root, String name) throws IOException {
        String file = name + POINTER_SUFFIX;
        Optional<String> text = root.isFile(file) ? root.readText(file) : Optional.empty();
        return text.map(t -> Pointer.parse(t, root.child(file).shown(), name));
    }

    /** Where {@code name} is read: the version its pointer names, else the folder; empty when neither exists. */
    public static Optional<Store> resolve(Store root, String name) {
        try {
            Optional<Pointer> p = pointer(root, name);
            if (p.isPresent()) {
                return Optional.of(root.child(p.get().version()));
            }
            Store folder = root.child(name);
            return folder.isFolder() ? Optional.of(folder) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " in " + root.shown(), e);
        }
    }

    /**
     * The names published in {@code root}: folders (but not hidden ones nor {@code versions}) and
     * pointers, sorted.
     */
    public static List<String> names(Store root) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (FileStatus f : root.list()) {
            String n = f.getPath().getName();
            if (n.startsWith(".") || n.startsWith("_")) {
                continue;
            }
            if (f.isDirectory() && !n.equals(VERSIONS)) {
                names.add(n);
            } else if (f.isFile() && n.endsWith(POINTER_SUFFIX) && n.length() > POINTER_SUFFIX.length()) {
                names.add(n.substring(0, n.length() - POINTER_SUFFIX.length()));
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * A version folder for {@code name} not in use: {@code versions/NAME/<runId>}, suffixed when one
     * with the same run id is still kept (current or previous; call after {@link #deleteOrphans}).
     */
    public static String newVersion(Store root, String name, String runId) throws IOException {
        String base = VERSIONS + "/" + name + "/" + runId;
        String candidate = base;
        for (int i = 2; root.fs().exists(root.resolve(candidate)); i++) {
            candidate = base + "-" + i;
        }
        return candidate;
    }

    /**
     * Publishes {@code version} (already uploaded) as {@code name}: one PUT of the pointer, naming the
     * version it replaces as the previous one. Returns what is now superseded: the version two
     * publications back, for {@link #deleteSuperseded}.
     */
    public static Optional<String> switchTo(Store root, String name, String version) throws IOException {
        Optional<Pointer> before = pointer(root, name);
        Pointer now = new Pointer(version, before.map(Pointer::version).filter(v -> !v.equals(version)));
        root.writeTextAtomically(name + POINTER_SUFFIX, now.render(name));
        return before.flatMap(Pointer::previous).filter(p -> !p.equals(version));
    }

    /**
     * Deletes what {@link #switchTo} superseded, and a folder {@code ROOT/NAME} published by renames
     * before (the pointer wins over it for every reader).
     */
    public static void deleteSuperseded(Store root, String name, Optional<String> superseded) throws IOException {
        if (superseded.isPresent()) {
            root.fs().delete(root.resolve(superseded.get()), true);
        }
        root.fs().delete(root.resolve(name), true);
    }

    /**
     * Deletes every version folder its pointer names neither as the version nor as the previous
     * one: uploads of runs killed before their pointer moved, versions whose deletion was cut short.
     * Only while no other run can be publishing in {@code root}. Returns the deleted paths.
     */
    public static List<String> deleteOrphans(Store root) throws IOException {
        List<String> deleted = new ArrayList<>();
        for (FileStatus named : root.child(VERSIONS).list()) {
            if (named.isDirectory()) {
                deleted.addAll(deleteOrphans(root, named.getPath().getName()));
            }
        }
        return deleted;
    }

    /** As {@link #deleteOrphans(Store)}, for the versions of {@code name} only. */
    public static List<String> deleteOrphans(Store root, String name) throws IOException {
        List<String> deleted = new ArrayList<>();
        Optional<Pointer> pointer = pointer(root, name);
        for (FileStatus v : root.child(VERSIONS).child(name).list()) {
            String path = VERSIONS + "/" + name + "/" + v.getPath().getName();
            boolean kept = pointer.isPresent() && (pointer.get().version().equals(path)
                    || pointer.get().previous().filter(path::equals).isPresent());
            if (!kept) {
                root.fs().delete(v.getPath(), true);
                deleted.add(path);
            }
        }
        return deleted;
    }
}
