package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.PATIENT;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.events.EventTable;
import fr.atypie.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PatientKeysTest {
    private static Dataset<Row> ids(String... patients) {
        return SharedSpark.get().createDataset(List.of(patients), Encoders.STRING()).toDF(PATIENT);
    }

    @Test
    void distinctPatientsWithDistinctHashesAreKeyedByTheHash() {
        // The same patient in two tables and twice in one is one patient, not a collision.
        assertTrue(PatientKeys.forPatients(List.of(ids("a:1", "b:1", "a:1"), ids("b:1", "c:2"))).hashed());
        // Under a hash that gives every patient the same key, one patient still may be hashed...
        assertTrue(PatientKeys.forPatients(List.of(ids("a:1", "a:1"), ids("a:1")), lit(7L)).hashed());
        // ... two may not: they keep their pseudonym.
        assertFalse(PatientKeys.forPatients(List.of(ids("a:1"), ids("b:1")), lit(7L)).hashed());
    }

    @Test
    void keyedEventsCarryTheHashInPlaceOfThePseudonym() {
        Map<EventTable, Dataset<Row>> events = Map.of(EventTable.CONSULTATIONS, ids("a:1", "b:1"));
        Dataset<Row> keyed = new PatientKeys(true).keyed(events).get(EventTable.CONSULTATIONS);
        List<Long> expected = ids("a:1", "b:1").select(xxhash64(col(PATIENT))).as(Encoders.LONG()).collectAsList();
        assertEquals(expected, keyed.select(PATIENT).as(Encoders.LONG()).collectAsList());
        assertSame(events, PatientKeys.PSEUDONYMS.keyed(events));
    }
}
