package fr.atypie.events;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.testing.EventRows.ij;
import static fr.atypie.testing.EventRows.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SickLeaveSpellsTest {
    private static final String S = RISK_SICKNESS;
    private static final String AT = RISK_WORK_ACCIDENT;

    private static List<Row> spells(int gap, Row... periods) {
        return SickLeaveSpells.build(table(EventTable.SICK_LEAVE_PERIODS, periods),
                        LocalDate.parse("2024-12-31"), gap)
                .orderBy(PATIENT, RISK, START_DATE).collectAsList();
    }

    @Test
    void consecutiveOverlappingAndBridgedPeriodsMakeOneSpell() {
        List<Row> out = spells(2,
                // A: 1-14 Jan, extended 15-31 Jan by another doctor, overlap 30 Jan-10 Feb (multi-employer duplicate
                // with 0 paid days), then a 2-day gap (11-12 Feb) bridged, 13-20 Feb.
                ij("A", "2024-01-01", "2024-01-14", 14, 500, "GP1", S, "034", 40, 1, false),
                ij("A", "2024-01-15", "2024-01-31", 17, 600, "GP2", S, "034", 40, 1, false),
                ij("A", "2024-01-30", "2024-02-10", 0, 0, "GP2", S, "034", 40, 1, false),
                ij("A", "2024-02-13", "2024-02-20", 8, 300, "GP1", S, "034", 40, 1, false),
                // 3-day gap after 20 Feb (21-23) exceeds the tolerance: new spell on 24 Feb.
                ij("A", "2024-02-24", "2024-02-28", 5, 150, "GP3", S, "034", 40, 1, false));
        assertEquals(2, out.size());
        Row first = out.get(0);
        assertEquals(java.sql.Date.valueOf("2024-01-01"), first.getAs(START_DATE));
        assertEquals(java.sql.Date.valueOf("2024-02-20"), first.getAs(END_DATE));
        assertEquals(51, (int) first.getAs(SickLeaveSpells.DURATION)); // 31 + 20 days, gap included
        assertEquals(39.0, first.<Double>getAs(PAID_DAYS));               // 14 + 17 + 0 + 8
        assertEquals(1400.0, first.<Double>getAs(AMOUNT));
        assertEquals(4L, first.<Long>getAs(SickLeaveSpells.PERIODS));
        assertEquals("GP1", first.getAs(SickLeaveSpells.INITIAL_PRESCRIBER));
        assertEquals(List.of("GP1", "GP2"), first.getList(first.fieldIndex(SickLeaveSpells.PRESCRIBERS)));
        assertEquals(false, first.getAs(SickLeaveSpells.CENSORED));
        assertEquals(5, (int) out.get(1).getAs(SickLeaveSpells.DURATION));
    }

    @Test
    void gapZeroSplitsAtAnyUncoveredDay() {
        List<Row> out = spells(0,
                ij("B", "2024-03-01", "2024-03-10", 10, 300, "GP1", S, "031", 30, 2, false),
                ij("B", "2024-03-11", "2024-03-20", 10, 300, "GP1", S, "031", 30, 2, false),
                ij("B", "2024-03-22", "2024-03-25", 4, 120, "GP1", S, "031", 30, 2, false));
        assertEquals(2, out.size());
        assertEquals(20, (int) out.get(0).getAs(SickLeaveSpells.DURATION));
        assertEquals(4, (int) out.get(1).getAs(SickLeaveSpells.DURATION));
    }

    @Test
    void risksAreSeparateSpellsAndRunningSpellsAreCensored() {
        List<Row> out = spells(2,
                ij("C", "2024-11-01", "2024-11-30", 30, 900, "GP1", S, "034", 50, 1, true),
                ij("C", "2024-11-15", "2024-12-30", 46, 1800, "GP1", AT, "034", 50, 1, true),
                ij("D", "2024-06-01", "2024-12-29", 212, 7000, "GP4", S, "034", 58, 2, false));
        assertEquals(3, out.size());
        Row cSick = out.get(0);
        Row cAccident = out.get(1);
        Row d = out.get(2);
        assertEquals(S, cSick.getAs(RISK));
        assertEquals(false, cSick.getAs(SickLeaveSpells.CENSORED));
        assertEquals(AT, cAccident.getAs(RISK));
        assertEquals(true, cAccident.getAs(SickLeaveSpells.CENSORED)); // ends 30 Dec, cut-off 31 Dec, gap 2
        assertEquals(true, d.getAs(SickLeaveSpells.CENSORED));          // ends 29 Dec = cut-off - 2
        assertEquals(212, (int) d.getAs(SickLeaveSpells.DURATION));
        assertEquals(true, cSick.getAs(ALD));
    }
}
