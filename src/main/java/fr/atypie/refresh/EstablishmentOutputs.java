package fr.atypie.refresh;

import fr.atypie.events.EventColumns;
import fr.atypie.events.EventTable;
import fr.atypie.indicators.EstablishmentProfiles;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.MonthlyRelease.Secrecy;
import java.io.IOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Establishment profiles ({@code restricted/establishment_profiles}): what the practitioners of
 * each establishment (FINESS, {@code ETB_PRE_FIN}) prescribe that is executed in town, by
 * department of the patients and theme, on the refresh month's 12-month window
 * ({@link EstablishmentProfiles}). Restricted like the prescriber tables: it targets named
 * establishments. No patient identifier; rows on fewer than 10 patients hidden.
 */
final class EstablishmentOutputs {
    static final String TABLE = "establishment_profiles";
    static final Columns PROFILES = new Columns()
            .text("establishment", "Établissement prescripteur (FINESS)")
            .text("establishment_dept", "Département de l'établissement")
            .text("dept", "Département des patients").text("month", "Dernier mois de la fenêtre")
            .text("theme", "Thème").text("theme_label", "Libellé du thème").text("unit", "Unité du volume")
            .number("volume", "Volume prescrit (12 mois)").number("amount", "Montant remboursé (EUR, 12 mois)")
            .count("patients", "Patients");
    static final List<String> MEASURES = List.of("volume", "amount");

    private EstablishmentOutputs() {}

    /** Publishes the month's profiles; returns their rows. */
    static long publish(SparkSession spark, MonthlyRelease release, Map<EventTable, Dataset<Row>> events, YearMonth month,
                        int windowMonths) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        for (Row r : EstablishmentProfiles.compute(events, month, windowMonths).collectAsList()) {
            EstablishmentProfiles.Theme theme = EstablishmentProfiles.Theme.of(r.getAs(EstablishmentProfiles.THEME));
            rows.add(new Object[] {r.getAs(EventColumns.ESTABLISHMENT), r.getAs(EstablishmentProfiles.ESTABLISHMENT_DEPT),
                r.getAs(EventColumns.DEPT), month.toString(), theme.code(), theme.label(), theme.unit(),
                r.getAs(EstablishmentProfiles.VOLUME), r.getAs(EstablishmentProfiles.AMOUNT_REIMBURSED),
                r.getAs(EstablishmentProfiles.PATIENTS)});
        }
        ProcedureOutputs.table(release, Publisher.RESTRICTED + "/" + TABLE, PROFILES.dataset(spark, rows), PROFILES,
                new Secrecy(List.of("patients"), MEASURES), List.of("establishment", "dept", "theme"));
        return rows.size();
    }
}
