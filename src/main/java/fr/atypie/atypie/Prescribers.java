package fr.atypie.atypie;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.EventColumns;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Practitioners from DA_PRA_R, with what peer comparison needs: specialty, specialty group
 * ("general-practice", or "specialty-NN") and practice department (from the postal code, in the
 * 3-character form of BEN_RES_DPT, e.g. "034").
 */
public final class Prescribers {
    public static final String SPECIALTY = "specialty";
    public static final String SPECIALTY_GROUP = "specialty_group";
    public static final String GENERAL_PRACTICE = "general-practice";

    private Prescribers() {}

    /**
     * Columns: prescriber_id, specialty (int), specialty_group, dept. One row per practitioner.
     * {@code generalPractice}: the specialties of general practice (atypie.dcir.codes).
     */
    public static Dataset<Row> fromPractitioners(Dataset<Row> daPraR, Set<Integer> generalPractice) {
        Column specialty = col(PFS_PRA_SPE).cast("int");
        Column group = when(specialty.isin(generalPractice.toArray()), lit(GENERAL_PRACTICE))
                .otherwise(concat(lit("specialty-"), lpad(specialty.cast("string"), 2, "0")));
        return daPraR.select(
                        col(PFS_PFS_NUM).as(EventColumns.PRESCRIBER),
                        specialty.as(SPECIALTY),
                        group.as(SPECIALTY_GROUP),
                        concat(lit("0"), substring(col(PFS_COD_POS), 1, 2)).as(EventColumns.DEPT))
                .dropDuplicates(EventColumns.PRESCRIBER);
    }
}
