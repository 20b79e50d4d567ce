package fr.atypie.quality;

import fr.atypie.snds.SndsTable;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of validation. {@link #kept} holds each table's clean rows with exactly the columns
 * of {@link SndsTable#schema()}; {@link #quarantine} the others, with the same columns plus
 * {@code rule} and {@code reason}. The quarantine holds patient pseudonyms: a restricted working
 * area, never published; the report holds counts only. {@link #dispensed} holds the kept ER_PHA_F
 * lines with the columns of their service line ({@code DcirRules.prsDescriptiveColumns()} and
 * BSE_REM_MNT): validation joins every drug line to its service line, and the drug netting reuses
 * that join instead of making its own. {@link #hashed} holds the kept lines of the two flux tables
 * (ER_PHA_F's as in {@link #dispensed}) with two hashes the line store keeps of each: of its 9 keys,
 * {@link #KEY_HASH}, and of the columns that make it a service, {@link #SERVICE_HASH} (ER_PRS_F's
 * descriptive columns; ER_PHA_F's claim columns and CIP13). With the measures, they are a line's
 * content, read narrow.
 */
public record ValidatedExtract(Map<SndsTable, Dataset<Row>> kept, Map<SndsTable, Dataset<Row>> quarantine,
                               Dataset<Row> dispensed, QualityReport report, Map<SndsTable, Dataset<Row>> hashed) {
    /** {@code xxhash64} of a line's 9 keys, in {@code SndsColumns.JOIN_KEYS}' order. */
    public static final String KEY_HASH = StoredLines.KEY_HASH;
    /** {@code xxhash64} of a service line's {@code DcirRules.prsDescriptiveColumns()}, a drug line's with PHA_PRS_C13. */
    public static final String SERVICE_HASH = StoredLines.SERVICE_HASH;

    public ValidatedExtract {
        kept = Map.copyOf(kept);
        quarantine = Map.copyOf(quarantine);
        hashed = Map.copyOf(hashed);
    }

    /** The kept lines of ER_PRS_F or ER_PHA_F with their two hashes (see the class comment). */
    public Dataset<Row> hashed(SndsTable t) {
        return hashed.get(t);
    }

    public Dataset<Row> kept(SndsTable t) {
        return kept.get(t);
    }

    public Dataset<Row> quarantine(SndsTable t) {
        return quarantine.get(t);
    }
}
