package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.testing.EventRows.ij;
import static fr.atypie.testing.EventRows.table;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fr.atypie.errors.ConfigError;
import fr.atypie.events.EventTable;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.settings.Section;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The {@code spells} measure: sick leaves initiated, credited to the prescriber of a spell's first notice. */
class SpellCountTest {
    private static final String S = RISK_SICKNESS;

    private static IndicatorSettings settings(String measures) {
        return IndicatorSettings.from(Section.of(ConfigFactory.parseString("""
                atypie.indicators {
                  window-months = 12, age-bands = [0, 16, 65], spell-max-gap-days = 2
                  measures { %s }
                  catalogue {}
                }""".formatted(measures)), "atypie.indicators"));
    }

    private static final IndicatorSettings SPELLS = settings(
            "ij-spells { events = sick-leave-periods, value = spells, filter { risk = sickness } }");

    /** Periods of three patients: openings, extensions by someone else, a duplicate, a bridged gap, another risk. */
    private static Dataset<Row> periods() {
        return table(EventTable.SICK_LEAVE_PERIODS,
                // a: GP1 opens on 1 Apr; GP2 extends from 11 Apr (not a new sick leave); 2-day gap bridged (21-22 Apr),
                // GP1 again from 23 Apr: same spell. 26 May, after a 3-day gap: a second spell, opened by GP2.
                ij("a", "2024-04-01", "2024-04-10", 10, 400, "GP1", S, "034", 44, 1, false),
                ij("a", "2024-04-11", "2024-04-20", 10, 400, "GP2", S, "034", 44, 1, false),
                ij("a", "2024-04-23", "2024-05-22", 30, 1200, "GP1", S, "034", 44, 1, false),
                ij("a", "2024-05-26", "2024-05-31", 6, 240, "GP2", S, "034", 44, 1, false),
                // b: a hospital doctor (H1) opens in March, GP1 extends it into April; the second employer's
                // duplicate of the opening period (0 days) opens nothing.
                ij("b", "2024-03-20", "2024-04-05", 17, 700, "H1", S, "034", 50, 2, false),
                ij("b", "2024-03-20", "2024-04-05", 0, 0, "H1", S, "034", 50, 2, false),
                ij("b", "2024-04-06", "2024-04-30", 25, 1000, "GP1", S, "034", 50, 2, false),
                // c: a work accident opened by GP1 is a spell of another risk, not a sickness leave.
                ij("c", "2024-04-02", "2024-04-09", 8, 300, "GP1", RISK_WORK_ACCIDENT, "034", 30, 1, false));
    }

    @Test
    void aSpellCountsOnceForThePrescriberOfItsFirstNotice() {
        Dataset<Row> marked = SickLeaveSpells.markOpenings(periods(), 2);
        Dataset<Row> months = StratifiedCube.measureMonths(Map.of(EventTable.SICK_LEAVE_PERIODS, marked),
                SPELLS.measures().values(), List.of(PRESCRIBER, PATIENT));
        Map<String, Integer> byKey = new TreeMap<>();
        for (Row r : months.collectAsList()) {
            Object v = r.getAs(StratifiedCube.monthlyColumn("ij-spells"));
            byKey.put(r.getAs(PRESCRIBER) + "|" + r.getAs(PATIENT) + "|" + r.getAs(CARE_MONTH),
                    v == null ? null : ((Number) v).intValue());
        }
        assertEquals(Map.of(
                "GP1|a|2024-04-01", 1,   // a's first spell, and its extension from 23 Apr after a bridged 2-day gap
                "GP2|a|2024-04-01", 0,   // extension by another doctor: not a new sick leave
                "GP2|a|2024-05-01", 1,   // a's second spell, after a 3-day gap
                "H1|b|2024-03-01", 1,    // b's spell; the second employer's duplicate of its first period counts nothing
                "GP1|b|2024-04-01", 0,   // extension of the hospital's spell
                "GP1|c|2024-04-01", 0),  // a work accident: outside the measure's filter
                byKey);
    }

    @Test
    void openingsAreMarkedOnThePatientsWholeHistory() {
        List<Row> rows = SickLeaveSpells.markOpenings(periods(), 2)
                .orderBy(PATIENT, RISK, START_DATE, AMOUNT).collectAsList();
        StringBuilder flags = new StringBuilder();
        for (Row r : rows) {
            flags.append(r.<Boolean>getAs(SickLeaveSpells.OPENS_SPELL) ? '1' : '0');
        }
        // a: open, extend, extend (bridged), open; b: duplicate (ordered first by amount 0) opens, the 700 line
        // does not, extension; c: open (work accident, its own risk).
        assertEquals("1001" + "100" + "1", flags.toString());
        // Spell building uses the same openings: a has 2 spells, b 1, c 1.
        assertEquals(4, SickLeaveSpells.build(periods(), java.time.LocalDate.parse("2024-12-31"), 2).count());
        // With no gap tolerated, a's 23 Apr period opens a third spell.
        assertEquals(5, SickLeaveSpells.build(periods(), java.time.LocalDate.parse("2024-12-31"), 0).count());
    }

    @Test
    void spellBuildingReusesAMarkingOfItsOwnGapOnly() {
        Dataset<Row> marked = SickLeaveSpells.markOpenings(periods(), 2);
        assertTrue(SickLeaveSpells.markedWith(marked, 2));
        assertFalse(SickLeaveSpells.markedWith(marked, 0), "marked with another gap");
        assertFalse(SickLeaveSpells.markedWith(periods(), 2), "not marked");
        // Marked with a 2-day gap, built with none: re-marked, a's 23 Apr period opens its third spell.
        assertEquals(5, SickLeaveSpells.build(marked, java.time.LocalDate.parse("2024-12-31"), 0).count());
        // Built with the gap it was marked with: the marking is trusted, not redone. Shown on a marking
        // altered to open a spell at every period: 8 periods, 8 spells (4 when re-marked).
        Dataset<Row> everyPeriodOpens = marked.withColumn(SickLeaveSpells.OPENS_SPELL, lit(true),
                marked.schema().apply(SickLeaveSpells.OPENS_SPELL).metadata());
        assertTrue(SickLeaveSpells.markedWith(everyPeriodOpens, 2));
        assertEquals(8, SickLeaveSpells.build(everyPeriodOpens, java.time.LocalDate.parse("2024-12-31"), 2).count());
        assertEquals(SickLeaveSpells.build(periods(), java.time.LocalDate.parse("2024-12-31"), 2).orderBy(SickLeaveSpells.SPELL_ID)
                .collectAsList(), SickLeaveSpells.build(marked, java.time.LocalDate.parse("2024-12-31"), 2)
                .orderBy(SickLeaveSpells.SPELL_ID).collectAsList());
    }

    @Test
    void unmarkedPeriodsAndSpellsOnAnotherTableAreRefused() {
        Dataset<Row> unmarked = periods();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StratifiedCube.measureMonths(
                Map.of(EventTable.SICK_LEAVE_PERIODS, unmarked), SPELLS.measures().values(), List.of(PATIENT)));
        assertTrue(e.getMessage().contains("SickLeaveSpells.markOpenings"), e.getMessage());
        assertTrue(SPELLS.countsSpells());
        ConfigError c = assertThrows(ConfigError.class,
                () -> settings("s { events = dispensations, value = spells }"));
        assertTrue(c.getMessage().contains("spells are counted on sick-leave-periods events"), c.getMessage());
    }
}
