package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.PATIENT;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import fr.atypie.events.EventTable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How the aggregations by patient (patient-months, patient-windows, the insured population, the
 * prescribers' patient bases) key a patient: by a 64-bit hash of {@code patient_id} when no two
 * patients of the run share one, else by {@code patient_id} itself.
 *
 * <p>Why: every row of those hash aggregations and shuffles carried, hashed and compared the
 * ~20-character pseudonym byte by byte; a long is 8 bytes, compared in one step (at scale 0.05 the
 * indicators' cube shuffled 223 MiB instead of 282, and string equality fell from 5.7 % to 3.8 % of a
 * full rebuild's executor samples, JFR). Exact, not probable: {@link #forPatients} is
 * given every patient the aggregations will meet and keeps the pseudonym when two hashes meet (about
 * one chance in 10^6 at five million patients). Only counts, sums and strata come out of these
 * aggregations, so the key never reaches an output; the pseudonym stays in the events for the
 * lists that need it (the medical service's).
 */
public record PatientKeys(boolean hashed) {
    /** Patients keyed by their pseudonym. */
    public static final PatientKeys PSEUDONYMS = new PatientKeys(false);

    private static final String HASH = "_pk_hash";
    private static final String HOLDERS = "_pk_holders";

    /** The key of a patient_id (string) column. */
    public Column of(Column patientId) {
        return hashed ? xxhash64(patientId) : patientId;
    }

    /** The events with their {@code patient_id} column replaced by its key. */
    public Map<EventTable, Dataset<Row>> keyed(Map<EventTable, Dataset<Row>> events) {
        if (!hashed) {
            return events;
        }
        Map<EventTable, Dataset<Row>> out = new EnumMap<>(EventTable.class);
        events.forEach((t, e) -> out.put(t, e.withColumn(PATIENT, of(col(PATIENT)))));
        return out;
    }

    /**
     * Hashed keys when the distinct {@code patient_id}s of {@code patientIds} (any number of
     * Datasets with that string column; repeats allowed) all have distinct hashes.
     */
    public static PatientKeys forPatients(List<Dataset<Row>> patientIds) {
        return forPatients(patientIds, xxhash64(col(PATIENT)));
    }

    /** As above, with another hash (tests force a collision with it). */
    static PatientKeys forPatients(List<Dataset<Row>> patientIds, Column hash) {
        Dataset<Row> ids = patientIds.stream().map(d -> d.select(PATIENT)).reduce(Dataset::union).orElseThrow().distinct();
        boolean shared = !ids.groupBy(hash.as(HASH)).agg(count(lit(1)).as(HOLDERS))
                .where(col(HOLDERS).gt(1)).limit(1).isEmpty();
        return new PatientKeys(!shared);
    }
}
