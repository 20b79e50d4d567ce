package fr.atypie.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.atypie.TargetingSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Measured effects fed back to targeting, from hand-written published evaluations. */
class MeasuredEffectsTest {
    static PublishedEvaluation.Effect days(String window, double treatedBefore, double controlBefore, double controlAfter,
                                           double did, int treated, boolean secret) {
        return new PublishedEvaluation.Effect("ij_days_per_patient", window, treatedBefore, controlBefore, controlAfter, did,
                Double.NaN, Double.NaN, treated, treated, 0, 0, 0, 0, 0, 0, "ok", secret);
    }

    static PublishedEvaluation evaluation(String id, Map<String, Integer> contacts, PublishedEvaluation.Effect... effects) {
        return new PublishedEvaluation(id, List.of(effects), List.of(), contacts, Optional.empty());
    }

    @Test
    void effectsOfSingleActionCampaignsArePooledByTreatedPrescribers() {
        List<PublishedEvaluation> evaluations = List.of(
                // EC, 10 treated: 2.0 → counterfactual 2.0 + (1.9 − 2.0) = 1.9, Δ −0.095: −5 %.
                evaluation("ec-2023", Map.of("EC", 10), days("1-12", 2.0, 2.0, 1.9, -0.095, 10, false),
                        days("1-3", 2.0, 2.0, 1.9, -0.5, 10, false)),
                // EC, 30 treated: counterfactual 1.0, Δ −0.01: −1 %.
                evaluation("ec-2024", Map.of("EC", 30), days("1-12", 1.0, 1.0, 1.0, -0.01, 30, false)),
                // An EC campaign whose estimate rose: floored at 0 effect, still weighs its 20 prescribers.
                evaluation("ec-2025", Map.of("EC", 20), days("1-12", 1.0, 1.0, 1.0, 0.02, 20, false)),
                // Mixed actions: says nothing of one action.
                evaluation("mixed", Map.of("EC", 5, "DAM", 5), days("1-12", 1.0, 1.0, 1.0, -0.5, 10, false)),
                // Procedures only (observation then MSAP): the MSO-MSAP action; a secret row is not used.
                evaluation("msap", Map.of("OBSERVATION", 4, "MSAP", 4), days("1-12", 1.0, 1.0, 1.0, -0.2, 4, true)));
        Map<TargetingSettings.Action, MeasuredEffects.Measured> m = MeasuredEffects.from(evaluations, "1-12");
        assertEquals(List.of(TargetingSettings.Action.EC), List.copyOf(m.keySet()));
        // (0.05 × 10 + 0.01 × 30 + 0 × 20) / 60
        assertEquals(0.8 / 60, m.get(TargetingSettings.Action.EC).effect(), 1e-12);
        assertTrue(m.get(TargetingSettings.Action.EC).source().contains("ec-2023 (10 prescripteurs, -5,0 %)"),
                m.get(TargetingSettings.Action.EC).source());
    }
}
