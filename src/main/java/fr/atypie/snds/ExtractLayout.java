package fr.atypie.snds;

import fr.atypie.errors.InputError;
import fr.atypie.fs.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Column;

/**
 * Where an extract's files live: {@code <root>/<TABLE>/} for referentials and
 * {@code <root>/<TABLE>/flux_month=YYYY-MM/} for the flux tables, on any file system
 * ({@code hdfs://...}, {@code s3a://...}, a local folder). The generator writes this layout and the
 * reader expects it, so both go through this one class.
 */
public record ExtractLayout(Store store) {
    public static final String FLUX_PARTITION = "flux_month";

    /**
     * The {@code YYYY-MM} of the {@code flux_month=} folder a row was read from ("" for a plain
     * folder): rows read straight from the extract's files, before any exchange.
     */
    public static Column fluxFolderOfFile() {
        return org.apache.spark.sql.functions.regexp_extract(org.apache.spark.sql.functions.input_file_name(),
                FLUX_PARTITION + "=(\\d{4}-\\d{2})", 1);
    }

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

    /** A table's folder, on the extract's file system (see {@link #folder}). */
    public Store table(SndsTable table) {
        return folder(table.name());
    }

    /**
     * The folder of table {@code name} at the extract's root: the one so named, else the one whose
     * name differs only in case. Hive and Impala name a table's folder in lower case
     * ({@code er_prs_f}), SAS and Oracle exports in upper case. Where the name is found in two cases
     * and not as written, which one holds the table is a question the extract must answer: an error.
     * A folder not found is returned as named (its readers say it is missing).
     */
    public Store folder(String name) {
        Store exact = store.child(name);
        if (exact.isFolder()) {
            return exact;
        }
        List<String> sameName;
        try {
            sameName = store.list().stream().filter(FileStatus::isDirectory).map(f -> f.getPath().getName())
                    .filter(n -> n.equalsIgnoreCase(name)).toList();
        } catch (IOException e) {
            return exact; // the reader names what cannot be read
        }
        if (sameName.size() > 1) {
            throw new InputError("table " + name + ": " + sameName.size() + " folders in " + location()
                    + " differ only in case (" + String.join(", ", sameName) + "): keep one");
        }
        return sameName.isEmpty() ? exact : store.child(sameName.get(0));
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
                for (FileStatus f : dir.files()) {
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
