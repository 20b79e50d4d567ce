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

    /**
     * Base 100 each month; in 2023-11, 2023-12 (pre-period) and 2024-02 (window 1-1) the given IJ
     * patients, each paid 10 days and 400 € and starting a spell; case mix 10 expected IJ patients a
     * month for everyone; cohort of M0 50 patients, who got {@code otherAfter} days from others in 2024-02.
     */
    static PrescriberPanel.Series series(String id, String dept, int before, int after, double otherAfter) {
        Map<YearMonth, Integer> n = new TreeMap<>();
        n.put(M0.minusMonths(2), before);
        n.put(M0.minusMonths(1), before);
        n.put(M0.plusMonths(1), after);
        return series(id, dept, n, Map.of(M0, cohort(M0.plusMonths(1), otherAfter)));
    }

    static PrescriberPanel.Cohort cohort(YearMonth month, double otherDays) {
        return new PrescriberPanel.Cohort(50, otherDays > 0 ? Map.of(month, new PrescriberPanel.Other(otherDays, 1)) : Map.of());
    }

    /**
     * Months with {@code n} IJ patients each (distinct from month to month): paid over 1, 2 and 3
     * months = this month's, plus the previous one's, plus the one before.
     */
    static PrescriberPanel.Series series(String id, String dept, Map<YearMonth, Integer> n,
                                         Map<YearMonth, PrescriberPanel.Cohort> cohorts) {
        Map<YearMonth, PrescriberPanel.Month> m = new TreeMap<>();
        n.forEach((month, k) -> {
            long one = n.getOrDefault(month.minusMonths(1), 0);
            long two = n.getOrDefault(month.minusMonths(2), 0);
            m.put(month, new PrescriberPanel.Month(100, k, 10.0 * k, 400.0 * k, k, 10.0,
                    Map.of(1, (long) k, 2, k + one, 3, k + one + two)));
        });
        return new PrescriberPanel.Series(id, "general-practice", dept, m, cohorts);
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
        // Pre-period shares (%, over 2 months): T 20, 24, 60; pool C1 20, C2 40, C3 20 (other dept), C4 24; sd of all 7
        // = 15.118. Own days per patient-month are proportional (1/20 of them); size, case mix and trend are the
        // same for all. T3's nearest control C2 is 20 / 15.118 = 1.32 SD away on two of the five covariates:
        // √(2 × 1.32² / 5) = 0.84 SD per covariate, beyond the caliper: T3 is left out.
        assertEquals(List.of(new Matching.Pair("T1", "C1", 0.0), new Matching.Pair("T2", "C4", 0.0)), r.pairs());
        assertEquals(3, r.contacted());
        assertEquals(4, r.candidates());
        assertTrue(r.notes().get(0).startsWith("1 of 3 treated"), r.notes().toString());

        // Window 1-1: share over 1 month after against the mean of the two 1-month blocks before.
        CampaignEvaluation.Effect share = effect(r, CampaignMeasure.IJ_PATIENT_SHARE);
        assertEquals(11.0, share.treatedBefore(), 1e-12);
        assertEquals(7.0, share.treatedAfter(), 1e-12);
        assertEquals(11.0, share.controlBefore(), 1e-12);
        assertEquals(10.5, share.controlAfter(), 1e-12);
        // Δ = (7 − 11) − (10.5 − 11) = −3.5 points of share; −3.5 / (11 − 0.5) relative to the counterfactual.
        assertEquals(-3.5, share.did(), 1e-12);
        assertEquals(-3.5 / 10.5, share.relative(), 1e-12);
        assertEquals(-3.5, effect(r, CampaignMeasure.NEW_SPELL_SHARE).did(), 1e-12);
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

        assertEquals(CampaignEvaluation.COVARIATES, r.balance().stream().map(CampaignEvaluation.Balance::covariate).toList());
        CampaignEvaluation.Balance level = r.balance().get(0);
        // Before matching: T {20, 24, 60} vs pool {20, 40, 20, 24}: (104/3 − 26) / √((485.33 + 90.67) / 2).
        assertEquals((104.0 / 3 - 26) / Math.sqrt(288), level.smdBeforeMatching(), 1e-12);
        assertEquals(0.0, level.smdAfterMatching(), 1e-12);
        assertTrue(level.balanced());
        // Own IJ days per base patient-month: 1/20 of the share, same standardised differences.
        assertEquals(level.smdBeforeMatching(), r.balance().get(1).smdBeforeMatching(), 1e-12);

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
        // Root mean square of the standardised differences (sd 2 and 2), in SD per covariate:
        List<Matching.Unit> pool = List.of(
                new Matching.Unit("b", "s", 10, 3),   // √((0 + (2/2)²) / 2) = 0.7071
                new Matching.Unit("a", "s", 12, 1),   // √(((2/2)² + 0) / 2): tie with b, lower id first
                new Matching.Unit("c", "s", 11, 1.5), // √((0.25 + 0.0625) / 2) = 0.3953
                new Matching.Unit("d", "x", 10, 1));  // other stratum
        double[] sd = {2, 2};
        assertEquals(List.of(new Matching.Pair("t", "c", Math.sqrt(0.15625)), new Matching.Pair("t", "a", Math.sqrt(0.5))),
                Matching.nearest(List.of(t), pool, sd, 2, 1.0));
        assertEquals(List.of(new Matching.Pair("t", "c", Math.sqrt(0.15625))), Matching.nearest(List.of(t), pool, sd, 5, 0.6));
        // The level alone within the caliper too: e is 0.64 SD away on average but 1.2 SD on the level.
        Matching.Unit e = new Matching.Unit("e", "s", 12.4, 1);
        assertEquals(Math.sqrt(0.72), Matching.distance(t, e, sd), 1e-12);
        assertEquals(List.of(), Matching.nearest(List.of(t), List.of(e), sd, 1, 1.0));
        assertEquals(List.of("e"), Matching.nearest(List.of(t), List.of(e), sd, 1, 1.25).stream().map(Matching.Pair::control).toList());
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
        return series(id, "034", ijPatients, Map.of());
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
     * and each control takes its treated prescriber's months. IJ patients (%) from 2023-11:
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
        // Monthly share of new spells: T1 (14 − 10), C1 (11 − 10) over 2024-03..05; T2 (28 − 20), C2 (22 − 20) over 2024-05..07.
        CampaignEvaluation.Effect e = effect(r, CampaignMeasure.NEW_SPELL_SHARE, "rebound");
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
        // CNAM share over 3-month blocks: after T1 (12+14+16) = 42 %, T2 84 %; before, one block of 3 months
        // ending 2023-12 that holds only the two months of data: T1 20 %, T2 40 %; controls 20 → 33 and 40 → 66.
        CampaignEvaluation.Effect cnam = effect(r, CampaignMeasure.IJ_PATIENT_SHARE, "rebound");
        assertEquals(30.0, cnam.treatedBefore(), 1e-12);
        assertEquals(63.0, cnam.treatedAfter(), 1e-12);
        assertEquals((63 - 30) - (49.5 - 30), cnam.did(), 1e-12);
        assertEquals(CampaignEvaluation.TimePlaceboStatus.PROCEDURE_WINDOW, e.timePlaceboStatus());
        assertEquals(CampaignEvaluation.TimePlaceboStatus.NOT_COMPUTED,
                effect(r, CampaignMeasure.IJ_PATIENT_SHARE, "1-1").timePlaceboStatus());

        // Data to 2024-06: T2's rebound (to 2024-07) is past it, T1's is kept alone: (14 − 10) − (11 − 10) = 3.
        CampaignEvaluation.Result cut = CampaignEvaluation.evaluate("p", msaps(), reboundPanel(), YearMonth.of(2024, 6),
                settings(0.5), BOOT);
        CampaignEvaluation.Effect one = effect(cut, CampaignMeasure.NEW_SPELL_SHARE, "rebound");
        assertEquals(3.0, one.did(), 1e-12);
        assertEquals(1, one.treated());
        assertTrue(cut.notes().contains("window rebound: 1 of 2 prescribers' windows go past the data (2024-06): left out of it"),
                cut.notes().toString());
        assertEquals(YearMonth.of(2024, 7), CampaignEvaluation.panelRange("p", msaps(), settings(0.5))[1]);
    }

    /**
     * A staggered campaign: T1 contacted in 2024-01, T2 in 2024-03, each cutting its share by 4
     * points from the month after its own contact; controls flat (C1 at T1's level, C2 at T2's).
     * IJ patients (%) from 2023-11: T1 10 10 10 6 6 6, T2 12 12 12 12 12 8.
     */
    @Test
    void eachPrescriberIsEvaluatedFromItsOwnContactMonth() {
        YearMonth from = M0.minusMonths(2);
        Map<String, PrescriberPanel.Series> panel = new TreeMap<>();
        panel.put("T1", shares("T1", months(from, 10, 10, 10, 6, 6, 6)));
        panel.put("T2", shares("T2", months(from, 12, 12, 12, 12, 12, 8)));
        panel.put("C1", shares("C1", months(from, 10, 10, 10, 10, 10, 10)));
        panel.put("C2", shares("C2", months(from, 12, 12, 12, 12, 12, 12)));
        CampaignHistory staggered = new CampaignHistory(List.of(contact("s", "T1"),
                new CampaignContact("s", "T2", Action.EC, "sick-leave", M0.plusMonths(2), Optional.empty(), "")));
        CampaignEvaluation.Result r = CampaignEvaluation.evaluate("s", staggered, panel, YearMonth.of(2024, 4), settings(0.5), BOOT);
        assertEquals(Map.of(M0, 1, M0.plusMonths(2), 1), r.cohorts());
        assertEquals(M0, r.m0());
        // Matched at their own months: T1 on 2023-11..12 (20 % over 2 months, as C1), T2 on 2024-01..02 (24 %, as C2).
        assertEquals(List.of(new Matching.Pair("T1", "C1", 0.0), new Matching.Pair("T2", "C2", 0.0)), r.pairs());
        CampaignEvaluation.Effect e = effect(r, CampaignMeasure.IJ_PATIENT_SHARE);
        // T1 10 → 6 (2024-02), T2 12 → 8 (2024-04): the planted −4 points. With one M0 (2024-01) for both, T2's
        // "after" would be 2024-02, before its contact: (−4 + 0) / 2 = −2, half the effect.
        assertEquals(11.0, e.treatedBefore(), 1e-12);
        assertEquals(7.0, e.treatedAfter(), 1e-12);
        assertEquals(-4.0, e.did(), 1e-12);
        assertTrue(r.notes().get(0).startsWith("contacts spread over 2 months (2024-01 to 2024-03)"), r.notes().toString());
        assertEquals(YearMonth.of(2024, 4), CampaignEvaluation.panelRange("s", staggered, settings(0.5))[1]);
        assertEquals(from, CampaignEvaluation.panelRange("s", staggered, settings(0.5))[0]);
    }

    /**
     * The real evaluation (M0 2024-01: pre-period 2023-11..12, window 2024-02) and the in-time
     * placebo (M0 moved back 3 months to 2023-10: pre-period 2023-08..09, window 2023-11) read the
     * same panel. IJ patients (%) in 2023-08, 09 | 11, 12 | 2024-02:
     * T1 8 8 | 10 10 | 6; T2 12 12 | 12 12 | 8; T3 30 30 | 30 30 | 30; C1 9 9 | 10 10 | 9;
     * C2 20 20 | 20 20 | 20; C3 (other dept) 10; C4 12 12 | 12 12 | 12; A0 (other campaign) 10.
     */
    static Map<String, PrescriberPanel.Series> longPanel() {
        YearMonth from = YearMonth.of(2023, 8);
        Map<String, PrescriberPanel.Series> p = new TreeMap<>();
        p.put("T1", placeboSeries("T1", "034", from, 8, 10, 6, 5));
        p.put("T2", placeboSeries("T2", "034", from, 12, 12, 8, 0));
        p.put("T3", placeboSeries("T3", "034", from, 30, 30, 30, 0));
        p.put("C1", placeboSeries("C1", "034", from, 9, 10, 9, 0));
        p.put("C2", placeboSeries("C2", "034", from, 20, 20, 20, 0));
        p.put("C3", placeboSeries("C3", "011", from, 10, 10, 10, 0));
        p.put("C4", placeboSeries("C4", "034", from, 12, 12, 12, 0));
        p.put("A0", placeboSeries("A0", "034", from, 10, 10, 10, 0));
        return p;
    }

    /** Months 2023-08, 09 at {@code early}, 2023-11, 12 at {@code before}, 2024-02 at {@code after}; cohorts of both M0s. */
    static PrescriberPanel.Series placeboSeries(String id, String dept, YearMonth from, int early, int before, int after,
                                                double otherAfter) {
        Map<YearMonth, Integer> n = new TreeMap<>();
        n.put(from, early);
        n.put(from.plusMonths(1), early);
        n.put(M0.minusMonths(2), before);
        n.put(M0.minusMonths(1), before);
        n.put(M0.plusMonths(1), after);
        return series(id, dept, n, Map.of(M0, cohort(M0.plusMonths(1), otherAfter), YearMonth.of(2023, 10), cohort(M0, 0)));
    }

    @Test
    void inTimePlaceboReMatchesAtTheShiftedM0OnPreM0DataOnly() {
        CampaignEvaluation.Result r = CampaignEvaluation.evaluate("c1", history(), longPanel(), YearMonth.of(2024, 6),
                settings(0.5, 3), BOOT, Optional.of(YearMonth.of(2023, 8)));
        assertEquals(YearMonth.of(2023, 10), r.placeboM0());
        CampaignEvaluation.Effect share = effect(r, CampaignMeasure.IJ_PATIENT_SHARE);
        assertEquals(CampaignEvaluation.TimePlaceboStatus.OK, share.timePlaceboStatus());
        // Matched at 2023-10 on 2023-08..09: T1 (16 % over 2 months) with C1 (18 %), T2 with C4; T3 beyond the caliper.
        // Treated T1 8 → 10, T2 12 → 12: +1; controls C1 9 → 10, C4 12 → 12: +0.5; Δ = 0.5 point.
        assertEquals(0.5, share.timePlaceboDid(), 1e-12);
        // Resamples of the two matched sets: (T1, C1) twice gives 2 − 1, (T2, C4) twice 0, one of each 0.5: Δ ∈ [0, 1].
        assertTrue(share.timePlaceboLow() >= -1e-12 && share.timePlaceboHigh() <= 1 + 1e-12, share.toString());
        assertEquals(0.05, effect(r, CampaignMeasure.IJ_DAYS_PER_PATIENT).timePlaceboDid(), 1e-12);
        // The real estimate is untouched by the placebo.
        assertEquals(-3.5, share.did(), 1e-12);
    }

    @Test
    void inTimePlaceboSaysWhyWhenTheExtractIsTooShortOrTheWindowReachesM0() {
        CampaignEvaluation.Result shortExtract = CampaignEvaluation.evaluate("c1", history(), longPanel(), YearMonth.of(2024, 6),
                settings(0.5, 3), BOOT, Optional.of(YearMonth.of(2023, 9)));
        CampaignEvaluation.Effect share = effect(shortExtract, CampaignMeasure.IJ_PATIENT_SHARE);
        assertEquals(CampaignEvaluation.TimePlaceboStatus.TOO_FEW_MONTHS, share.timePlaceboStatus());
        assertTrue(Double.isNaN(share.timePlaceboDid()));
        assertEquals(-3.5, share.did(), 1e-12);
        assertTrue(shortExtract.notes().contains("in-time placebo (M0 moved back to 2023-10) not computed: its pre-period "
                + "starts in 2023-08 but the extract starts in 2023-09"), shortExtract.notes().toString());

        // Moved back 1 month only: window 1-1 after 2023-12 is 2024-01, the real M0.
        CampaignEvaluation.Result reaches = CampaignEvaluation.evaluate("c1", history(), longPanel(), YearMonth.of(2024, 6),
                settings(0.5, 1), BOOT, Optional.of(YearMonth.of(2023, 8)));
        assertEquals(CampaignEvaluation.TimePlaceboStatus.REACHES_M0,
                effect(reaches, CampaignMeasure.IJ_PATIENT_SHARE).timePlaceboStatus());
        assertTrue(reaches.notes().contains("in-time placebo: window 1-1 after 2023-12 reaches the real M0 2024-01: left out"),
                reaches.notes().toString());
    }
}
