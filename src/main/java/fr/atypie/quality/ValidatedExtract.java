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
 * that join instead of making its own.
 */
public record ValidatedExtract(Map<SndsTable, Dataset<Row>> kept, Map<SndsTable, Dataset<Row>> quarantine,
                               Dataset<Row> dispensed, QualityReport report) {
    public ValidatedExtract {
        kept = Map.copyOf(kept);
        quarantine = Map.copyOf(quarantine);
    }

    public Dataset<Row> kept(SndsTable t) {
        return kept.get(t);
    }

    public Dataset<Row> quarantine(SndsTable t) {
        return quarantine.get(t);
    }
}
