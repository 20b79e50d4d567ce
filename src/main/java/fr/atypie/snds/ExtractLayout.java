package fr.atypie.snds;

import fr.atypie.fs.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.YearMonth;

/**
 * Where an extract's files live: {@code <root>/<TABLE>/} for referentials and
 * {@code <root>/<TABLE>/flux_month=YYYY-MM/} for the flux tables, on any file system
 * ({@code hdfs://...}, {@code s3a://...}, a local folder). The generator writes this layout and the
 * reader expects it, so both go through this one class.
 */
public record ExtractLayout(Store store) {
    public static final String FLUX_PARTITION = "flux_month";

    /** A local extract folder. */
    public ExtractLayout(Path root) {
        this(Store.local(root));
    }

    /** A local folder or a URI ({@code hdfs://nn/risk/extract}). */
    public static ExtractLayout at(String location) {
        return new ExtractLayout(Store.at(location));
    }

    /** The local folder of a local extract (the generator writes only there). */
    public Path root() {
        return store.localPath().orElseThrow(() -> new IllegalStateException(
                "the extract " + store + " is not a local folder"));
    }

    /** The extract as a user names it: a plain path, or a URI. */
    public String location() {
        return store.shown();
    }

    /** A table's folder, on the extract's file system. */
    public Store table(SndsTable table) {
        return store.child(table.name());
    }

    public Path tableDir(SndsTable table) {
        return root().resolve(table.name());
    }

    public Path fluxDir(SndsTable table, YearMonth fluxMonth) {
        if (!table.partitionedByFlux()) {
            throw new IllegalArgumentException(table + " is not partitioned by flux month");
        }
        return tableDir(table).resolve(FLUX_PARTITION + "=" + fluxMonth);
    }

    /**
     * Bytes of the flux tables' files a run reads under {@code flux} (every file of a flux table that
     * is not partitioned by month): what sizes its shuffles. 0 where nothing can be listed.
     */
    public long fluxBytes(FluxSelection flux) {
        long bytes = 0;
        String prefix = FLUX_PARTITION + "=";
        for (SndsTable t : SndsTable.values()) {
            Store dir = table(t);
            if (!t.partitionedByFlux() || !dir.isFolder()) {
                continue;
            }
            try {
                for (org.apache.hadoop.fs.FileStatus f : dir.files()) {
                    String name = dir.relative(f.getPath()).split("/")[0];
                    boolean partitioned = name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d{4}-\\d{2}");
                    if (!partitioned || flux.includes(YearMonth.parse(name.substring(prefix.length())))) {
                        bytes += f.getLen();
                    }
                }
            } catch (IOException e) {
                return bytes; // the reader names what cannot be read
            }
        }
        return bytes;
    }
}
