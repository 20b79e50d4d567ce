package fr.atypie.atypie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.atypie.atypie.MetricAssessment.Level;
import fr.atypie.atypie.PositiveFeedback.Contacted;
import fr.atypie.atypie.PositiveFeedback.Kind;
import fr.atypie.indicators.IndicatorDefinition.StrataFilter;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PositiveFeedbackTest {
    static final YearMonth DEC = YearMonth.of(2024, 12);
    static final Metric SHARE = metric("sick-leave", "Arrêts de travail", "share", "Part des patients en arrêt");
    static final Metric DAYS = metric("sick-leave", "Arrêts de travail", "days", "Jours par patient");
    static final Metric ABX = metric("antibiotics", "Antibiotiques", "abx", "Prescriptions d'antibiotiques");

    static Metric metric(String theme, String themeLabel, String name, String label) {
        return new Metric(theme, themeLabel, name, label, Metric.Kind.WEIGHT, name, Optional.empty(), StrataFilter.ALL,
                name + "-amount", true, true);
    }

    static MetricAssessment a(String p, String dept, Metric m, double ratio, double shrunk, Level level) {
        return new MetricAssessment(p, DEC, dept, 1, "general-practice", "general-practice|0", 500, m, 0, 0, 100, 0, 12,
                ratio, 0, 0, 0, 0, 1, shrunk, 50, 0, 0, level);
    }

    static PrescriberSegment seg(String p, String dept, Segment s) {
        return new PrescriberSegment(p, DEC, dept, 1, "general-practice", "general-practice|0", 500, s, "motif " + p, 0,
                List.of());
    }

    @Test
    void aPrescriberBackInTheNormAfterAContactGetsPositiveFeedbackWithItsReason() {
        List<MetricAssessment> assessed = new ArrayList<>(List.of(
                // A: both sick-leave metrics within the norm after a DAM visit in June.
                a("A", "034", SHARE, 1.05, 1.02, Level.NEUTRAL), a("A", "034", DAYS, 0.9, 0.95, Level.CONFORMING),
                // B: within the norm, but its EC is of the refresh month: nothing measured after it yet.
                a("B", "034", SHARE, 1.0, 1.0, Level.NEUTRAL),
                // C: conforming, never contacted: the usual entry.
                a("C", "034", SHARE, 0.7, 0.8, Level.CONFORMING),
                // D: conforming after an EC on antibiotics in March.
                a("D", "011", ABX, 0.8, 0.85, Level.CONFORMING), a("D", "011", SHARE, 0.9, 0.9, Level.CONFORMING),
                // E: sick leave back in the norm after a DAM visit, but atypical on antibiotics: an action, no praise.
                a("E", "034", SHARE, 1.0, 1.0, Level.NEUTRAL), a("E", "034", ABX, 1.8, 1.6, Level.ATYPICAL),
                // F: within the norm, its DAM visit 13 months ago (before the 12 months counted).
                a("F", "034", SHARE, 1.0, 1.0, Level.NEUTRAL),
                // G: contacted, but its sick-leave metric is not judged (too small): nothing to say.
                a("G", "034", SHARE, 1.0, 1.0, Level.NOT_JUDGED), a("G", "034", ABX, 1.0, 1.0, Level.NEUTRAL),
                // H: a DAM visit refused is not recorded as a contact made (the caller passes DONE ones only).
                a("H", "034", SHARE, 1.0, 1.0, Level.NEUTRAL)));
        // An assessment of another window is not read.
        assessed.add(new MetricAssessment("A", DEC.minusMonths(6), "034", 1, "general-practice", "general-practice|0", 500,
                SHARE, 0, 0, 100, 0, 12, 2.0, 0, 0, 0, 0, 1, 1.8, 50, 0, 0, Level.STRONG));
        List<PrescriberSegment> segments = List.of(seg("A", "034", Segment.IN_NORM), seg("B", "034", Segment.IN_NORM),
                seg("C", "034", Segment.CONFORMING), seg("D", "011", Segment.CONFORMING), seg("E", "034", Segment.ATYPICAL),
                seg("F", "034", Segment.IN_NORM), seg("G", "034", Segment.IN_NORM), seg("H", "034", Segment.IN_NORM));
        List<Contacted> contacts = List.of(
                new Contacted("A", "sick-leave", Kind.DAM, YearMonth.of(2024, 6)),
                new Contacted("B", "sick-leave", Kind.EC, DEC),
                new Contacted("D", "antibiotics", Kind.EC, YearMonth.of(2024, 3)),
                new Contacted("E", "sick-leave", Kind.DAM, YearMonth.of(2024, 6)),
                new Contacted("F", "sick-leave", Kind.DAM, YearMonth.of(2023, 11)),
                new Contacted("G", "sick-leave", Kind.DAM, YearMonth.of(2024, 6)));

        List<PositiveFeedback.Entry> entries = PositiveFeedback.entries(segments, assessed, contacts, DEC, 12);

        List<String> shown = entries.stream().map(e -> e.segment().prescriber() + " " + e.segment().segment() + " "
                + e.after().map(c -> c.kind() + " " + c.month()).orElse("-") + " | " + e.segment().reason()).toList();
        assertEquals(List.of(
                // Department 011 before 034.
                "D CONFORMING EC 2024-03 | Revenu dans la norme sur le thème Antibiotiques après l'échange confraternel de "
                        + "2024-03 : Prescriptions d'antibiotiques x0,80 (lissé x0,85), dans les limites des pairs.",
                // Metrics by id: sick-leave/days before sick-leave/share.
                "A IN_NORM DAM 2024-06 | Revenu dans la norme sur le thème Arrêts de travail après la visite DAM de "
                        + "2024-06 : Jours par patient x0,90 (lissé x0,95), Part des patients en arrêt x1,05 (lissé x1,02), "
                        + "dans les limites des pairs.",
                "C CONFORMING - | motif C"), shown);
        // The list shows the theme's metrics as drivers, with no excess.
        assertEquals(List.of("sick-leave/days", "sick-leave/share"),
                entries.get(1).segment().drivers().stream().map(m -> m.metric().id()).toList());
        assertEquals(0.0, entries.get(1).segment().excessAmount());
        assertEquals(2, entries.stream().filter(PositiveFeedback.Entry::improvedAfterContact).count());

        // With 18 months counted, F's visit of 2023-11 counts too.
        assertEquals(List.of("D", "A", "F", "C"), PositiveFeedback.entries(segments, assessed, contacts, DEC, 18).stream()
                .map(e -> e.segment().prescriber()).toList());
    }
}
