package fr.atypie.events;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.pra;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.config.ConfigLoader;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.quality.Validator;
import fr.atypie.snds.SndsFixture;
import fr.atypie.testing.SharedSpark;
import java.sql.Date;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The month before (flux up to 2024-03) against the month after (flux 2024-04 lands): a late line, a
 * new care month, a patient who moved and a practitioner whose specialty changed each change the
 * digest of the pairs whose events they reach, and only those; rebuilding those pairs and copying the
 * others gives the events of a full build.
 */
class CarePairsTest {
    private static final String MONTH = "month";
    private static ValidatedExtract before;
    private static ValidatedExtract after;

    @BeforeAll
    static void validate() {
        SndsFixture pharmacy = prs().with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").with(PFS_PRE_NUM, "D2")
                .with(BEN_NIR_PSA, "P3").with(BSE_REM_MNT, 12.0);
        List<SndsFixture> common = List.of(
                ben("P1"), ben("P3"), pra("D1", "1"), SndsFixture.drug(SndsFixture.CIP, "J01CA04"),
                prs().keys(1),                                                               // P1, February
                prs().keys(2).with(BEN_NIR_PSA, "P2"),                                       // P2, February
                prs().keys(3).with(BEN_NIR_PSA, "P2").with(EXE_SOI_DTD, d("2024-03-05")).with(EXE_SOI_DTF, d("2024-03-05")), // P2, March
                pharmacy.keys(4), pha(4).with(PHA_ACT_QSN, 2),                               // P3, February
                prs().keys(5).with(BEN_NIR_PSA, "P3").with(PFS_EXE_NUM, "D2").with(EXE_SOI_DTD, d("2024-03-07"))
                        .with(EXE_SOI_DTF, d("2024-03-07")));
        List<SndsFixture> month = new ArrayList<>(common);
        month.addAll(List.of(ben("P2"), pra("D2", "22")));
        before = validated(month);
        List<SndsFixture> next = new ArrayList<>(common);
        next.addAll(List.of(ben("P2").with(BEN_RES_DPT, "031"), pra("D2", "23"),
                prs().keys(6).flux("2024-04-01").with(EXE_SOI_DTD, d("2024-02-20")).with(EXE_SOI_DTF, d("2024-02-20")), // P1, February: late
                prs().keys(7).flux("2024-04-01").with(EXE_SOI_DTD, d("2024-04-02")).with(EXE_SOI_DTF, d("2024-04-02"))));   // P1, April: new
        after = validated(next);
    }

    private static ValidatedExtract validated(List<SndsFixture> rows) {
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes())
                .validate(SndsFixture.extract(rows.toArray(SndsFixture[]::new)));
        assertEquals(0, v.report().totalQuarantined(), v.report().tables().toString());
        return v;
    }

    @Test
    void aLateLineANewMonthAMoveAndASpecialtyChangeTheDigestsOfTheirPairsOnly() {
        Dataset<Row> changed = CarePairs.changed(CarePairs.digests(after, Optional.empty(), MONTH),
                CarePairs.digests(before, Optional.empty(), MONTH));
        // P1 February (a late line), P1 April (new), P2's two months (moved to 031), P3 March (a consultation
        // with D2, now of specialty 23); P3's February dispensation, by a pharmacist, is unchanged.
        assertEquals(pairs("P1:1 2024-02", "P1:1 2024-04", "P2:1 2024-02", "P2:1 2024-03", "P3:1 2024-03"),
                new TreeSet<>(changed.as(Encoders.LONG()).collectAsList()));
        // Digests are of the lines, not of their order or of Spark's partitions.
        assertEquals(0, CarePairs.changed(CarePairs.digests(after, Optional.empty(), MONTH),
                CarePairs.digests(validatedReversed(), Optional.empty(), MONTH)).count());
    }

    @Test
    void rebuildingTheChangedPairsAndCopyingTheOthersGivesTheFullBuildsEvents() {
        Dataset<Row> changed = CarePairs.changed(CarePairs.digests(after, Optional.empty(), MONTH),
                CarePairs.digests(before, Optional.empty(), MONTH));
        Map<EventTable, Dataset<Row>> stored = ClaimEvents.build(before, SndsFixture.codes());
        Map<EventTable, Dataset<Row>> fresh = ClaimEvents.build(CarePairs.restrictedTo(after, changed), SndsFixture.codes());
        Map<EventTable, Dataset<Row>> full = ClaimEvents.build(after, SndsFixture.codes());
        Dataset<Row> expected = null;
        Dataset<Row> incremental = null;
        for (EventTable t : EventTable.values()) {
            // The four tables in one collect each side (a job per table is seconds of this test).
            Dataset<Row> all = tagged(full.get(t), t);
            Dataset<Row> rebuilt = tagged(fresh.get(t).unionByName(CarePairs.without(stored.get(t), changed)), t);
            expected = expected == null ? all : expected.unionByName(all, true);
            incremental = incremental == null ? rebuilt : incremental.unionByName(rebuilt, true);
        }
        assertEquals(rows(expected), rows(incremental));
        // What was copied: P3's February dispensation alone; the six consultations, all of changed pairs, rebuilt.
        assertEquals(1, CarePairs.without(stored.get(EventTable.DISPENSATIONS), changed).count());
        assertEquals(0, CarePairs.without(stored.get(EventTable.CONSULTATIONS), changed).count());
        assertEquals(6, fresh.get(EventTable.CONSULTATIONS).count());
    }

    @Test
    void digestsFromACareMonthHoldThatMonthsPairsAndLater() {
        List<String> months = CarePairs.digests(after, Optional.of(YearMonth.of(2024, 3)), MONTH)
                .select(col(MONTH)).distinct().orderBy(MONTH).as(Encoders.STRING()).collectAsList();
        assertEquals(List.of("2024-03", "2024-04"), months);
        assertEquals(3, CarePairs.digests(after, Optional.of(YearMonth.of(2024, 3)), MONTH).count());
    }

    /** The month after, its lines given in the reverse order. */
    private static ValidatedExtract validatedReversed() {
        Map<fr.atypie.snds.SndsTable, Dataset<Row>> kept = new java.util.EnumMap<>(after.kept());
        kept.put(fr.atypie.snds.SndsTable.ER_PRS_F, after.kept(fr.atypie.snds.SndsTable.ER_PRS_F)
                .orderBy(col(DCT_ORD_NUM).desc()).repartition(3));
        return new ValidatedExtract(kept, after.quarantine(), after.dispensed(), after.report());
    }

    /** The pair hashes of "PATIENT YYYY-MM", as events name them. */
    private static Set<Long> pairs(String... pairs) {
        List<Row> rows = new ArrayList<>();
        for (String p : pairs) {
            String[] parts = p.split(" ");
            rows.add(RowFactory.create(parts[0], Date.valueOf(YearMonth.parse(parts[1]).atDay(1))));
        }
        StructType schema = new StructType().add(EventColumns.PATIENT, DataTypes.StringType)
                .add(EventColumns.CARE_MONTH, DataTypes.DateType);
        return new TreeSet<>(SharedSpark.get().createDataFrame(rows, schema).select(CarePairs.ofEvent())
                .as(Encoders.LONG()).collectAsList());
    }

    private static Dataset<Row> tagged(Dataset<Row> events, EventTable t) {
        return events.withColumn("event_table", org.apache.spark.sql.functions.lit(t.name()));
    }

    private static List<String> rows(Dataset<Row> events) {
        return events.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }
}
