package fr.atypie.atypie;

import fr.atypie.atypie.MetricAssessment.Level;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The positive-feedback list ("Retour positif"): the prescribers who improved after a contact, then
 * those always in the norm. A prescriber contacted (DAM visit or EC made, not merely proposed) on a
 * theme in the {@code months} before the refresh month, whose metrics of that theme are all judged
 * and within the norm this month (neutral or conforming: inside the funnel limits, no gain
 * potential), and who is called to no action on any theme (segment in the norm or conforming), gets
 * an entry whose reason names the contact and the measure back in the norm. Conforming prescribers
 * not contacted keep their usual entry.
 */
public final class PositiveFeedback {
    private PositiveFeedback() {}

    /** A contact that happened (DAM visit or EC), as the contact store records it. */
    public record Contacted(String prescriber, String theme, Kind kind, YearMonth month) {}

    /** The contacts after which an improvement earns positive feedback. */
    public enum Kind {
        DAM("la visite DAM"),
        EC("l'échange confraternel");

        private final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /**
     * One positive-feedback entry: the segment shown with its reason, the drivers the list shows
     * (the theme's metrics back in the norm, or the conforming metrics), and the contact it follows.
     */
    public record Entry(PrescriberSegment segment, Optional<Contacted> after) {
        public boolean improvedAfterContact() {
            return after.isPresent();
        }
    }

    /**
     * @param segments   the month's segments
     * @param assessed   the month's metric assessments (window = the refresh month)
     * @param contacts   DAM visits and EC that happened (any month; those after the refresh month are ignored)
     * @param month      the refresh month
     * @param months     how far back a contact counts (atypie.targeting.exclusion-months)
     * @return the entries, improved after a contact first (by department, then prescriber), then the conforming
     *         prescribers not already listed, in the segments' order
     */
    public static List<Entry> entries(List<PrescriberSegment> segments, List<MetricAssessment> assessed,
                                      List<Contacted> contacts, YearMonth month, int months) {
        Map<String, List<MetricAssessment>> metrics = new LinkedHashMap<>();
        assessed.stream().filter(a -> a.window().equals(month))
                .forEach(a -> metrics.computeIfAbsent(a.prescriber(), k -> new ArrayList<>()).add(a));
        YearMonth first = month.minusMonths(months);
        Map<String, List<Contacted>> byPrescriber = new LinkedHashMap<>();
        contacts.stream().filter(c -> c.month().isBefore(month) && !c.month().isBefore(first))
                .sorted(Comparator.comparing(Contacted::month).reversed().thenComparing(Contacted::theme)
                        .thenComparing(c -> c.kind().ordinal(), Comparator.reverseOrder()))
                .forEach(c -> byPrescriber.computeIfAbsent(c.prescriber(), k -> new ArrayList<>()).add(c));
        List<Entry> improved = new ArrayList<>();
        List<Entry> conforming = new ArrayList<>();
        for (PrescriberSegment s : segments) {
            Optional<Entry> e = s.segment() == Segment.IN_NORM || s.segment() == Segment.CONFORMING
                    ? improved(s, metrics.getOrDefault(s.prescriber(), List.of()), byPrescriber.getOrDefault(s.prescriber(), List.of()))
                    : Optional.empty();
            if (e.isPresent()) {
                improved.add(e.get());
            } else if (s.segment() == Segment.CONFORMING) {
                conforming.add(new Entry(s, Optional.empty()));
            }
        }
        improved.sort(Comparator.comparing((Entry e) -> e.segment().dept()).thenComparing(e -> e.segment().prescriber()));
        List<Entry> out = new ArrayList<>(improved);
        out.addAll(conforming);
        return out;
    }

    /** The latest contact whose theme is back in the norm (the latest, then the higher action, then the theme). */
    private static Optional<Entry> improved(PrescriberSegment s, List<MetricAssessment> metrics, List<Contacted> contacts) {
        for (Contacted c : contacts) {
            List<MetricAssessment> theme = metrics.stream().filter(a -> a.metric().theme().equals(c.theme()) && a.level().judged())
                    .sorted(Comparator.comparing(a -> a.metric().id())).toList();
            if (!theme.isEmpty() && theme.stream().allMatch(a -> a.level() == Level.NEUTRAL || a.level() == Level.CONFORMING)) {
                MetricAssessment top = theme.get(0);
                String reason = String.format(Locale.FRANCE, "Revenu dans la norme sur le thème %s après %s de %s : %s.",
                        top.metric().themeLabel(), c.kind().words, c.month(), theme.stream()
                                .map(a -> String.format(Locale.FRANCE, "%s x%.2f (lissé x%.2f)", a.metric().label(),
                                        a.ratio(), a.shrunkRatio()))
                                .collect(Collectors.joining(", ")) + ", dans les limites des pairs");
                return Optional.of(new Entry(new PrescriberSegment(s.prescriber(), s.window(), s.dept(), s.specialty(),
                        s.specialtyGroup(), s.peerGroup(), s.basePatients(), s.segment(), reason, 0, theme), Optional.of(c)));
            }
        }
        return Optional.empty();
    }
}
