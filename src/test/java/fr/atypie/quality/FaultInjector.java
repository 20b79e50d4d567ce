package fr.atypie.quality;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import fr.atypie.snds.DcirRules;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.ScalaSeqs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Plants known faults in a clean extract and writes the result as a new extract, so that a test can
 * check validation quarantines exactly them, under the right rules. Service-line faults are planted
 * on standalone consultation lines (no drug line, no regularisation, no identical twin), so that
 * quarantining them has no knock-on effect on other rows.
 */
public final class FaultInjector {
    /** DCT_ORD_NUM of added lines: negative, never used by a real extract. */
    private static final int ADDED_KEY_BASE = -1_000_000;
    private static final String GHOST = "GHOST";
    private static final String PICK = "_fi_pick";

    public record Faults(int nullPatients, int careAfterFlux, int orphanDrugLines, int unmatchedRegularisations,
                         int duplicateLines, int unknownAldPatients) {}

    private FaultInjector() {}

    public static void inject(SparkSession spark, Path cleanRoot, Faults f, Path outRoot) {
        Map<SndsTable, Dataset<Row>> t = new ExtractReader(spark, new ExtractLayout(cleanRoot)).readAll(FluxSelection.ALL);
        Dataset<Row> prs = t.get(SndsTable.ER_PRS_F);
        int picks = f.nullPatients() + f.careAfterFlux() + f.unmatchedRegularisations() + f.duplicateLines();

        // Standalone consultations: positive, alone in their netting group, ordered by their keys.
        Column[] group = DcirRules.prsDescriptiveColumns().stream().map(c -> col(c)).toArray(Column[]::new);
        Column[] keys = JOIN_KEYS.stream().map(c -> col(c)).toArray(Column[]::new);
        Dataset<Row> candidates = prs
                .withColumn("_fi_n", count(lit(1)).over(Window.partitionBy(group)))
                .filter(col("_fi_n").equalTo(1).and(col(PRS_ACT_QTE).gt(0))
                        .and(col(PRS_NAT_REF).isin(SndsFixture.codes().consultations().toArray())))
                .drop("_fi_n")
                .withColumn(PICK, row_number().over(Window.orderBy(keys)))
                .filter(col(PICK).leq(picks));
        int a = f.nullPatients();
        int b = a + f.careAfterFlux();
        int c = b + f.unmatchedRegularisations();
        Dataset<Row> picked = candidates.cache();
        if (picked.count() < picks) {
            throw new IllegalStateException("the clean extract has fewer than " + picks + " standalone consultations");
        }
        Dataset<Row> pickedKeys = picked.select(cols(JOIN_KEYS, PICK));

        List<String> all = SndsTable.ER_PRS_F.columnNames();
        Dataset<Row> untouched = prs.join(pickedKeys, ScalaSeqs.of(JOIN_KEYS), "left_anti");
        Dataset<Row> nullPatient = picked.filter(col(PICK).leq(a)).withColumn(BEN_NIR_PSA, lit(null).cast(DataTypes.StringType));
        Column late = date_add(last_day(col(FLX_DIS_DTD)), 10);
        Dataset<Row> afterFlux = picked.filter(col(PICK).gt(a).and(col(PICK).leq(b)))
                .withColumn(EXE_SOI_DTD, late).withColumn(EXE_SOI_DTF, late);
        // The line itself stays; a negative copy for a doctor who never saw the patient cancels nothing.
        Dataset<Row> regularised = picked.filter(col(PICK).gt(b).and(col(PICK).leq(c)));
        Dataset<Row> cancelNothing = regularised
                .withColumn(DCT_ORD_NUM, col(PICK).plus(ADDED_KEY_BASE))
                .withColumn(PFS_EXE_NUM, lit(GHOST))
                .withColumn(PRS_ACT_QTE, col(PRS_ACT_QTE).multiply(-1))
                .withColumn(BSE_REM_MNT, col(BSE_REM_MNT).multiply(-1));
        // Exact copies: one of each pair is a duplicate 9-key.
        Dataset<Row> duplicated = picked.filter(col(PICK).gt(c));
        Dataset<Row> newPrs = untouched.select(cols(all))
                .unionByName(nullPatient.select(cols(all)))
                .unionByName(afterFlux.select(cols(all)))
                .unionByName(regularised.select(cols(all)))
                .unionByName(cancelNothing.select(cols(all)))
                .unionByName(duplicated.select(cols(all)))
                .unionByName(duplicated.select(cols(all)));

        // Drug lines under 9 keys no service line has (a flux month of the extract, so it is read).
        Dataset<Row> pha = t.get(SndsTable.ER_PHA_F);
        Row anyDrug = pha.orderBy(keys).select(cols(List.of(PHA_PRS_C13, FLX_DIS_DTD))).first();
        List<Row> orphans = new ArrayList<>();
        for (int i = 0; i < f.orphanDrugLines(); i++) {
            orphans.add(SndsFixture.pha(ADDED_KEY_BASE - 1 - i).with(FLX_DIS_DTD, anyDrug.getDate(1))
                    .with(PHA_PRS_C13, anyDrug.getLong(0)).with(PHA_ACT_QSN, 1).row());
        }
        Dataset<Row> newPha = pha.unionByName(spark.createDataFrame(orphans, SndsTable.ER_PHA_F.schema()), true);

        List<Row> ghosts = new ArrayList<>();
        for (int i = 0; i < f.unknownAldPatients(); i++) {
            ghosts.add(SndsFixture.ald(GHOST + i, "2020-01-01", null).row());
        }
        Dataset<Row> newImb = t.get(SndsTable.IR_IMB_R)
                .unionByName(spark.createDataFrame(ghosts, SndsTable.IR_IMB_R.schema()), true);

        t.put(SndsTable.ER_PRS_F, newPrs);
        t.put(SndsTable.ER_PHA_F, newPha);
        t.put(SndsTable.IR_IMB_R, newImb);
        SndsFixture.write(t, outRoot);
        picked.unpersist();
    }

    private static Column[] cols(List<String> names, String... more) {
        List<String> all = new ArrayList<>(names);
        all.addAll(List.of(more));
        return all.stream().map(n -> col(n)).toArray(Column[]::new);
    }
}
