package fr.atypie.campaigns;

import fr.atypie.errors.InputError;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * and the cost side. Pure driver-side arithmetic over the collected {@link PrescriberPanel}.
 */
public final class CampaignEvaluation {
    static final String LEVEL = "pre_level";
    static final String TREND = "pre_trend";

    private CampaignEvaluation() {}

    /**
     * Before and after months of one evaluated window, relative to M0. A rebound window has
     * {@code anchors}: each treated prescriber's own procedure end, from which its after months
     * count (its matched controls take the same months); treated prescribers without one are left out.
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

        /** After months of the pair of this treated prescriber; empty when the window does not apply to it. */
        List<YearMonth> after(YearMonth m0, String treated) {
            if (anchors.isEmpty()) {
                return after(m0);
            }
            YearMonth own = anchors.get(treated);
            return own == null ? List.of() : months(own, afterFirst, afterLast);
        }

        /** The last month the window reads. */
        YearMonth lastAfter(YearMonth m0) {
            return anchors.values().stream().max(YearMonth::compareTo).orElse(m0).plusMonths(afterLast);
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
                         long patients) {}

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

    /**
     * The data of the in-time placebo: the first month of the extract and the panel around the
     * shifted M0 (cohort in shifted M0 − 1, months up to M0 − 1); empty when the extract is too short.
     */
    public record TimePlaceboData(YearMonth dataFirst, Map<String, PrescriberPanel.Series> panel) {}

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

    public record Result(String campaign, YearMonth m0, List<Effect> effects, List<Balance> balance,
                         List<Matching.Pair> pairs, List<ContactCost> contacts, List<Savings> savings,
                         int contacted, int eligibleTreated, int candidates, List<String> notes, YearMonth placeboM0) {}

    /** How the bootstrap runs (atypie.methods.bootstrap). */
    public record BootstrapSettings(int replicates, long seed, double level) {}

    /** {@link #evaluate(String, CampaignHistory, Map, YearMonth, CampaignSettings, BootstrapSettings, Optional)} without the in-time placebo. */
    public static Result evaluate(String campaign, CampaignHistory history, Map<String, PrescriberPanel.Series> panel,
                                  YearMonth lastMonth, CampaignSettings s, BootstrapSettings boot) {
        return evaluate(campaign, history, panel, lastMonth, s, boot, Optional.empty());
    }

    /**
     * @param panel      prescriber × month panel covering the pre-period and the windows
     * @param history    all contacts: the campaign's ones are the treated, anyone listed is never a control
     * @param lastMonth  last month with data: windows ending later are left out (noted)
     * @param timePlacebo data of the in-time placebo (M0 − placebo-shift-months); empty: not computed
     */
    public static Result evaluate(String campaign, CampaignHistory history, Map<String, PrescriberPanel.Series> panel,
                                  YearMonth lastMonth, CampaignSettings s, BootstrapSettings boot,
                                  Optional<TimePlaceboData> timePlacebo) {
        List<CampaignContact> contacts = contactsOf(campaign, history);
        YearMonth m0 = m0(contacts);
        List<String> notes = new ArrayList<>();
        List<Period> periods = periods(contacts, m0, s, lastMonth, notes);
        Period pre = new Period("pre", -s.beforeMonths(), -1, -s.beforeMonths(), -1);

        Set<String> contacted = new TreeSet<>();
        contacts.forEach(c -> contacted.add(c.prescriber()));
        Set<String> everContacted = new TreeSet<>();
        history.contacts().forEach(c -> everContacted.add(c.prescriber()));

        Matched matched = match(panel, m0, contacted, everContacted, s);
        List<Matching.Unit> treated = matched.treated();
        List<Matching.Unit> pool = matched.pool();
        List<Matching.Pair> pairs = matched.pairs();
        if (treated.isEmpty()) {
            throw new InputError("campaign " + campaign + ": none of its " + contacted.size() + " prescribers has a pre-period "
                    + "base of at least " + s.minBasePatients() + " working-age patients in the extract (" + m0.minusMonths(s.beforeMonths())
                    + " to " + m0.minusMonths(1) + ")");
        }
        if (pool.isEmpty()) {
            throw new InputError("campaign " + campaign + ": no never-contacted prescriber is eligible as a control");
        }
        Set<String> matchedTreated = new TreeSet<>();
        pairs.forEach(p -> matchedTreated.add(p.treated()));
        if (pairs.isEmpty()) {
            throw new InputError("campaign " + campaign + ": no control within the caliper (" + s.caliper()
                    + " SD) of any of the " + treated.size() + " treated prescribers; widen atypie.campaigns.caliper");
        }
        if (matchedTreated.size() < treated.size()) {
            notes.add((treated.size() - matchedTreated.size()) + " of " + treated.size()
                    + " treated prescribers had no control within the caliper and are left out");
        }

        // Placebo: as many random never-contacted prescribers as matched treated, matched among the others.
        List<Matching.Unit> shuffled = new ArrayList<>(pool);
        SplittableRandom random = new SplittableRandom(s.placeboSeed());
        for (int i = shuffled.size() - 1; i > 0; i--) {
            Collections.swap(shuffled, i, random.nextInt(i + 1));
        }
        List<Matching.Unit> fakeTreated = shuffled.subList(0, Math.min(matchedTreated.size(), shuffled.size() / 2));
        Set<String> fakeIds = new TreeSet<>();
        fakeTreated.forEach(u -> fakeIds.add(u.id()));
        List<Matching.Pair> placeboPairs = Matching.nearest(fakeTreated,
                pool.stream().filter(u -> !fakeIds.contains(u.id())).toList(), matched.sdLevel(), matched.sdTrend(),
                s.neighbours(), s.caliper());

        YearMonth placeboM0 = m0.minusMonths(s.placeboShiftMonths());
        Map<String, TimeCell> inTime = timePlacebo(placeboM0, m0, contacted, everContacted, timePlacebo, s, boot, notes);

        List<Effect> effects = new ArrayList<>();
        Map<String, Map<CampaignMeasure, DifferenceInDifferences.Result>> byWindow = new LinkedHashMap<>();
        for (Period period : periods) {
            Map<CampaignMeasure, DifferenceInDifferences.Result> results = new EnumMap<>(CampaignMeasure.class);
            for (CampaignMeasure measure : CampaignMeasure.values()) {
                Group real = group(pairs, panel, measure, period, m0);
                Group placebo = group(placeboPairs, panel, measure, period, m0);
                DifferenceInDifferences.Result r = real.did(boot);
                DifferenceInDifferences.Result pr = placebo.did(boot);
                TimeCell t = inTime.getOrDefault(period.label() + "|" + measure.code(),
                        new TimeCell(TimePlaceboStatus.PROCEDURE_WINDOW, null, Long.MAX_VALUE));
                results.put(measure, r);
                effects.add(new Effect(measure, period.label(),
                        real.mean(true, true), real.mean(true, false), real.mean(false, true), real.mean(false, false),
                        effect(r), lower(r), upper(r), real.treatedCount(), real.controlCount(),
                        effect(pr), lower(pr), upper(pr), effect(t.result()), lower(t.result()), upper(t.result()), t.status(),
                        Math.min(Math.min(real.fewestPatients(), placebo.fewestPatients()), t.patients())));
            }
            byWindow.put(period.label(), results);
        }

        List<Balance> balance = balance(treated, pool, pairs, matched.units());
        List<ContactCost> costs = new ArrayList<>();
        Map<CampaignContact.Action, Integer> byAction = new EnumMap<>(CampaignContact.Action.class);
        contacts.forEach(c -> byAction.merge(c.action(), 1, Integer::sum));
        byAction.forEach((a, n) -> costs.add(new ContactCost(a, n, s.daysPerContact().get(a), n * s.daysPerContact().get(a))));
        List<Savings> savings = savings(periods, byWindow, contacts, matchedTreated, panel, m0, s, pre);
        return new Result(campaign, m0, List.copyOf(effects), balance, pairs, List.copyOf(costs), savings,
                contacted.size(), treated.size(), pool.size(), List.copyOf(notes), placeboM0);
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

    /** Eligible prescribers as matching units, the treated and the never-contacted among them, and the pairs. */
    private record Matched(Map<String, Matching.Unit> units, List<Matching.Unit> treated, List<Matching.Unit> pool,
                           List<Matching.Pair> pairs, double sdLevel, double sdTrend) {}

    /** Eligibility on the pre-period before {@code m0}, then nearest-neighbour matching of the contacted. */
    private static Matched match(Map<String, PrescriberPanel.Series> panel, YearMonth m0, Set<String> contacted,
                                 Set<String> everContacted, CampaignSettings s) {
        List<YearMonth> before = new Period("pre", -s.beforeMonths(), -1, -s.beforeMonths(), -1).before(m0);
        Map<String, Matching.Unit> units = new TreeMap<>();
        for (PrescriberPanel.Series p : panel.values()) {
            double meanBase = before.stream().mapToLong(m -> p.month(m).base()).average().orElse(0);
            if (meanBase < s.minBasePatients()) {
                continue;
            }
            double[] monthly = before.stream()
                    .mapToDouble(m -> CampaignMeasure.IJ_PATIENT_SHARE.value(p, List.of(m))).toArray();
            double level = CampaignMeasure.IJ_PATIENT_SHARE.value(p, before);
            double trend = Matching.slope(monthly);
            if (Double.isFinite(level) && Double.isFinite(trend)) {
                units.put(p.prescriber(), new Matching.Unit(p.prescriber(),
                        p.specialtyGroup() + "|" + (s.byRegion() ? "region" : p.dept()), level, trend));
            }
        }
        List<Matching.Unit> treated = units.values().stream().filter(u -> contacted.contains(u.id())).toList();
        List<Matching.Unit> pool = units.values().stream().filter(u -> !everContacted.contains(u.id())).toList();
        double sdLevel = Matching.scale(concat(treated, pool, true));
        double sdTrend = Matching.scale(concat(treated, pool, false));
        List<Matching.Pair> pairs = treated.isEmpty() || pool.isEmpty() ? List.of()
                : Matching.nearest(treated, pool, sdLevel, sdTrend, s.neighbours(), s.caliper());
        return new Matched(units, treated, pool, pairs, sdLevel, sdTrend);
    }

    /** One in-time placebo estimate (null result when not estimated) and the fewest patients behind it. */
    private record TimeCell(TimePlaceboStatus status, DifferenceInDifferences.Result result, long patients) {}

    /**
     * In-time placebo: the campaign's prescribers evaluated as if contacted at {@code fakeM0} =
     * M0 − placebo-shift-months, re-matched on the pre-period of the fake M0, over the after
     * windows that end before the real M0. Nothing happened at the fake M0: Δ should be 0. Keyed
     * by window label and measure code; windows it cannot cover get a status and a note, never an error.
     */
    private static Map<String, TimeCell> timePlacebo(YearMonth fakeM0, YearMonth m0, Set<String> contacted,
                                                     Set<String> everContacted, Optional<TimePlaceboData> data,
                                                     CampaignSettings s, BootstrapSettings boot, List<String> notes) {
        Map<String, TimeCell> out = new TreeMap<>();
        List<CampaignSettings.Window> usable = new ArrayList<>();
        for (CampaignSettings.Window w : s.afterWindows()) {
            if (fakeM0.plusMonths(w.last()).isBefore(m0)) {
                usable.add(w);
            } else if (data.isPresent()) {
                notes.add("in-time placebo: window " + w.label() + " after " + fakeM0 + " reaches the real M0 " + m0 + ": left out");
            }
        }
        TimePlaceboStatus shared = null;
        Matched matched = null;
        YearMonth needed = fakeM0.minusMonths(s.beforeMonths());
        if (data.isEmpty()) {
            shared = TimePlaceboStatus.NOT_COMPUTED;
        } else if (usable.isEmpty()) {
            shared = TimePlaceboStatus.REACHES_M0;
        } else if (needed.isBefore(data.get().dataFirst())) {
            shared = TimePlaceboStatus.TOO_FEW_MONTHS;
            notes.add("in-time placebo (M0 moved back to " + fakeM0 + ") not computed: its pre-period starts in " + needed
                    + " but the extract starts in " + data.get().dataFirst());
        } else {
            matched = match(data.get().panel(), fakeM0, contacted, everContacted, s);
            if (matched.pairs().isEmpty()) {
                shared = TimePlaceboStatus.NO_MATCH;
                notes.add("in-time placebo (M0 moved back to " + fakeM0 + ") not computed: " + (matched.treated().isEmpty()
                        ? "no prescriber of the campaign is eligible on its pre-period"
                        : "no control within the caliper at that M0"));
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
                    Group g = group(matched.pairs(), data.get().panel(), measure, period, fakeM0);
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

    /** The months the panel must cover: the pre-period to the end of the last window. */
    public static YearMonth[] panelRange(String campaign, CampaignHistory history, CampaignSettings s) {
        List<CampaignContact> contacts = contactsOf(campaign, history);
        YearMonth m0 = m0(contacts);
        List<Period> periods = periods(contacts, m0, s, YearMonth.of(9999, 12), new ArrayList<>());
        YearMonth last = periods.stream().map(p -> p.lastAfter(m0)).max(YearMonth::compareTo).orElse(m0);
        return new YearMonth[] {m0.minusMonths(s.beforeMonths()), last};
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
        List<Period> kept = new ArrayList<>();
        for (Period p : periods) {
            if (m0.plusMonths(p.afterLast()).isAfter(lastMonth)) {
                notes.add("window " + p.label() + " (to " + m0.plusMonths(p.afterLast()) + ") goes past the data (" + lastMonth + "): left out");
            } else {
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

        void add(PrescriberPanel.Series s, List<YearMonth> months, CampaignMeasure measure) {
            for (YearMonth m : months) {
                if (seen.add(s.prescriber() + "|" + m)) {
                    patients += measure.patients(s.month(m));
                }
            }
        }
    }

    private static Group group(List<Matching.Pair> pairs, Map<String, PrescriberPanel.Series> panel,
                               CampaignMeasure measure, Period period, YearMonth m0) {
        List<DifferenceInDifferences.UnitOutcome> units = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        Cell[] cells = {new Cell(), new Cell(), new Cell(), new Cell()};
        List<YearMonth> before = period.before(m0);
        for (Matching.Pair p : pairs) {
            List<YearMonth> after = period.after(m0, p.treated());
            if (after.isEmpty()) {
                continue;
            }
            PrescriberPanel.Series t = panel.get(p.treated());
            PrescriberPanel.Series c = panel.get(p.control());
            double tb = measure.value(t, before);
            double ta = measure.value(t, after);
            double cb = measure.value(c, before);
            double ca = measure.value(c, after);
            // A pair counts only when both sides have the measure in both periods (e.g. some IJ for days per IJ patient).
            if (!(Double.isFinite(tb) && Double.isFinite(ta) && Double.isFinite(cb) && Double.isFinite(ca))) {
                continue;
            }
            if (seen.add(p.treated())) {
                units.add(new DifferenceInDifferences.UnitOutcome(p.treated(), true, tb, ta));
                cells[0].add(t, before, measure);
                cells[1].add(t, after, measure);
            }
            units.add(new DifferenceInDifferences.UnitOutcome(p.control() + "#" + p.treated(), false, cb, ca));
            cells[2].add(c, before, measure);
            cells[3].add(c, after, measure);
        }
        long fewest = units.isEmpty() ? Long.MAX_VALUE : Arrays.stream(cells).mapToLong(x -> x.patients).min().orElseThrow();
        return new Group(units, fewest);
    }

    private static double[] concat(List<Matching.Unit> a, List<Matching.Unit> b, boolean level) {
        return java.util.stream.Stream.concat(a.stream(), b.stream())
                .mapToDouble(u -> level ? u.level() : u.trend()).toArray();
    }

    private static List<Balance> balance(List<Matching.Unit> treated, List<Matching.Unit> pool, List<Matching.Pair> pairs,
                                         Map<String, Matching.Unit> units) {
        List<Balance> out = new ArrayList<>();
        for (boolean level : new boolean[] {true, false}) {
            double[] t = treated.stream().mapToDouble(u -> level ? u.level() : u.trend()).toArray();
            double[] all = pool.stream().mapToDouble(u -> level ? u.level() : u.trend()).toArray();
            Set<String> matched = new TreeSet<>();
            pairs.forEach(p -> matched.add(p.treated()));
            double[] mt = treated.stream().filter(u -> matched.contains(u.id()))
                    .mapToDouble(u -> level ? u.level() : u.trend()).toArray();
            double[] mc = pairs.stream().map(p -> units.get(p.control()))
                    .mapToDouble(u -> level ? u.level() : u.trend()).toArray();
            out.add(new Balance(level ? LEVEL : TREND, mean(t), mean(all), mean(mc),
                    DifferenceInDifferences.standardisedMeanDifference(t, all),
                    DifferenceInDifferences.standardisedMeanDifference(mt, mc)));
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
     * per base patient-month) × their base patient-months, less the circumvention (Δ of others'
     * IJ days per cohort patient-month × their cohort patient-months); euros at the treated
     * prescribers' mean IJ cost per day over the pre-period.
     */
    private static List<Savings> savings(List<Period> periods, Map<String, Map<CampaignMeasure, DifferenceInDifferences.Result>> byWindow,
                                         List<CampaignContact> contacts, Set<String> matchedTreated,
                                         Map<String, PrescriberPanel.Series> panel, YearMonth m0, CampaignSettings s, Period pre) {
        double amount = 0;
        double days = 0;
        for (String id : matchedTreated) {
            for (YearMonth m : pre.before(m0)) {
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
                for (YearMonth m : p.after(m0)) {
                    baseMonths += panel.get(id).month(m).base();
                }
                cohortMonths += panel.get(id).cohort() * (double) p.afterMonths();
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
