package fr.atypie.testing;

import fr.atypie.events.EventTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Small builders of hand-written event rows, in the exact {@link EventTable} schemas. */
public final class EventRows {
    private EventRows() {}

    public static Date d(String isoDate) {
        return Date.valueOf(isoDate);
    }

    public static Date month(String isoDate) {
        return Date.valueOf(LocalDate.parse(isoDate).withDayOfMonth(1));
    }

    /** A sick-leave period; care date = start, flux month = care month. */
    public static Row ij(String patient, String start, String end, double paidDays, double amount,
                         String prescriber, String risk, String dept, int age, int sex, boolean ald) {
        return RowFactory.create(patient, d(start), month(start), month(start), dept, age, sex, ald,
                prescriber, 1, d(start), d(end), paidDays, risk, amount, null);
    }

    public static Row consultation(String patient, String date, String doctor, int specialty,
                                   String dept, int age, int sex, boolean ald) {
        return RowFactory.create(patient, d(date), month(date), month(date), dept, age, sex, ald,
                doctor, specialty, 25.0);
    }

    public static Row dispensation(String patient, String date, String prescriber, String dept, int age,
                                   int sex, boolean ald, String atc, String genericGroup, int genericType,
                                   int boxes, double amount, boolean hospital) {
        return RowFactory.create(patient, d(date), month(date), month(date), dept, age, sex, ald,
                prescriber, 1, 3400900000000L + atc.hashCode() % 1000, atc, genericGroup, genericType,
                boxes, amount, hospital, null);
    }

    public static Row transport(String patient, String date, String prescriber, String dept, int age,
                                int sex, boolean ald, double amount) {
        return RowFactory.create(patient, d(date), month(date), month(date), dept, age, sex, ald,
                prescriber, 1, amount, null);
    }

    /** The same sick-leave period, dispensation or transport, prescribed by an establishment (its FINESS, last column). */
    public static Row byEstablishment(Row event, String finess) {
        Object[] values = new Object[event.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = event.get(i);
        }
        values[values.length - 1] = finess;
        return RowFactory.create(values);
    }

    public static Dataset<Row> table(EventTable table, Row... rows) {
        return SharedSpark.get().createDataFrame(List.of(rows), table.schema());
    }
}
