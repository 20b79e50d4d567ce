package fr.atypie.atypie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.events.EventColumns;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PrescribersTest {
    static final StructType LINES = new StructType()
            .add(EventColumns.PRESCRIBER, DataTypes.StringType).add(EventColumns.PRESCRIBER_SPECIALTY, DataTypes.IntegerType)
            .add(EventColumns.DEPT, DataTypes.StringType).add("other", DataTypes.StringType);

    static Row line(String prescriber, Integer specialty, String dept) {
        return RowFactory.create(prescriber, specialty, dept, "x");
    }

    @Test
    void prescribersAbsentFromThePractitionersAreKeptWithTheSpecialtyOfTheirClaimLines() {
        var spark = SharedSpark.get();
        Dataset<Row> practitioners = Prescribers.fromPractitioners(spark.createDataFrame(List.of(
                RowFactory.create("GP1", "1", "34000", "341")), SndsTable.DA_PRA_R.schema()), Set.of(1, 22, 23));
        Dataset<Row> sickLeave = spark.createDataFrame(List.of(
                // H1 (hospital doctor): specialty 34 on two lines, 12 on one; patients of 034 twice, 011 once.
                line("H1", 34, "034"), line("H1", 34, "011"), line("H1", 12, "034"),
                // GP1 is in DA_PRA_R: its practitioner row wins over the line's 99.
                line("GP1", 99, "011"),
                // H3: no specialty on its lines: left out, as before.
                line("H3", null, "034"),
                // No prescriber: nothing to keep.
                line(null, 5, "034")), LINES);
        Dataset<Row> dispensations = spark.createDataFrame(List.of(
                // H2: general practice (1) on one line, none on the other; departments tie 030 / 011: the lowest.
                line("H2", 1, "030"), line("H2", null, "011")), LINES);

        Prescribers.Completed c = Prescribers.withClaimLines(practitioners, List.of(sickLeave, dispensations), Set.of(1, 22, 23));

        List<String> rows = c.prescribers().orderBy(EventColumns.PRESCRIBER).collectAsList().stream()
                .map(r -> r.mkString(" ")).toList();
        assertEquals(List.of(
                "GP1 1 general-practice 034",
                "H1 34 specialty-34 034",
                "H2 1 general-practice 011"), rows);
        assertEquals(2, c.fromClaimLines());
        assertEquals(List.of(EventColumns.PRESCRIBER, Prescribers.SPECIALTY, Prescribers.SPECIALTY_GROUP, EventColumns.DEPT),
                List.of(c.prescribers().columns()));
    }
}
