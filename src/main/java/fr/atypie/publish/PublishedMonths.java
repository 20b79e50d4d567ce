package fr.atypie.publish;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;

/**
 * Where each published month is, for every reader ({@code report}, {@code history}, the next
 * refresh, the catalog, the notebooks), whichever way {@link AtomicPublisher} published it:
 * <ul>
 *   <li>on a local disk or HDFS, the folder {@code OUT/YYYY-MM} (swapped in by an atomic rename);</li>
 *   <li>on an object store, the immutable folder {@code OUT/versions/YYYY-MM/<version>} named by the
 *       small pointer object {@code OUT/YYYY-MM.current} ({@link Pointer}), written in one PUT.</li>
 * </ul>
 * The pointer wins when both exist (a folder left from before a move to an object store).
 */
public final class PublishedMonths {
    /** Folder of the immutable versions of every month published through a pointer. */
    public static final String VERSIONS = "versions";
    /** Suffix of a month's pointer object: {@code OUT/2024-12.current}. */
    public static final String POINTER_SUFFIX = ".current";
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    private PublishedMonths() {
    }

    /**
     * The content of {@code OUT/YYYY-MM.current}: the version readers use, and the one it replaced
     * (kept until the next publication of the month, for a reader that resolved the pointer just
     * before it moved). Lines {@code key=value}, paths relative to {@code OUT}:
     * <pre>
     * version=versions/2024-12/20250102T060000
     * previous=versions/2024-12/20241231T060000
     * </pre>
     */
    public record Pointer(String version, Optional<String> previous) {
        static Pointer parse(String text, String where, YearMonth month) {
            String version = null;
            String previous = null;
            for (String line : text.lines().map(String::trim).toList()) {
                if (line.startsWith("version=")) {
                    version = checked(line.substring("version=".length()), where, month);
                } else if (line.startsWith("previous=")) {
                    previous = checked(line.substring("previous=".length()), where, month);
                }
            }
            if (version == null) {
                throw new IllegalStateException(where + " names no version (no 'version=' line): it is not atypie's pointer");
            }
            return new Pointer(version, Optional.ofNullable(previous));
        }

        /** A version is a folder {@code versions/<month>/<name>}: a damaged pointer must not send readers elsewhere. */
        private static String checked(String path, String where, YearMonth month) {
            String prefix = VERSIONS + "/" + month + "/";
            String name = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
            if (name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")) {
                throw new IllegalStateException(where + " names '" + path + "', not a folder " + prefix + "<version>");
            }
            return path;
        }

        String render(YearMonth month) {
            return "# atypie: the published version of " + month + " (folder relative to this file's folder)\n"
                    + "version=" + version + "\n" + previous.map(p -> "previous=" + p + "\n").orElse("");
        }
    }

    /** The pointer of {@code month} in {@code out}, if the month was published through one. */
    static Optional<Pointer> pointer(Store out, YearMonth month) throws IOException {
        String name = month + POINTER_SUFFIX;
        Optional<String> text = out.isFile(name) ? out.readText(name) : Optional.empty();
        return text.map(t -> Pointer.parse(t, out.child(name).shown(), month));
    }

    /** Where {@code month}'s publication in {@code out} is read; empty when the month was never published. */
    public static Optional<Store> of(Store out, YearMonth month) {
        try {
            Optional<Pointer> p = pointer(out, month);
            if (p.isPresent()) {
                return Optional.of(out.child(p.get().version()));
            }
            Store folder = out.child(month.toString());
            return folder.isFolder() ? Optional.of(folder) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the publication of " + month + " in " + out.shown(), e);
        }
    }

    /**
     * A month folder as a user names it ({@code OUT/2024-12}): itself when it is a folder, else the
     * version its pointer {@code OUT/2024-12.current} names; the folder as given when neither exists
     * (the caller says what is missing).
     */
    public static Store folder(Store named) {
        if (!MONTH.matcher(named.name()).matches() || named.isFolder()) {
            return named;
        }
        return of(named.parent(), YearMonth.parse(named.name())).orElse(named);
    }

    /** The months published in {@code out}, oldest first. */
    public static List<YearMonth> in(Store out) throws IOException {
        TreeSet<YearMonth> months = new TreeSet<>();
        for (FileStatus f : out.list()) {
            String name = f.getPath().getName();
            if (f.isDirectory() && MONTH.matcher(name).matches()) {
                months.add(YearMonth.parse(name));
            } else if (f.isFile() && name.endsWith(POINTER_SUFFIX)
                    && MONTH.matcher(name.substring(0, name.length() - POINTER_SUFFIX.length())).matches()) {
                months.add(YearMonth.parse(name.substring(0, name.length() - POINTER_SUFFIX.length())));
            }
        }
        return new ArrayList<>(months);
    }
}
