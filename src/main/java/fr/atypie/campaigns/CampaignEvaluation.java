package fr.atypie.campaigns;

import fr.atypie.errors.InputError;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluation of one campaign by difference in differences against matched never-contacted
 * prescribers (methods.md): eligibility, matching, balance, effects per measure and window with a
 * bootstrap interval, a placebo (random never-contacted prescribers as "treated", same method),
 * an in-time placebo, and the cost side. Pure driver-side arithmetic over the collected
 * {@link PrescriberPanel}.
 *
 * <p>Event time: each treated prescriber's M0 is its own first contact month in the campaign, so
 * a campaign run over several months is not mis-dated (a prescriber contacted in March has no
 * "after" in February). Treated prescribers are grouped by contact month (cohorts); each cohort is
 * matched on the pre-period before its own month, its controls are read over the same calendar
 * months, and the matched sets of all cohorts are stacked into one estimate.
 */
public final class CampaignEvaluation {
    /** Matching covariates, in the order of {@link Matching.Unit#covariates()}; each over the pre-period. */
    static final String LEVEL = "pre_ij_patient_share";
    static final String DAYS = "pre_ij_days_per_patient";
    static final String SIZE = "pre_log_base_patients";
    static final String CASE_MIX = "pre_case_mix";
    static final String TREND = "pre_trend";
    static final List<String> COVARIATES = List.of(LEVEL, DAYS, SIZE, CASE_MIX, TREND);

    private CampaignEvaluation() {}

    /**
     * Before and after months of one evaluated window, relative to each treated prescriber's own
     * M0. A rebound window has {@code anchors}: each treated prescriber's own procedure end, from
     * which its after months count (its matched controls take the same months); treated
     * prescribers without one are left out.
     */
    public record Period(String label, int beforeFirst, int beforeLast, int afterFirst, int afterLast,
                         Map<String, YearMonth> anchors) {
        public Period {
            anchors = Map.copyOf(anchors);
        }

        public Period(String label, int beforeFirst, int beforeLast, int afterFirst, int afterLast) {
            this(label, beforeFirst, beforeLast, afterFirst, afterLast, Map.of());
        }

        List<YearMonth> before(YearMonth m0) {
            return months(m0, beforeFirst, beforeLast);
        }

        List<YearMonth> after(YearMonth m0) {
            return months(m0, afterFirst, afterLast);
        }

        /** After months of the pair of this treated prescriber (own M0 {@code m0}); empty when the window does not apply to it. */
        List<YearMonth> after(YearMonth m0, String treated) {
            if (anchors.isEmpty()) {
                return after(m0);
            }
            YearMonth own = anchors.get(treated);
            return own == null ? List.of() : months(own, afterFirst, afterLast);
        }

        int afterMonths() {
            return afterLast - afterFirst + 1;
        }

        private static List<YearMonth> months(YearMonth m0, int first, int last) {
            List<YearMonth> out = new ArrayList<>();
            for (int k = first; k <= last; k++) {
                out.add(m0.plusMonths(k));
            }
            return out;
        }
    }

    /**
     * One row of effects: a measure over one window, with the random-prescriber placebo and the
     * in-time placebo (same prescribers, M0 moved back; {@code timePlaceboStatus} says why it is
     * missing when it is). {@code patients}: the fewest patients behind the numerator of any group ×
     * period mean the row rests on (counted once per prescriber and month), for statistical secrecy.
     */
    public record Effect(CampaignMeasure measure, String window, double treatedBefore, double treatedAfter,
                         double controlBefore, double controlAfter, double did, double ciLow, double ciHigh,
                         int treated, int controls, double placeboDid, double placeboLow, double placeboHigh,
                         double timePlaceboDid, double timePlaceboLow, double timePlaceboHigh, TimePlaceboStatus timePlaceboStatus,
                         long patients) {
        /** Δ relative to what the treated would have shown without the campaign (treated before + control change). */
        public double relative() {
            double counterfactual = treatedBefore + (controlAfter - controlBefore);
            return counterfactual > 0 ? did / counterfactual : Double.NaN;
        }
    }

    /** Why an in-time placebo estimate is there or not. */
    public enum TimePlaceboStatus {
        /** Estimated. */
        OK("ok"),
        /** Anticipation and rebound windows have no in-time placebo. */
        PROCEDURE_WINDOW("procedure_window"),
        /** The extract does not hold the pre-period of the shifted M0. */
        TOO_FEW_MONTHS("too_few_months"),
        /** The window after the shifted M0 reaches the real M0: it would mix in the campaign. */
        REACHES_M0("reaches_m0"),
        /** No treated prescriber eligible, or none with a control within the caliper, at the shifted M0. */
        NO_MATCH("no_match"),
        /** No pair has the measure in both periods. */
        NO_ESTIMATE("no_estimate"),
        /** The evaluation was run without the data for it. */
        NOT_COMPUTED("not_computed");

        private final String code;

        TimePlaceboStatus(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** Standardised mean difference of a pre-period covariate, before matching (all candidates) and after. */
    public record Balance(String covariate, double treatedMean, double candidateMean, double controlMean,
                          double smdBeforeMatching, double smdAfterMatching) {
        public boolean balanced() {
            return Math.abs(smdAfterMatching) < 0.1;
        }
    }

    /** Contacts of the campaign by action and the staff days they cost. */
    public record ContactCost(CampaignContact.Action action, int contacts, double daysPerContact, double staffDays) {}

    /** Avoided sick leave over one after window, for the matched treated prescribers. */
    public record Savings(String window, int contacts, double staffDays, double avoidedDays, double circumventedDays,
                          double netAvoidedDays, double eurosPerDay, double netAvoidedEuros) {
        public double netDaysPerContact() {
            return contacts > 0 ? netAvoidedDays / contacts : Double.NaN;
        }

        public double netEurosPerContact() {
            return contacts > 0 ? netAvoidedEuros / contacts : Double.NaN;
        }
    }

    /**
     * @param m0        the campaign's first contact month (each treated prescriber is evaluated from its own)
     * @param cohorts   treated prescribers by own contact month
     * @param placeboM0 the in-time placebo's first (shifted) M0
     */
    public record Result(String campaign, YearMonth m0, List<Effect> effects, List<Balance> balance,
                         List<Matching.Pair> pairs, List<ContactCost> contacts, List<Savings> savings,
                         int contacted, int eligibleTreated, int candidates, List<String> notes, YearMonth placeboM0,
                         Map<YearMonth, Integer> cohorts) {
        /** The same result with one more note for the report. */
        public Result withNote(String note) {
            List<String> more = new ArrayList<>(notes);
            more.add(note);
            return new Result(campaign, m0, effects, balance, pairs, contacts, savings, contacted, eligibleTreated, candidates,
                    List.copyOf(more), placeboM0, cohorts);
        }
    }

    /** How the bootstrap runs (atypie.methods.bootstrap). */
    public record BootstrapSettings(int replicates, long seed, double level) {}

    /** {@link #evaluate(String, CampaignHistory, Map, YearMonth, CampaignSettings, BootstrapSettings, Optional)} without the in-time placebo. */
    public static Result evaluate(String campaign, CampaignHistory history, Map<String, PrescriberPanel.Series> panel,
                                  YearMonth lastMonth, CampaignSettings s, BootstrapSettings boot) {
        return evaluate(campaign, history, panel, lastMonth, s, boot, Optional.empty());
    }

    /**
     * @param panel       prescriber × month panel covering the pre-periods and the windows, with the
     *                    circumvention cohorts of every contact month (and of the shifted ones for the in-time placebo)
     * @param history     all contacts: the campaign's ones are the treated, anyone listed is never a control
     * @param lastMonth   last month with data: windows ending later are left out (noted)
     * @param placeboFrom first month of the data, for the in-time placebo (M0 − placebo-shift-months, read
     *                    from the same panel); empty: not computed
     */
    public static Result evaluate(String campaign, CampaignHistory history, Map<String, PrescriberPanel.Series> panel,
                                  YearMonth lastMonth, CampaignSettings s, BootstrapSettings boot,
                                  Optional<YearMonth> placeboFrom) {
        List<CampaignContact> contacts = contactsOf(campaign, history);
        Map<String, YearMonth> own = ownMonths(contacts);
        YearMonth m0 = m0(contacts);
        List<String> notes = new ArrayList<>();
        Set<YearMonth> months = new TreeSet<>(own.values());
        if (months.size() > 1) {
            notes.add("contacts spread over " + months.size() + " months (" + m0 + " to " + Collections.max(months)
                    + "): each prescriber is evaluated from its own contact month (event time)");
        }
        List<Period> periods = periods(contacts, m0, s, lastMonth, notes);

        Set<String> everContacted = new TreeSet<>();
        history.contacts().forEach(c -> everContacted.add(c.prescriber()));

        Matched matched = match(panel, own, everContacted, s);
        if (matched.treated().isEmpty()) {
            throw new InputError("campaign " + campaign + ": none of its " + own.size() + " prescribers has a pre-period "
                    + "base of at least " + s.minBasePatients() + " working-age patients in the extract (the "
                    + s.beforeMonths() + " months before its own contact month, from " + m0.minusMonths(s.beforeMonths()) + ")");
        }
        if (matched.candidates() == 0) {
            throw new InputError("campaign " + campaign + ": no never-contacted prescriber is eligible as a control");
        }
        List<Matching.Pair> pairs = matched.pairs();
        Set<String> matchedTreated = new TreeSet<>();
        pairs.forEach(p -> matchedTreated.add(p.treated()));
        if (pairs.isEmpty()) {
            throw new InputError("campaign " + campaign + ": no control within the caliper (" + s.caliper()
                    + " SD) of any of the " + matched.treated().size() + " treated prescribers; widen atypie.campaigns.caliper");
        }
        if (matchedTreated.size() < matched.treated().size()) {
            notes.add((matched.treated().size() - matchedTreated.size()) + " of " + matched.treated().size()
                    + " treated prescribers had no control within the caliper and are left out");
        }

        Matched placebo = placebo(matched, own, matchedTreated, everContacted, s);
        YearMonth placeboM0 = m0.minusMonths(s.placeboShiftMonths());
        Map<String, TimeCell> inTime = timePlacebo(panel, own, everContacted, placeboFrom, s, boot, lastMonth, notes);

        List<Effect> effects = new ArrayList<>();
        Map<String, Map<CampaignMeasure, DifferenceInDifferences.Result>> byWindow = new LinkedHashMap<>();
        for (Period period : periods) {
            Map<CampaignMeasure, DifferenceInDifferences.Result> results = new EnumMap<>(CampaignMeasure.class);
            for (CampaignMeasure measure : CampaignMeasure.values()) {
                Group real = group(pairs, matched.anchors(), panel, measure, period, lastMonth);
                Group fake = group(placebo.pairs(), placebo.anchors(), panel, measure, period, lastMonth);
                DifferenceInDifferences.Result r = real.did(boot);
                DifferenceInDifferences.Result pr = fake.did(boot);
                TimeCell t = inTime.getOrDefault(period.label() + "|" + measure.code(),
                        new TimeCell(TimePlaceboStatus.PROCEDURE_WINDOW, null, Long.MAX_VALUE));
                results.put(measure, r);
                effects.add(new Effect(measure, period.label(),
                        real.mean(true, true), real.mean(true, false), real.mean(false, true), real.mean(false, false),
                        effect(r), lower(r), upper(r), real.treatedCount(), real.controlCount(),
                        effect(pr), lower(pr), upper(pr), effect(t.result()), lower(t.result()), upper(t.result()), t.status(),
                        Math.min(Math.min(real.fewestPatients(), fake.fewestPatients()), t.patients())));
            }
            byWindow.put(period.label(), results);
        }

        List<ContactCost> costs = new ArrayList<>();
        Map<CampaignContact.Action, Integer> byAction = new EnumMap<>(CampaignContact.Action.class);
        contacts.forEach(c -> byAction.merge(c.action(), 1, Integer::sum));
        byAction.forEach((a, n) -> costs.add(new ContactCost(a, n, s.daysPerContact().get(a), n * s.daysPerContact().get(a))));
        List<Savings> savings = savings(periods, byWindow, contacts, matchedTreated, matched.anchors(), panel, s, lastMonth);
        Map<YearMonth, Integer> cohorts = new TreeMap<>();
        own.values().forEach(m -> cohorts.merge(m, 1, Integer::sum));
        return new Result(campaign, m0, List.copyOf(effects), balance(matched), pairs, List.copyOf(costs), savings,
                own.size(), matched.treated().size(), matched.candidates(), List.copyOf(notes), placeboM0, cohorts);
    }

    private static double effect(DifferenceInDifferences.Result r) {
        return r == null ? Double.NaN : r.estimate().effect();
    }

    private static double lower(DifferenceInDifferences.Result r) {
        return r == null ? Double.NaN : r.interval().lower();
    }

    private static double upper(DifferenceInDifferences.Result r) {
        return r == null ? Double.NaN : r.interval().upper();
    }

    /**
     * Eligible prescribers as matching units at each anchor, the treated among them, the pairs and
     * each treated prescriber's anchor (its controls are read at the same one).
     *
     * @param units      anchor → eligible prescriber → unit (covariates over the pre-period before that anchor)
     * @param candidates never-contacted prescribers eligible at some anchor
     */
    private record Matched(Map<YearMonth, Map<String, Matching.Unit>> units, List<Matching.Unit> treated,
                           Map<String, YearMonth> anchors, List<Matching.Pair> pairs, int candidates, Set<String> pool) {}

    /** The covariates of a prescriber over the pre-period before {@code anchor}; empty when not eligible. */
    static Optional<Matching.Unit> unit(PrescriberPanel.Series p, YearMonth anchor, CampaignSettings s) {
        List<YearMonth> before = new Period("pre", -s.beforeMonths(), -1, -s.beforeMonths(), -1).before(anchor);
        double meanBase = before.stream().mapToLong(m -> p.month(m).base()).average().orElse(0);
        if (meanBase < s.minBasePatients()) {
            return Optional.empty();
        }
        double[] monthly = before.stream().mapToDouble(m -> p.month(m).base() > 0
                ? 100.0 * p.month(m).ijPatients() / p.month(m).base() : Double.NaN).toArray();
        double expected = 0;
        double base = 0;
        for (YearMonth m : before) {
            expected += p.month(m).expected();
            base += p.month(m).base();
        }
        double[] x = {
            CampaignMeasure.IJ_PATIENT_SHARE.value(p, before, s.beforeMonths(), anchor),
            CampaignMeasure.IJ_DAYS_PER_PATIENT.value(p, before, s.beforeMonths(), anchor),
            Math.log(meanBase),
            base > 0 ? 100.0 * expected / base : Double.NaN,
            Matching.slope(monthly)};
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return Optional.empty();
            }
        }
        return Optional.of(new Matching.Unit(p.prescriber(), p.specialtyGroup() + "|" + (s.byRegion() ? "region" : p.dept()), x));
    }

    /** Each cohort (treated prescribers with the same anchor) matched to never-contacted prescribers eligible at that anchor. */
    private static Matched match(Map<String, PrescriberPanel.Series> panel, Map<String, YearMonth> anchorOf,
                                 Set<String> everContacted, CampaignSettings s) {
        Map<YearMonth, Map<String, Matching.Unit>> units = new TreeMap<>();
        for (YearMonth a : new TreeSet<>(anchorOf.values())) {
            Map<String, Matching.Unit> at = new TreeMap<>();
            for (PrescriberPanel.Series p : panel.values()) {
                // The cohort's treated prescribers and the never-contacted ones (anyone else contacted is neither).
                if (a.equals(anchorOf.get(p.prescriber())) || !everContacted.contains(p.prescriber())) {
                    unit(p, a, s).ifPresent(u -> at.put(u.id(), u));
                }
            }
            units.put(a, at);
        }
        List<Matching.Unit> treated = new ArrayList<>();
        List<Matching.Pair> pairs = new ArrayList<>();
        Set<String> pool = new TreeSet<>();
        for (Map.Entry<YearMonth, Map<String, Matching.Unit>> e : units.entrySet()) {
            List<Matching.Unit> t = e.getValue().values().stream()
                    .filter(u -> e.getKey().equals(anchorOf.get(u.id()))).toList();
            List<Matching.Unit> candidates = e.getValue().values().stream()
                    .filter(u -> !everContacted.contains(u.id())).toList();
            candidates.forEach(u -> pool.add(u.id()));
            treated.addAll(t);
            if (!t.isEmpty() && !candidates.isEmpty()) {
                List<Matching.Unit> all = new ArrayList<>(t);
                all.addAll(candidates);
                pairs.addAll(Matching.nearest(t, candidates, Matching.scales(all, COVARIATES.size()), s.neighbours(), s.caliper()));
            }
        }
        treated.sort(Comparator.comparing(Matching.Unit::id));
        List<Matching.Pair> sorted = new ArrayList<>(pairs);
        // Stable: within a treated prescriber, nearest first as Matching gave them.
        sorted.sort(Comparator.comparing(Matching.Pair::treated));
        Map<String, YearMonth> anchors = new TreeMap<>();
        treated.forEach(u -> anchors.put(u.id(), anchorOf.get(u.id())));
        return new Matched(units, List.copyOf(treated), anchors, List.copyOf(sorted), pool.size(), pool);
    }

    /**
     * Placebo: as many random never-contacted prescribers as matched treated ones (at most half of the
     * candidates), each taking the contact month of one matched treated prescriber (in id order) at
     * which it is eligible, then matched among the other candidates like the treated.
     */
    private static Matched placebo(Matched real, Map<String, YearMonth> anchorOf, Set<String> matchedTreated,
                                   Set<String> everContacted, CampaignSettings s) {
        List<String> shuffled = new ArrayList<>(real.pool());
        SplittableRandom random = new SplittableRandom(s.placeboSeed());
        for (int i = shuffled.size() - 1; i > 0; i--) {
            Collections.swap(shuffled, i, random.nextInt(i + 1));
        }
        int wanted = Math.min(matchedTreated.size(), shuffled.size() / 2);
        Map<String, YearMonth> fakeAnchors = new TreeMap<>();
        for (String t : matchedTreated) {
            if (fakeAnchors.size() >= wanted) {
                break;
            }
            YearMonth a = anchorOf.get(t);
            shuffled.stream().filter(id -> !fakeAnchors.containsKey(id) && real.units().get(a).containsKey(id))
                    .findFirst().ifPresent(id -> fakeAnchors.put(id, a));
        }
        Set<String> excluded = new TreeSet<>(everContacted);
        excluded.addAll(fakeAnchors.keySet());
        List<Matching.Pair> pairs = new ArrayList<>();
        for (YearMonth a : new TreeSet<>(fakeAnchors.values())) {
            Map<String, Matching.Unit> at = real.units().get(a);
            List<Matching.Unit> fakes = at.values().stream().filter(u -> a.equals(fakeAnchors.get(u.id()))).toList();
            List<Matching.Unit> candidates = at.values().stream().filter(u -> !excluded.contains(u.id())).toList();
            List<Matching.Unit> all = new ArrayList<>(fakes);
            all.addAll(candidates);
            if (!candidates.isEmpty()) {
                pairs.addAll(Matching.nearest(fakes, candidates, Matching.scales(all, COVARIATES.size()), s.neighbours(),
                        s.caliper()));
            }
        }
        pairs.sort(Comparator.comparing(Matching.Pair::treated));
        return new Matched(real.units(), List.of(), fakeAnchors, List.copyOf(pairs), real.candidates(), real.pool());
    }

    /** One in-time placebo estimate (null result when not estimated) and the fewest patients behind it. */
    private record TimeCell(TimePlaceboStatus status, DifferenceInDifferences.Result result, long patients) {}

    /**
     * In-time placebo: each treated prescriber evaluated as if contacted placebo-shift-months before
     * its own contact month, re-matched on the pre-period of that fake month, over the after windows
     * that end before its real contact. Nothing happened then: Δ should be 0; an effect there means
     * the treated were already diverging. Keyed by window label and measure code; windows it cannot
     * cover get a status and a note, never an error.
     */
    private static Map<String, TimeCell> timePlacebo(Map<String, PrescriberPanel.Series> panel, Map<String, YearMonth> own,
                                                     Set<String> everContacted, Optional<YearMonth> dataFirst,
                                                     CampaignSettings s, BootstrapSettings boot, YearMonth lastMonth,
                                                     List<String> notes) {
        YearMonth m0 = Collections.min(own.values());
        YearMonth fakeM0 = m0.minusMonths(s.placeboShiftMonths());
        Map<String, TimeCell> out = new TreeMap<>();
        List<CampaignSettings.Window> usable = new ArrayList<>();
        for (CampaignSettings.Window w : s.afterWindows()) {
            if (w.last() < s.placeboShiftMonths()) {
                usable.add(w);
            } else if (dataFirst.isPresent()) {
                notes.add("in-time placebo: window " + w.label() + " after " + fakeM0 + " reaches the real M0 " + m0 + ": left out");
            }
        }
        TimePlaceboStatus shared = null;
        Matched matched = null;
        if (dataFirst.isEmpty()) {
            shared = TimePlaceboStatus.NOT_COMPUTED;
        } else if (usable.isEmpty()) {
            shared = TimePlaceboStatus.REACHES_M0;
        } else {
            Map<String, YearMonth> fake = new TreeMap<>();
            own.forEach((id, m) -> {
                YearMonth f = m.minusMonths(s.placeboShiftMonths());
                if (!f.minusMonths(s.beforeMonths()).isBefore(dataFirst.get())) {
                    fake.put(id, f);
                }
            });
            if (fake.isEmpty()) {
                shared = TimePlaceboStatus.TOO_FEW_MONTHS;
                notes.add("in-time placebo (M0 moved back to " + fakeM0 + ") not computed: its pre-period starts in "
                        + fakeM0.minusMonths(s.beforeMonths()) + " but the extract starts in " + dataFirst.get());
            } else {
                if (fake.size() < own.size()) {
                    notes.add("in-time placebo: " + (own.size() - fake.size()) + " of " + own.size()
                            + " prescribers' shifted pre-periods start before the extract: left out of it");
                }
                matched = match(panel, fake, everContacted, s);
                if (matched.pairs().isEmpty()) {
                    shared = TimePlaceboStatus.NO_MATCH;
                    notes.add("in-time placebo (M0 moved back to " + fakeM0 + ") not computed: " + (matched.treated().isEmpty()
                            ? "no prescriber of the campaign is eligible on its pre-period"
                            : "no control within the caliper at that M0"));
                }
            }
        }
        for (CampaignSettings.Window w : s.afterWindows()) {
            Period period = new Period(w.label(), -s.beforeMonths(), -1, w.first(), w.last());
            for (CampaignMeasure measure : CampaignMeasure.values()) {
                String key = w.label() + "|" + measure.code();
                if (shared == TimePlaceboStatus.NOT_COMPUTED) {
                    out.put(key, new TimeCell(shared, null, Long.MAX_VALUE));
                } else if (!usable.contains(w)) {
                    out.put(key, new TimeCell(TimePlaceboStatus.REACHES_M0, null, Long.MAX_VALUE));
                } else if (shared != null) {
                    out.put(key, new TimeCell(shared, null, Long.MAX_VALUE));
                } else {
                    Group g = group(matched.pairs(), matched.anchors(), panel, measure, period, lastMonth);
                    DifferenceInDifferences.Result r = g.did(boot);
                    out.put(key, new TimeCell(r == null ? TimePlaceboStatus.NO_ESTIMATE : TimePlaceboStatus.OK, r,
                            g.fewestPatients()));
                }
            }
        }
        return out;
    }

    /** The campaign's contacts; a clear error when the history has none. */
    static List<CampaignContact> contactsOf(String campaign, CampaignHistory history) {
        List<CampaignContact> contacts = history.contacts().stream().filter(c -> c.campaign().equals(campaign)).toList();
        if (contacts.isEmpty()) {
            Set<String> known = new TreeSet<>();
            history.contacts().forEach(c -> known.add(c.campaign()));
            throw new InputError("campaign '" + campaign + "' is not in the history (campaigns there: " + known + ")");
        }
        return contacts;
    }

    /** M0: the campaign's first contact month. */
    static YearMonth m0(List<CampaignContact> contacts) {
        return contacts.stream().map(CampaignContact::start).min(YearMonth::compareTo).orElseThrow();
    }

    /** Each contacted prescriber's own M0: its first contact month in the campaign. */
    static Map<String, YearMonth> ownMonths(List<CampaignContact> contacts) {
        Map<String, YearMonth> own = new TreeMap<>();
        contacts.forEach(c -> own.merge(c.prescriber(), c.start(), (a, b) -> a.isBefore(b) ? a : b));
        return own;
    }

    /** The contact months of a campaign: the anchors of its circumvention cohorts. */
    public static Set<YearMonth> contactMonths(String campaign, CampaignHistory history) {
        return new TreeSet<>(ownMonths(contactsOf(campaign, history)).values());
    }

    /** The months the panel must cover: the first pre-period to the end of the last window of the last contact month. */
    public static YearMonth[] panelRange(String campaign, CampaignHistory history, CampaignSettings s) {
        List<CampaignContact> contacts = contactsOf(campaign, history);
        Map<String, YearMonth> own = ownMonths(contacts);
        YearMonth first = Collections.min(own.values());
        YearMonth lastContact = Collections.max(own.values());
        YearMonth last = lastContact;
        for (Period p : periods(contacts, first, s, YearMonth.of(9999, 12), new ArrayList<>())) {
            if (p.anchors().isEmpty()) {
                YearMonth end = lastContact.plusMonths(p.afterLast());
                last = end.isAfter(last) ? end : last;
            } else {
                for (YearMonth end : p.anchors().values()) {
                    last = end.plusMonths(p.afterLast()).isAfter(last) ? end.plusMonths(p.afterLast()) : last;
                }
            }
        }
        return new YearMonth[] {first.minusMonths(s.beforeMonths()), last};
    }

    static List<Period> periods(List<CampaignContact> contacts, YearMonth m0, CampaignSettings s, YearMonth lastMonth,
                                List<String> notes) {
        List<Period> periods = new ArrayList<>();
        for (CampaignSettings.Window w : s.afterWindows()) {
            periods.add(new Period(w.label(), -s.beforeMonths(), -1, w.first(), w.last()));
        }
        boolean procedure = contacts.stream().anyMatch(c -> c.action().procedure());
        if (procedure && s.anticipationMonths() < s.beforeMonths()) {
            // Anticipation: the last months before M0 (observation) against the earlier pre-period.
            periods.add(new Period("anticipation", -s.beforeMonths(), -s.anticipationMonths() - 1, -s.anticipationMonths(), -1));
        }
        YearMonth lastContact = Collections.max(ownMonths(contacts).values());
        List<Period> kept = new ArrayList<>();
        for (Period p : periods) {
            if (m0.plusMonths(p.afterLast()).isAfter(lastMonth)) {
                notes.add("window " + p.label() + " (to " + m0.plusMonths(p.afterLast()) + ") goes past the data (" + lastMonth + "): left out");
            } else {
                if (lastContact.plusMonths(p.afterLast()).isAfter(lastMonth)) {
                    notes.add("window " + p.label() + ": prescribers contacted after "
                            + lastMonth.minusMonths(p.afterLast()) + " go past the data (" + lastMonth + "): left out of it");
                }
                kept.add(p);
            }
        }
        rebound(contacts, s, lastMonth, notes).ifPresent(kept::add);
        return kept;
    }

    /**
     * Rebound: the rebound-months after each treated prescriber's own procedure end (the latest
     * end of its procedures in the campaign), against the pre-period. A prescriber with a
     * procedure still running (no end) has no rebound yet; one whose window goes past the data is
     * left out of it (noted).
     */
    private static Optional<Period> rebound(List<CampaignContact> contacts, CampaignSettings s, YearMonth lastMonth,
                                            List<String> notes) {
        Map<String, YearMonth> ends = new TreeMap<>();
        Set<String> running = new TreeSet<>();
        for (CampaignContact c : contacts) {
            if (c.action().procedure()) {
                c.end().ifPresentOrElse(e -> ends.merge(c.prescriber(), e, (a, b) -> a.isAfter(b) ? a : b),
                        () -> running.add(c.prescriber()));
            }
        }
        running.forEach(ends::remove);
        if (ends.isEmpty()) {
            return Optional.empty();
        }
        Map<String, YearMonth> within = new TreeMap<>(ends);
        within.values().removeIf(end -> end.plusMonths(s.reboundMonths()).isAfter(lastMonth));
        if (within.isEmpty()) {
            notes.add("window rebound (to " + ends.values().stream().max(YearMonth::compareTo).orElseThrow()
                    .plusMonths(s.reboundMonths()) + ") goes past the data (" + lastMonth + "): left out");
            return Optional.empty();
        }
        if (within.size() < ends.size()) {
            notes.add("window rebound: " + (ends.size() - within.size()) + " of " + ends.size()
                    + " prescribers' windows go past the data (" + lastMonth + "): left out of it");
        }
        return Optional.of(new Period("rebound", -s.beforeMonths(), -1, 1, s.reboundMonths(), within));
    }

    /**
     * Unit outcomes of treated and (repeated, with replacement) matched controls for one measure
     * and window, and the fewest patients behind the numerator of its four group × period means.
     */
    private record Group(List<DifferenceInDifferences.UnitOutcome> units, long fewestPatients) {
        DifferenceInDifferences.Result did(BootstrapSettings boot) {
            if (treatedCount() == 0 || units.stream().noneMatch(u -> !u.treated())) {
                return null;
            }
            return DifferenceInDifferences.fromUnits(units, boot.replicates(), boot.seed(), boot.level());
        }

        double mean(boolean treated, boolean before) {
            return units.stream().filter(u -> u.treated() == treated)
                    .mapToDouble(u -> before ? u.before() : u.after()).average().orElse(Double.NaN);
        }

        int treatedCount() {
            return (int) units.stream().filter(DifferenceInDifferences.UnitOutcome::treated).count();
        }

        int controlCount() {
            Set<String> ids = new TreeSet<>();
            units.stream().filter(u -> !u.treated()).forEach(u -> ids.add(u.unit().substring(0, u.unit().indexOf('#'))));
            return ids.size();
        }
    }

    /** Patients behind a group × period mean: each prescriber-month counted once (a control may serve two treated). */
    private static final class Cell {
        private final Set<String> seen = new TreeSet<>();
        private long patients;

        void add(PrescriberPanel.Series s, List<YearMonth> months, CampaignMeasure measure, YearMonth anchor) {
            for (YearMonth m : months) {
                if (seen.add(s.prescriber() + "|" + m + "|" + anchor)) {
                    patients += measure.patients(s, m, anchor);
                }
            }
        }
    }

    /**
     * The matched sets of one window: each treated prescriber over its own before and after months
     * (from its anchor), its controls over the same months; a pair whose after months go past the
     * data is left out.
     */
    private static Group group(List<Matching.Pair> pairs, Map<String, YearMonth> anchors,
                               Map<String, PrescriberPanel.Series> panel, CampaignMeasure measure, Period period,
                               YearMonth lastMonth) {
        List<DifferenceInDifferences.UnitOutcome> units = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        Cell[] cells = {new Cell(), new Cell(), new Cell(), new Cell()};
        int block = period.afterMonths();
        for (Matching.Pair p : pairs) {
            YearMonth anchor = anchors.get(p.treated());
            List<YearMonth> before = period.before(anchor);
            List<YearMonth> after = period.after(anchor, p.treated());
            if (after.isEmpty() || after.get(after.size() - 1).isAfter(lastMonth)) {
                continue;
            }
            PrescriberPanel.Series t = panel.get(p.treated());
            PrescriberPanel.Series c = panel.get(p.control());
            double tb = measure.value(t, before, block, anchor);
            double ta = measure.value(t, after, block, anchor);
            double cb = measure.value(c, before, block, anchor);
            double ca = measure.value(c, after, block, anchor);
            // A pair counts only when both sides have the measure in both periods (e.g. some IJ for days per IJ patient).
            if (!(Double.isFinite(tb) && Double.isFinite(ta) && Double.isFinite(cb) && Double.isFinite(ca))) {
                continue;
            }
            if (seen.add(p.treated())) {
                units.add(new DifferenceInDifferences.UnitOutcome(p.treated(), true, tb, ta));
                cells[0].add(t, before, measure, anchor);
                cells[1].add(t, after, measure, anchor);
            }
            units.add(new DifferenceInDifferences.UnitOutcome(p.control() + "#" + p.treated(), false, cb, ca));
            cells[2].add(c, before, measure, anchor);
            cells[3].add(c, after, measure, anchor);
        }
        long fewest = units.isEmpty() ? Long.MAX_VALUE : Arrays.stream(cells).mapToLong(x -> x.patients).min().orElseThrow();
        return new Group(units, fewest);
    }

    /**
     * Balance of each covariate: the eligible treated prescribers (at their own contact month)
     * against all never-contacted candidates (at every contact month), before matching, and the
     * matched treated against their controls (at the treated prescriber's month), after.
     */
    private static List<Balance> balance(Matched m) {
        List<Balance> out = new ArrayList<>();
        Set<String> matched = new TreeSet<>();
        m.pairs().forEach(p -> matched.add(p.treated()));
        for (int k = 0; k < COVARIATES.size(); k++) {
            int kk = k;
            double[] t = m.treated().stream().mapToDouble(u -> u.covariate(kk)).toArray();
            double[] all = m.units().values().stream().flatMap(at -> at.values().stream())
                    .filter(u -> m.pool().contains(u.id())).mapToDouble(u -> u.covariate(kk)).toArray();
            double[] mt = m.treated().stream().filter(u -> matched.contains(u.id())).mapToDouble(u -> u.covariate(kk)).toArray();
            double[] mc = m.pairs().stream().map(p -> m.units().get(m.anchors().get(p.treated())).get(p.control()))
                    .mapToDouble(u -> u.covariate(kk)).toArray();
            // Both differences on the SD before matching: the "after" one measures the means brought together.
            double sd = DifferenceInDifferences.pooledSd(t, all);
            out.add(new Balance(COVARIATES.get(k), mean(t), mean(all), mean(mc),
                    DifferenceInDifferences.standardisedMeanDifference(t, all, sd),
                    DifferenceInDifferences.standardisedMeanDifference(mt, mc, sd)));
        }
        return List.copyOf(out);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return x.length > 0 ? s / x.length : Double.NaN;
    }

    /**
     * Avoided IJ days of the matched treated prescribers over each after window: −Δ(own IJ days
     * per base patient-month) × their base patient-months over their own after months, less the
     * circumvention (Δ of others' IJ days per cohort patient-month × their cohort patient-months);
     * euros at the treated prescribers' mean IJ cost per day over their pre-periods.
     */
    private static List<Savings> savings(List<Period> periods, Map<String, Map<CampaignMeasure, DifferenceInDifferences.Result>> byWindow,
                                         List<CampaignContact> contacts, Set<String> matchedTreated, Map<String, YearMonth> anchors,
                                         Map<String, PrescriberPanel.Series> panel, CampaignSettings s, YearMonth lastMonth) {
        Period pre = new Period("pre", -s.beforeMonths(), -1, -s.beforeMonths(), -1);
        double amount = 0;
        double days = 0;
        for (String id : matchedTreated) {
            for (YearMonth m : pre.before(anchors.get(id))) {
                amount += panel.get(id).month(m).ijAmount();
                days += panel.get(id).month(m).ijDays();
            }
        }
        double eurosPerDay = days > 0 ? amount / days : Double.NaN;
        List<CampaignContact> matchedContacts = contacts.stream().filter(c -> matchedTreated.contains(c.prescriber())).toList();
        double staffDays = matchedContacts.stream().mapToDouble(c -> s.daysPerContact().get(c.action())).sum();
        List<Savings> out = new ArrayList<>();
        for (Period p : periods) {
            if (p.afterFirst() < 0 || !p.anchors().isEmpty()) {
                continue;
            }
            DifferenceInDifferences.Result own = byWindow.get(p.label()).get(CampaignMeasure.IJ_DAYS_PER_PATIENT);
            DifferenceInDifferences.Result other = byWindow.get(p.label()).get(CampaignMeasure.OTHER_IJ_DAYS_PER_PATIENT);
            double baseMonths = 0;
            double cohortMonths = 0;
            for (String id : matchedTreated) {
                YearMonth a = anchors.get(id);
                List<YearMonth> after = p.after(a);
                if (after.get(after.size() - 1).isAfter(lastMonth)) {
                    continue;
                }
                for (YearMonth m : after) {
                    baseMonths += panel.get(id).month(m).base();
                }
                cohortMonths += panel.get(id).cohort(a).size() * (double) p.afterMonths();
            }
            double avoided = own == null ? Double.NaN : -own.estimate().effect() * baseMonths;
            double circumvented = other == null ? 0 : other.estimate().effect() * cohortMonths;
            double net = avoided - circumvented;
            out.add(new Savings(p.label(), matchedContacts.size(), staffDays, avoided, circumvented, net, eurosPerDay,
                    net * eurosPerDay));
        }
        return List.copyOf(out);
    }
}
