package fr.atypie.quality;

import static org.apache.spark.sql.functions.col;

import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes what validation produced under one folder:
 * {@code quarantine/<TABLE>/} (Parquet, one sorted file per table: restricted, holds patient
 * pseudonyms), {@code quality-report.json} and {@code quality-report.txt} (counts only).
 */
public final class QualityOutputs {
    public static final String QUARANTINE_DIR = "quarantine";
    public static final String REPORT_JSON = "quality-report.json";
    public static final String REPORT_TEXT = "quality-report.txt";

    private QualityOutputs() {}

    public static void write(ValidatedExtract v, Path outDir, String extract) {
        write(v, outDir, extract, RestrictedAccess.ownerOnly());
    }

    /** As {@link #write(ValidatedExtract, Path, String)}; the quarantine is restricted by {@code access}. */
    public static void write(ValidatedExtract v, Path outDir, String extract, RestrictedAccess access) {
        write(v, Store.local(outDir), extract, access);
    }

    /** As above, on any file system ({@code hdfs://...}): the quarantine gets the same restricted modes there. */
    public static void write(ValidatedExtract v, Store outDir, String extract, RestrictedAccess access) {
        try {
            outDir.fs().mkdirs(outDir.root());   // the reports (counts only) keep the usual modes
            // Restricted before the first pseudonym is written into it.
            Store quarantine = access.directory(outDir.child(QUARANTINE_DIR));
            for (SndsTable t : SndsTable.values()) {
                Dataset<Row> q = v.quarantine(t);
                List<Column> order = new ArrayList<>();
                order.add(col(QuarantineColumns.RULE));
                for (String c : t.columnNames()) {
                    order.add(col(c).asc_nulls_first());
                }
                // One file, rows in a fixed order: the same input gives the same quarantine. Repartitioned,
                // not coalesced: a coalesce to one partition reads every stored line in one task (7 M at scale
                // 0.05: 3 s on one core of two; on a cluster, one core of all), the shuffle moves quarantined rows only.
                q.repartition(1).sortWithinPartitions(order.toArray(Column[]::new))
                        .write().mode(SaveMode.Overwrite).parquet(quarantine.resolve(t.name()).toString());
            }
            writeText(outDir, REPORT_JSON, QualityReportFormat.json(v.report(), extract));
            writeText(outDir, REPORT_TEXT, QualityReportFormat.text(v.report(), extract));
            access.protect(quarantine);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the validation outputs under " + outDir, e);
        }
    }

    private static void writeText(Store dir, String name, String content) throws IOException {
        Optional<Path> local = dir.localPath();
        if (local.isPresent()) {
            // java.nio on a local disk: no checksum file beside the report.
            Files.writeString(local.get().resolve(name), content, StandardCharsets.UTF_8);
        } else {
            dir.writeTextAtomically(name, content);
        }
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * share);
    }
}
