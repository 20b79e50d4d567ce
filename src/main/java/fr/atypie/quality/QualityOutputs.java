package fr.atypie.quality;

import static org.apache.spark.sql.functions.col;

import fr.atypie.fs.RestrictedAccess;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        try {
            Files.createDirectories(outDir);
            // Restricted before the first pseudonym is written into it.
            access.directory(outDir.resolve(QUARANTINE_DIR));
            for (SndsTable t : SndsTable.values()) {
                Dataset<Row> q = v.quarantine(t);
                List<Column> order = new ArrayList<>();
                order.add(col(QuarantineColumns.RULE));
                for (String c : t.columnNames()) {
                    order.add(col(c).asc_nulls_first());
                }
                // One file, rows in a fixed order: the same input gives the same quarantine.
                q.coalesce(1).sortWithinPartitions(order.toArray(Column[]::new))
                        .write().mode(SaveMode.Overwrite).parquet(outDir.resolve(QUARANTINE_DIR).resolve(t.name()).toString());
            }
            Files.writeString(outDir.resolve(REPORT_JSON), QualityReportFormat.json(v.report(), extract), StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve(REPORT_TEXT), QualityReportFormat.text(v.report(), extract), StandardCharsets.UTF_8);
            access.protect(outDir.resolve(QUARANTINE_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the validation outputs under " + outDir, e);
        }
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * share);
    }
}
