package fr.atypie.publish;

import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import java.io.IOException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where each published month is, for every reader ({@code report}, {@code history}, the next
 * refresh, the catalog; the notebooks do the same in Python), whichever way {@link AtomicPublisher}
 * published it:
 * <ul>
 *   <li>on a local disk or HDFS, the folder {@code OUT/YYYY-MM} (swapped in by an atomic rename);</li>
 *   <li>on an object store, the immutable folder {@code OUT/versions/YYYY-MM/<version>} named by the
 *       small pointer object {@code OUT/YYYY-MM.current} ({@link VersionedFolders}).</li>
 * </ul>
 */
public final class PublishedMonths {
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    private PublishedMonths() {
    }

    /** Where {@code month}'s publication in {@code out} is read; empty when the month was never published. */
    public static Optional<Store> of(Store out, YearMonth month) {
        return VersionedFolders.resolve(out, month.toString());
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
        return VersionedFolders.names(out).stream().filter(n -> MONTH.matcher(n).matches()).map(YearMonth::parse).toList();
    }
}
