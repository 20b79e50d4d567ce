package fr.atypie.indicators;

import static fr.atypie.testing.EventRows.byEstablishment;
import static fr.atypie.testing.EventRows.dispensation;
import static fr.atypie.testing.EventRows.ij;
import static fr.atypie.testing.EventRows.table;
import static fr.atypie.testing.EventRows.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.events.EventTable;
import fr.atypie.publish.SmallCells;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Establishment profiles on a hand-built month of events, 12-month window 2024-01 to 2024-12. */
class EstablishmentProfilesTest {
    static final String CHU = "340780001";
    static final String AJACCIO = "2A0780001";
    static final String REUNION = "9D0780001";

    static Map<EventTable, Dataset<Row>> events() {
        List<Row> ij = new ArrayList<>();
        // Ten patients of 034 on sick leave prescribed by the CHU: 10 paid days, 300 € each.
        for (int i = 1; i <= 10; i++) {
            ij.add(byEstablishment(ij("P" + i, "2024-06-03", "2024-06-12", 10, 300, null, "sickness", "034", 40, 1, false), CHU));
        }
        // Left out: a work accident, a period before the window, and one a GP prescribed.
        ij.add(byEstablishment(ij("P1", "2024-07-01", "2024-07-05", 5, 150, null, "work_accident", "034", 40, 1, false), CHU));
        ij.add(byEstablishment(ij("P2", "2023-12-01", "2023-12-10", 10, 300, null, "sickness", "034", 40, 1, false), CHU));
        ij.add(ij("P3", "2024-08-01", "2024-08-10", 10, 300, "GP1", "sickness", "034", 40, 1, false));
        List<Row> drugs = new ArrayList<>();
        // Three patients of 034, two boxes at 20 € each; one patient of Corse-du-Sud from Ajaccio; one from La Réunion.
        for (int i = 1; i <= 3; i++) {
            drugs.add(byEstablishment(dispensation("P" + i, "2024-02-10", null, "034", 60, 2, false, "B01AF01", null, 0,
                    2, 20, true), CHU));
        }
        drugs.add(byEstablishment(dispensation("C1", "2024-12-31", null, "02A", 60, 2, false, "B01AF01", null, 0, 1, 12.5,
                true), AJACCIO));
        drugs.add(byEstablishment(dispensation("R1", "2024-03-01", null, "974", 60, 2, false, "B01AF01", null, 0, 1, 8,
                true), REUNION));
        List<Row> transports = List.of(
                byEstablishment(transport("G1", "2024-05-05", null, "030", 80, 1, true, 50), CHU),
                byEstablishment(transport("G1", "2024-05-20", null, "030", 80, 1, true, 45.5), CHU),
                transport("G2", "2024-05-20", "GP1", "030", 80, 1, true, 60));
        Map<EventTable, Dataset<Row>> events = new EnumMap<>(EventTable.class);
        events.put(EventTable.SICK_LEAVE_PERIODS, table(EventTable.SICK_LEAVE_PERIODS, ij.toArray(Row[]::new)));
        events.put(EventTable.DISPENSATIONS, table(EventTable.DISPENSATIONS, drugs.toArray(Row[]::new)));
        events.put(EventTable.TRANSPORTS, table(EventTable.TRANSPORTS, transports.toArray(Row[]::new)));
        return events;
    }

    static List<String> rows(Dataset<Row> profiles) {
        return profiles.collectAsList().stream().map(Row::toString).toList();
    }

    @Test
    void volumesAmountsAndPatientsPerEstablishmentDepartmentAndTheme() {
        Dataset<Row> profiles = EstablishmentProfiles.compute(events(), YearMonth.of(2024, 12), 12);
        assertEquals(List.of("establishment", "establishment_dept", "dept", "theme", "volume", "amount", "patients"),
                List.of(profiles.columns()));
        assertEquals(List.of(
                "[2A0780001,02A,02A,medicaments,1.0,12.5,1]",
                "[340780001,034,030,transports,2.0,95.5,1]",
                "[340780001,034,034,arrets,100.0,3000.0,10]",
                "[340780001,034,034,medicaments,6.0,60.0,3]",
                "[9D0780001,974,974,medicaments,1.0,8.0,1]"), rows(profiles));
    }

    @Test
    void rowsOnFewerThanTenPatientsAreHiddenByThePublishedRule() {
        Dataset<Row> hidden = new SmallCells(10).hide(EstablishmentProfiles.compute(events(), YearMonth.of(2024, 12), 12),
                List.of("patients"), List.of("volume", "amount"));
        assertEquals(List.of(
                "[2A0780001,02A,02A,medicaments,null,null,null,true]",
                "[340780001,034,030,transports,null,null,null,true]",
                "[340780001,034,034,arrets,100.0,3000.0,10,false]",
                "[340780001,034,034,medicaments,null,null,null,true]",
                "[9D0780001,974,974,medicaments,null,null,null,true]"), rows(hidden));
    }
}
