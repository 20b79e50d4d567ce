package fr.atypie.events;

import static fr.atypie.snds.SndsColumns.DCT_ORD_NUM;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.EXE_SOI_DTF;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Which service lines an incremental read passes over (care before the first care month rebuilt). */
class PassedOverTest {
    private static final YearMonth FROM = YearMonth.of(2024, 2);

    private static SndsFixture careOn(int key, String day) {
        return prs().keys(key).with(EXE_SOI_DTD, d(day)).with(EXE_SOI_DTF, d(day));
    }

    /** DCT_ORD_NUM of the lines passed over, in order. */
    private static List<Integer> passedOver(Dataset<Row> lines, int maxShared) {
        return lines.where(Ingestion.passedOver(lines, FROM, maxShared)).select(col(DCT_ORD_NUM))
                .as(Encoders.INT()).collectAsList().stream().sorted().toList();
    }

    @Test
    void olderLinesArePassedOverUnlessALaterLineHasTheirNineKeys() {
        Dataset<Row> lines = SndsFixture.df(SndsTable.ER_PRS_F,
                careOn(1, "2024-01-20"),    // older, alone under its keys: passed over
                careOn(2, "2024-01-20"),    // older, but key 2 also holds a line of later care: validated
                careOn(2, "2024-02-10"),
                careOn(3, "2024-02-10"),    // later care: validated
                careOn(4, "2024-01-31").with(EXE_SOI_DTD, null));   // no care date: validated (quarantined there)
        assertEquals(List.of(1), passedOver(lines, Ingestion.MAX_SHARED_KEYS));
        // More shared keys than looked up by hash: nothing is passed over, every line validated.
        assertEquals(List.of(), passedOver(lines, 0));
        assertEquals(List.of(1), passedOver(lines, 1));
    }
}
