package fr.atypie.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.InputError;
import fr.atypie.campaigns.CampaignContact.Action;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Matching, balance, DiD and cost on a hand-built panel (no Spark): every figure computed by hand. */
class CampaignEvaluationTest {
    static final YearMonth M0 = YearMonth.of(2024, 1);
    static final CampaignEvaluation.BootstrapSettings BOOT = new CampaignEvaluation.BootstrapSettings(200, 7, 0.95);

    static CampaignSettings settings(double caliper) {
        return settings(caliper, 12);
    }

    /** Pre-period 2 months, one after window "1-1", anticipation 1 month, rebound 3 months. */
    static CampaignSettings settings(double caliper, int placeboShift) {
        Map<Action, Double> days = new EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            days.put(a, a == Action.EC ? 0.5 : 2.0);
        }
        return new CampaignSettings(16, 64, 12, 2, List.of(new CampaignSettings.Window("1-1", 1, 1)), 1, 3, false, 1,
                caliper, 1, 99, days, placeboShift, 1);
    }

    /** Base 100 each month; IJ patients in 2023-11, 2023-12 and 2024-02; 10 paid days and 400 € per IJ patient. */
    static PrescriberPanel.Series series(String id, String dept, int before, int after, double otherAfter) {
        Map<YearMonth, PrescriberPanel.Month> m = new TreeMap<>();
        m.put(M0.minusMonths(2), month(before, 0));
        m.put(M0.minusMonths(1), month(before, 0));
        m.put(M0.plusMonths(1), month(after, otherAfter));
        return new PrescriberPanel.Series(id, "general-practice", dept, 50, m);
    }

    static PrescriberPanel.Month month(int ijPatients, double other) {
        return new PrescriberPanel.Month(100, ijPatients, 10.0 * ijPatients, 400.0 * ijPatients, other, other > 0 ? 1 : 0);
    }

    static CampaignContact contact(String campaign, String prescriber) {
        return new CampaignContact(campaign, prescriber, Action.EC, "sick-leave", M0, Optional.empty(), "");
    }

    static Map<String, PrescriberPanel.Series> panel() {
        Map<String, PrescriberPanel.Series> p = new TreeMap<>();
        for (PrescriberPanel.Series s : List.of(
                series("T1", "034", 10, 6, 5), series("T2", "034", 12, 8, 0), series("T3", "034", 30, 30, 0),
                series("C1", "034", 10, 9, 0), series("C2", "034", 20, 20, 0), series("C3", "011", 10, 10, 0),
                series("C4", "034", 12, 12, 0),
                // Contacted by another campaign: a perfect match for T1 by level and first by id, never a control.
                series("A0", "034", 10, 10, 0))) {
            p.put(s.prescriber(), s);
        }
        return p;
    }

    static CampaignHistory history() {
        return new CampaignHistory(List.of(contact("c1", "T1"), contact("c1", "T2"), contact("c1", "T3"),
                contact("other", "A0")));
    }

    @Test
    void matchesWithinStratumAndCaliperThenComputesTheDifferenceInDifferences() {
        CampaignEvaluation.Result r = CampaignEvaluation.evaluate("c1", history(), panel(), YearMonth.of(2024, 6),
                settings(0.5), BOOT);
        // Levels (%): T 10, 12, 30; pool C1 10, C2 20, C3 10 (other dept), C4 12; sd of all 7 = 7.559.
        // T3's nearest control C2 is 10 / 7.559 = 1.32 SD away: beyond the caliper, T3 is left out.
        assertEquals(List.of(new Matching.Pair("T1", "C1", 0.0), new Matching.Pair("T2", "C4", 0.0)), r.pairs());
        assertEquals(3, r.contacted());
        assertEquals(4, r.candidates());
        assertTrue(r.notes().get(0).startsWith("1 of 3 treated"), r.notes().toString());

        CampaignEvaluation.Effect share = effect(r, CampaignMeasure.IJ_PATIENT_SHARE);
        assertEquals(11.0, share.treatedBefore(), 1e-12);
        assertEquals(7.0, share.treatedAfter(), 1e-12);
        assertEquals(11.0, share.controlBefore(), 1e-12);
        assertEquals(10.5, share.controlAfter(), 1e-12);
        // Δ = (7 − 11) − (10.5 − 11) = −3.5 points of monthly share.
        assertEquals(-3.5, share.did(), 1e-12);
        assertEquals(2, share.treated());
        assertEquals(2, share.controls());
        assertTrue(share.ciLow() <= -3.5 && share.ciHigh() >= -3.5);
        // Every resample: treated change ∈ {−4}, control change ∈ {−1, 0, −0.5}: Δ within [−4, −3].
        assertTrue(share.ciLow() >= -4 - 1e-12 && share.ciHigh() <= -3 + 1e-12, share.toString());

        // 10 days per IJ patient everywhere: no change in duration.
        assertEquals(0.0, effect(r, CampaignMeasure.IJ_DAYS_PER_IJ_PATIENT).did(), 1e-12);
        // Own days per base patient-month = share / 10.
        assertEquals(-0.35, effect(r, CampaignMeasure.IJ_DAYS_PER_PATIENT).did(), 1e-12);
        // Circumvention: T1's 50-patient cohort got 5 days from others after M0: (0.1 + 0) / 2 − 0.
        assertEquals(0.05, effect(r, CampaignMeasure.OTHER_IJ_DAYS_PER_PATIENT).did(), 1e-12);

        CampaignEvaluation.Balance level = r.balance().get(0);
        assertEquals(CampaignEvaluation.LEVEL, level.covariate());
        // Before matching: T {10, 12, 30} vs pool {10, 20, 10, 12}: (52/3 − 13) / √((121.33 + 22.67) / 2).
        assertEquals((52.0 / 3 - 13) / Math.sqrt(72), level.smdBeforeMatching(), 1e-12);
        assertEquals(0.0, level.smdAfterMatching(), 1e-12);
        assertTrue(level.balanced());

        // Cost: 2 matched EC contacts at 0.5 day; avoided 0.35 × 200 base patient-months = 70 days,
        // less 0.05 × 100 cohort patient-months = 5 circumvented; 40 € per IJ day.
        CampaignEvaluation.Savings s = r.savings().get(0);
        assertEquals("1-1", s.window());
        assertEquals(2, s.contacts());
        assertEquals(1.0, s.staffDays(), 1e-12);
        assertEquals(70.0, s.avoidedDays(), 1e-9);
        assertEquals(5.0, s.circumventedDays(), 1e-9);
        assertEquals(65.0, s.netAvoidedDays(), 1e-9);
        assertEquals(40.0, s.eurosPerDay(), 1e-12);
        assertEquals(2600.0, s.netAvoidedEuros(), 1e-6);
        assertEquals(32.5, s.netDaysPerContact(), 1e-9);
        assertEquals(List.of(new CampaignEvaluation.ContactCost(Action.EC, 3, 0.5, 1.5)), r.contacts());
    }

    @Test
    void sameInputGivesTheSameResult() {
        assertEquals(CampaignEvaluation.evaluate("c1", history(), panel(), YearMonth.of(2024, 6), settings(0.5), BOOT),
                CampaignEvaluation.evaluate("c1", history(), new TreeMap<>(panel()).descendingMap(), YearMonth.of(2024, 6),
                        settings(0.5), BOOT));
    }

    @Test
    void windowsPastTheDataAreLeftOutAndNoted() {
        CampaignEvaluation.Result r = CampaignEvaluation.evaluate("c1", history(), panel(), YearMonth.of(2024, 1),
                settings(0.5), BOOT);
        assertTrue(r.effects().isEmpty());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("window 1-1 (to 2024-02) goes past the data")), r.notes().toString());
    }

    @Test
    void unknownCampaignAndNoControlWithinCaliperAreInputErrors() {
        InputError unknown = assertThrows(InputError.class, () -> CampaignEvaluation.evaluate("nope", history(), panel(),
                YearMonth.of(2024, 6), settings(0.5), BOOT));
        assertEquals("campaign 'nope' is not in the history (campaigns there: [c1, other])", unknown.getMessage());
        CampaignHistory onlyT3 = new CampaignHistory(List.of(contact("c1", "T3")));
        InputError none = assertThrows(InputError.class, () -> CampaignEvaluation.evaluate("c1", onlyT3, panel(),
                YearMonth.of(2024, 6), settings(0.1), BOOT));
        assertTrue(none.getMessage().contains("no control within the caliper"), none.getMessage());
    }

    @Test
    void nearestNeighbourUsesLevelAndTrendStandardisedAndBreaksTiesById() {
        Matching.Unit t = new Matching.Unit("t", "s", 10, 1);
        List<Matching.Unit> pool = List.of(
                new Matching.Unit("b", "s", 10, 3),   // distance √(0 + (2/2)²) = 1
                new Matching.Unit("a", "s", 12, 1),   // distance √((2/2)² + 0) = 1: tie with b, lower id first
                new Matching.Unit("c", "s", 11, 1.5), // √(0.25 + 0.0625) = 0.559
                new Matching.Unit("d", "x", 10, 1));  // other stratum
        assertEquals(List.of(new Matching.Pair("t", "c", Math.sqrt(0.3125)), new Matching.Pair("t", "a", 1.0)),
                Matching.nearest(List.of(t), pool, 2, 2, 2, 1.0));
        assertEquals(List.of(new Matching.Pair("t", "c", Math.sqrt(0.3125))), Matching.nearest(List.of(t), pool, 2, 2, 5, 0.9));
        assertEquals(2.0, Matching.slope(new double[] {1, 3, 5, 7}), 1e-12);
        assertEquals(2.0, Matching.slope(new double[] {1, Double.NaN, 5}), 1e-12);
    }

    @Test
    void anticipationAndReboundWindowsComeWithProcedures() {
        CampaignContact msap = new CampaignContact("p", "T1", Action.MSAP, "sick-leave", M0, Optional.of(M0.plusMonths(5)), "");
        List<CampaignEvaluation.Period> periods = CampaignEvaluation.periods(List.of(msap), M0, settings(0.5),
                YearMonth.of(2030, 1), new java.util.ArrayList<>());
        assertEquals(List.of(new CampaignEvaluation.Period("1-1", -2, -1, 1, 1),
                new CampaignEvaluation.Period("anticipation", -2, -2, -1, -1),
                new CampaignEvaluation.Period("rebound", -2, -1, 1, 3, Map.of("T1", M0.plusMonths(5)))), periods);
    }

    static CampaignEvaluation.Effect effect(CampaignEvaluation.Result r, CampaignMeasure m) {
        return r.effects().stream().filter(e -> e.measure() == m && e.window().equals("1-1")).findFirst().orElseThrow();
    }

    /** A series with base 100 every month and the given IJ patients by month (share = that many %), 10 days each. */
    static PrescriberPanel.Series shares(String id, Map<YearMonth, Integer> ijPatients) {
        Map<YearMonth, PrescriberPanel.Month> m = new TreeMap<>();
        ijPatients.forEach((month, n) -> m.put(month, new PrescriberPanel.Month(100, n, 10.0 * n, 400.0 * n, 0, 0)));
        return new PrescriberPanel.Series(id, "general-practice", "034", 50, m);
    }

    static Map<YearMonth, Integer> months(YearMonth first, int... values) {
        Map<YearMonth, Integer> m = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(first.plusMonths(i), values[i]);
        }
        return m;
    }

    /**
     * T1's MSAP ends in 2024-02, T2's in 2024-04: T1's rebound is 2024-03..05, T2's 2024-05..07,
     * and each control takes its treated prescriber's months. IJ patient share (%) from 2023-11:
     * T1 10 10 | 5 5 | 12 14 16 | 10 10     C1 10 10 | 10 10 | 11 11 11 | 10 10
     * T2 20 20 | 10 10 | 10 10 | 26 28 30   C2 20 20 | 20 20 | 20 20 | 22 22 22
     */
    static Map<String, PrescriberPanel.Series> reboundPanel() {
        YearMonth from = M0.minusMonths(2);
        Map<String, PrescriberPanel.Series> p = new TreeMap<>();
        p.put("T1", shares("T1", months(from, 10, 10, 5, 5, 12, 14, 16, 10, 10)));
        p.put("T2", shares("T2", months(from, 20, 20, 10, 10, 10, 10, 26, 28, 30)));
        p.put("C1", shares("C1", months(from, 10, 10, 10, 10, 11, 11, 11, 10, 10)));
        p.put("C2", shares("C2", months(from, 20, 20, 20, 20, 20, 20, 22, 22, 22)));
        return p;
    }

    static CampaignHistory msaps() {
        return new CampaignHistory(List.of(
                new CampaignContact("p", "T1", Action.MSAP, "sick-leave", M0, Optional.of(M0.plusMonths(1)), ""),
                new CampaignContact("p", "T2", Action.MSAP, "sick-leave", M0, Optional.of(M0.plusMonths(3)), "")));
    }

    static CampaignEvaluation.Effect effect(CampaignEvaluation.Result r, CampaignMeasure m, String window) {
        return r.effects().stream().filter(e -> e.measure() == m && e.window().equals(window)).findFirst().orElseThrow();
    }

    @Test
    void reboundStartsAfterEachPrescribersOwnProcedureEnd() {
        CampaignEvaluation.Result r = CampaignEvaluation.evaluate("p", msaps(), reboundPanel(), YearMonth.of(2024, 7),
                settings(0.5), BOOT);
        assertEquals(List.of(new Matching.Pair("T1", "C1", 0.0), new Matching.Pair("T2", "C2", 0.0)), r.pairs());
        CampaignEvaluation.Effect e = effect(r, CampaignMeasure.IJ_PATIENT_SHARE, "rebound");
        // T1 (14 − 10), C1 (11 − 10) over 2024-03..05; T2 (28 − 20), C2 (22 − 20) over 2024-05..07.
        assertEquals(15.0, e.treatedBefore(), 1e-12);
        assertEquals(21.0, e.treatedAfter(), 1e-12);
        assertEquals(15.0, e.controlBefore(), 1e-12);
        assertEquals(16.5, e.controlAfter(), 1e-12);
        // Δ = 6 − 1.5 = 4.5 (with the campaign's latest end, 2024-05..07 for all, it was 5 − 7/6 = 3.83).
        assertEquals(4.5, e.did(), 1e-12);
        assertEquals(2, e.treated());
        assertEquals(2, e.controls());
        // Patients behind the means: treated before 20 + 40 = 60 (fewest), after 42 + 84, controls 60 and 33 + 66.
        assertEquals(60, e.patients());
        assertEquals(CampaignEvaluation.TimePlaceboStatus.PROCEDURE_WINDOW, e.timePlaceboStatus());
        assertEquals(CampaignEvaluation.TimePlaceboStatus.NOT_COMPUTED,
                effect(r, CampaignMeasure.IJ_PATIENT_SHARE, "1-1").timePlaceboStatus());

        // Data to 2024-06: T2's rebound (to 2024-07) is past it, T1's is kept alone: (14 − 10) − (11 − 10) = 3.
        CampaignEvaluation.Result cut = CampaignEvaluation.evaluate("p", msaps(), reboundPanel(), YearMonth.of(2024, 6),
                settings(0.5), BOOT);
        CampaignEvaluation.Effect one = effect(cut, CampaignMeasure.IJ_PATIENT_SHARE, "rebound");
        assertEquals(3.0, one.did(), 1e-12);
        assertEquals(1, one.treated());
        assertTrue(cut.notes().contains("window rebound: 1 of 2 prescribers' windows go past the data (2024-06): left out of it"),
                cut.notes().toString());
        assertEquals(new YearMonth[] {M0.minusMonths(2), YearMonth.of(2024, 7)}[1],
                CampaignEvaluation.panelRange("p", msaps(), settings(0.5))[1]);
    }

    /**
     * The in-time placebo panel, M0 moved back 3 months to 2023-10 (pre-period 2023-08..09, window
     * 1-1 = 2023-11); shares by month 2023-08, 09, 10, 11: matched as in the real evaluation
     * (T1–C1, T2–C4; T3 out of the caliper).
     */
    static Map<String, PrescriberPanel.Series> earlierPanel() {
        YearMonth from = YearMonth.of(2023, 8);
        Map<String, PrescriberPanel.Series> p = new TreeMap<>();
        p.put("T1", shares("T1", months(from, 10, 10, 10, 14)));
        p.put("T2", shares("T2", months(from, 12, 12, 12, 12)));
        p.put("T3", shares("T3", months(from, 30, 30, 30, 30)));
        p.put("C1", shares("C1", months(from, 10, 10, 10, 11)));
        p.put("C2", shares("C2", months(from, 20, 20, 20, 20)));
        p.put("C3", new PrescriberPanel.Series("C3", "general-practice", "011", 50, shares("C3", months(from, 10, 10, 10, 10)).months()));
        p.put("C4", shares("C4", months(from, 12, 12, 12, 13)));
        p.put("A0", shares("A0", months(from, 10, 10, 10, 10)));
        return p;
    }

    @Test
    void inTimePlaceboReMatchesAtTheShiftedM0OnPreM0DataOnly() {
        CampaignEvaluation.Result r = CampaignEvaluation.evaluate("c1", history(), panel(), YearMonth.of(2024, 6),
                settings(0.5, 3), BOOT, Optional.of(new CampaignEvaluation.TimePlaceboData(YearMonth.of(2023, 8), earlierPanel())));
        assertEquals(YearMonth.of(2023, 10), r.placeboM0());
        CampaignEvaluation.Effect share = effect(r, CampaignMeasure.IJ_PATIENT_SHARE);
        assertEquals(CampaignEvaluation.TimePlaceboStatus.OK, share.timePlaceboStatus());
        // Treated (T1, T2) 11 → 13, controls (C1, C4) 11 → 12: Δ = 2 − 1 = 1 point.
        assertEquals(1.0, share.timePlaceboDid(), 1e-12);
        // Resamples: treated change ∈ {4, 2, 0}, control change 1: Δ ∈ [−1, 3].
        assertTrue(share.timePlaceboLow() >= -1 - 1e-12 && share.timePlaceboLow() <= 1
                && share.timePlaceboHigh() >= 1 && share.timePlaceboHigh() <= 3 + 1e-12, share.toString());
        assertEquals(0.1, effect(r, CampaignMeasure.IJ_DAYS_PER_PATIENT).timePlaceboDid(), 1e-12);
        // The real estimate is untouched by the placebo.
        assertEquals(-3.5, share.did(), 1e-12);
    }

    @Test
    void inTimePlaceboSaysWhyWhenTheExtractIsTooShortOrTheWindowReachesM0() {
        CampaignEvaluation.Result shortExtract = CampaignEvaluation.evaluate("c1", history(), panel(), YearMonth.of(2024, 6),
                settings(0.5, 3), BOOT, Optional.of(new CampaignEvaluation.TimePlaceboData(YearMonth.of(2023, 9), Map.of())));
        CampaignEvaluation.Effect share = effect(shortExtract, CampaignMeasure.IJ_PATIENT_SHARE);
        assertEquals(CampaignEvaluation.TimePlaceboStatus.TOO_FEW_MONTHS, share.timePlaceboStatus());
        assertTrue(Double.isNaN(share.timePlaceboDid()));
        assertEquals(-3.5, share.did(), 1e-12);
        assertTrue(shortExtract.notes().contains("in-time placebo (M0 moved back to 2023-10) not computed: its pre-period "
                + "starts in 2023-08 but the extract starts in 2023-09"), shortExtract.notes().toString());

        // Moved back 1 month only: window 1-1 after 2023-12 is 2024-01, the real M0.
        CampaignEvaluation.Result reaches = CampaignEvaluation.evaluate("c1", history(), panel(), YearMonth.of(2024, 6),
                settings(0.5, 1), BOOT, Optional.of(new CampaignEvaluation.TimePlaceboData(YearMonth.of(2023, 8), earlierPanel())));
        assertEquals(CampaignEvaluation.TimePlaceboStatus.REACHES_M0,
                effect(reaches, CampaignMeasure.IJ_PATIENT_SHARE).timePlaceboStatus());
        assertTrue(reaches.notes().contains("in-time placebo: window 1-1 after 2023-12 reaches the real M0 2024-01: left out"),
                reaches.notes().toString());
    }
}
