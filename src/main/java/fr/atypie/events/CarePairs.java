package fr.atypie.events;

import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.PATIENT;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.PFS_EXE_NUM;
import static fr.atypie.snds.SndsColumns.PHA_PRS_C13;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import fr.atypie.quality.ValidatedExtract;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.ScalaSeqs;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an incremental refresh rebuilds: a patient's events of one care month, a <i>pair</i>. Every
 * event is built from the kept lines of one pair (netting groups identical services, the patient and
 * the care date among their columns; a drug line goes with its service line), the patient's rows of
 * IR_BEN_R and IR_IMB_R, and the DA_PRA_R and IR_PHA_R rows its lines name. A pair's <i>digest</i>
 * hashes all of these; the event store keeps each pair's digest beside its events, and a refresh
 * rebuilds the pairs whose digest changed (a late line, a re-delivered month, a new verdict, a patient
 * who moved or entered an ALD, a practitioner's specialty...) and copies the others' events. At scale
 * 0.05 the lines of flux 2024-12 of care before 2024-12 touch 2.5 % of the earlier months' events.
 *
 * <p>Pairs and patients are keyed by 64-bit hashes: two pairs that share a hash are rebuilt or copied
 * together (the lines and the stored events are matched by the same hash), so a collision costs a
 * rebuild, never an event.
 */
final class CarePairs {
    /** {@code xxhash64} of the patient's pseudonym and the care month, on lines and on events alike. */
    static final String PAIR = "_pair";
    /** {@code xxhash64} of the pair's line digest and its patient's referential rows. */
    static final String DIGEST = "_pair_digest";
    private static final String PATIENT_HASH = "_pair_patient";
    private static final String PATIENT_ROWS = "_pair_patient_rows";
    private static final String LINE_HASH = "_pair_line";
    private static final String LOW = "_pair_low";
    private static final String HIGH = "_pair_high";
    private static final String LINES = "_pair_lines";
    private static final String NOW = "_pair_now";
    private static final String BEFORE = "_pair_before";

    private CarePairs() {}

    /** A line's pair (ER_PRS_F columns, or a drug line with its service line's). */
    static Column ofLine() {
        return xxhash64(ClaimEvents.patientOfLine(), ClaimEvents.careMonthOfLine());
    }

    /** An event's pair: the same hash as its lines'. */
    static Column ofEvent() {
        return xxhash64(col(PATIENT), col(CARE_MONTH));
    }

    /**
     * One row per pair of care month {@code from} or later (every month when empty) among the kept
     * lines: {@link #PAIR}, {@link #DIGEST} and the care month as {@code monthColumn} ({@code YYYY-MM}).
     * A line's hash covers all its columns, with the specialty (service lines) or the drug's classes
     * (drug lines) its events take from the referentials; the pair's line digest is their sum (two
     * 32-bit halves summed apart, exact whatever the order) and count; the patient's rows are hashed
     * once per patient and joined to its pairs.
     */
    static Dataset<Row> digests(ValidatedExtract v, Optional<YearMonth> from, String monthColumn) {
        Map<SndsTable, Dataset<Row>> kept = v.kept();
        Dataset<Row> services = kept.get(SndsTable.ER_PRS_F);
        Dataset<Row> practitioners = ClaimEvents.practitioners(kept);
        Dataset<Row> serviceHashes = hashed(services.join(broadcast(practitioners), ScalaSeqs.of(List.of(PFS_EXE_NUM)), "left"),
                services.columns(), practitioners.columns(), from);
        Dataset<Row> drugs = ClaimEvents.drugs(kept);
        Dataset<Row> drugHashes = hashed(v.dispensed().join(broadcast(drugs), ScalaSeqs.of(List.of(PHA_PRS_C13)), "left"),
                v.dispensed().columns(), drugs.columns(), from);
        Column h = col(LINE_HASH);
        Dataset<Row> pairs = serviceHashes.unionByName(drugHashes)
                .groupBy(col(PAIR), col(PATIENT_HASH), col(CARE_MONTH))
                .agg(sum(h.bitwiseAND(lit(0xFFFFFFFFL))).as(LOW), sum(shiftrightunsigned(h, 32)).as(HIGH),
                        count(lit(1)).as(LINES));
        Dataset<Row> patients = ClaimEvents.patients(kept.get(SndsTable.IR_BEN_R), kept.get(SndsTable.IR_IMB_R));
        Dataset<Row> patientRows = patients.select(xxhash64(ClaimEvents.patientOfLine()).as(PATIENT_HASH),
                xxhash64(Arrays.stream(patients.columns()).map(c -> col(c)).toArray(Column[]::new)).as(PATIENT_ROWS));
        return pairs.join(broadcast(patientRows), ScalaSeqs.of(List.of(PATIENT_HASH)), "left")
                .select(col(PAIR), xxhash64(col(LOW), col(HIGH), col(LINES), coalesce(col(PATIENT_ROWS), lit(0L))).as(DIGEST),
                        date_format(col(CARE_MONTH), "yyyy-MM").as(monthColumn));
    }

    /** A line's pair, patient, care month and hash over {@code columns} then {@code referential}'s columns but its key. */
    private static Dataset<Row> hashed(Dataset<Row> lines, String[] columns, String[] referential, Optional<YearMonth> from) {
        List<Column> all = new ArrayList<>();
        Arrays.stream(columns).forEach(c -> all.add(col(c)));
        Arrays.stream(referential).skip(1).forEach(c -> all.add(col(c)));
        Dataset<Row> selected = from.map(m -> lines.where(col(EXE_SOI_DTD).geq(lit(Date.valueOf(m.atDay(1)))))).orElse(lines);
        return selected.select(ofLine().as(PAIR), xxhash64(ClaimEvents.patientOfLine()).as(PATIENT_HASH),
                ClaimEvents.careMonthOfLine().as(CARE_MONTH), xxhash64(all.toArray(Column[]::new)).as(LINE_HASH));
    }

    /**
     * The pairs ({@link #PAIR}, distinct) whose digest differs between {@code now} and {@code before}
     * (both from {@link #digests}, over the same care months), or which only one of them holds.
     */
    static Dataset<Row> changed(Dataset<Row> now, Dataset<Row> before) {
        return now.select(col(PAIR), col(DIGEST).as(NOW))
                .join(before.select(col(PAIR), col(DIGEST).as(BEFORE)), ScalaSeqs.of(List.of(PAIR)), "full_outer")
                .where(not(col(NOW).eqNullSafe(col(BEFORE)))).select(col(PAIR)).distinct();
    }

    /** The validation with only the service and drug lines of {@code pairs} ({@link #PAIR}) kept: what their events are built from. */
    static ValidatedExtract restrictedTo(ValidatedExtract v, Dataset<Row> pairs) {
        Map<SndsTable, Dataset<Row>> kept = new EnumMap<>(v.kept());
        kept.put(SndsTable.ER_PRS_F, ofPairs(v.kept(SndsTable.ER_PRS_F), pairs));
        return new ValidatedExtract(kept, v.quarantine(), ofPairs(v.dispensed(), pairs), v.report());
    }

    private static Dataset<Row> ofPairs(Dataset<Row> lines, Dataset<Row> pairs) {
        return lines.withColumn(PAIR, ofLine()).join(pairs, ScalaSeqs.of(List.of(PAIR)), "left_semi").drop(PAIR);
    }

    /** {@code events} but those of {@code pairs}. */
    static Dataset<Row> without(Dataset<Row> events, Dataset<Row> pairs) {
        return events.withColumn(PAIR, ofEvent()).join(pairs, ScalaSeqs.of(List.of(PAIR)), "left_anti").drop(PAIR);
    }
}
