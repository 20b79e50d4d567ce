package fr.atypie.procedure;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.events.SickLeaveSpells;
import java.sql.Date;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Insured on sick leave beyond 60 and 90 days (the prevention-of-desinsertion offers): sickness
 * spells whose day {@code d} (start + d − 1, as paid so far) falls in the refresh month, one row
 * per spell and threshold. This list names patients by their pseudonym: it is for the medical
 * service only and is written to the restricted working area, never to the publication, which
 * gets the counts per department ({@link #counts}).
 */
public final class LongSickLeave {
    public static final String DAY = "day";
    public static final String DAY_DATE = "day_date";
    public static final String INSURED = "insured";

    private LongSickLeave() {}

    /** Columns: dept, patient_id, spell start, day, day_date, duration so far, still running, initial prescriber. */
    public static Dataset<Row> list(Dataset<Row> spells, YearMonth month, List<Integer> days) {
        return list(spells, month.atDay(1), month.atEndOfMonth(), days);
    }

    /** As above, the spells whose day {@code d} falls between {@code firstDay} and {@code lastDay} (a week). */
    public static Dataset<Row> list(Dataset<Row> spells, java.time.LocalDate firstDay, java.time.LocalDate lastDay,
                                    List<Integer> days) {
        Date first = Date.valueOf(firstDay);
        Date last = Date.valueOf(lastDay);
        Dataset<Row> sickness = spells.where(col(RISK).equalTo(RISK_SICKNESS));
        Dataset<Row> out = null;
        for (int d : days) {
            Column dayDate = date_add(col(START_DATE), d - 1);
            Dataset<Row> reached = sickness.where(col(END_DATE).geq(dayDate).and(dayDate.between(first, last)))
                    .select(col(DEPT), col(PATIENT), col(START_DATE), lit(d).as(DAY), dayDate.as(DAY_DATE),
                            col(SickLeaveSpells.DURATION), col(SickLeaveSpells.CENSORED),
                            col(SickLeaveSpells.INITIAL_PRESCRIBER));
            out = out == null ? reached : out.unionByName(reached);
        }
        return out.orderBy(DEPT, DAY, DAY_DATE, PATIENT);
    }

    /** Insured reaching each day in the month, per department (a count of patients: small cells hidden later). */
    public static Dataset<Row> counts(Dataset<Row> list) {
        return list.groupBy(DEPT, DAY).agg(countDistinct(PATIENT).as(INSURED)).orderBy(DEPT, DAY);
    }
}
