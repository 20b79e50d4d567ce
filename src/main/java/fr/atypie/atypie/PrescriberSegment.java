package fr.atypie.atypie;

import java.time.YearMonth;
import java.util.List;

/**
 * A prescriber's segment for one refresh month, the reason in plain words, and the metrics that
 * drive it (largest excess amount first).
 */
public record PrescriberSegment(String prescriber, YearMonth window, String dept, int specialty, String specialtyGroup,
                                String peerGroup, long basePatients, Segment segment, String reason,
                                double excessAmount, List<MetricAssessment> drivers) {
}
