package fr.atypie.procedure;

import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.procedure.Contact.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.util.Optional;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * One month of the procedure for every prescriber concerned: the previous month's states (carried
 * in the restricted working area, {@code WORK/state/procedure/YYYY-MM.tsv}), the month's legal
 * criterion and the contact store give the month's states. Prescribers concerned: those under a
 * step last month, those meeting the criterion, and those with a contact recorded this month.
 */
public final class ProcedureTracking {
    /** The theme whose legal criterion the job computes (art. L162-1-15 also covers transports: not yet). */
    public static final String SICK_LEAVE = "sick-leave";

    private ProcedureTracking() {}

    /** One month of the procedure: the criterion's readings, those meeting it, last month's states and this month's. */
    public record Month(List<LegalCriterion.Reading> readings, Map<String, LegalCriterion.Reading> met,
                        Map<String, ProcedureState> previous, List<ProcedureState> states) {}

    /**
     * The month's sick-leave procedure as the refresh runs it: the legal criterion on the month's
     * 12-month volumes, last month's states read from {@code work}, the month's states written there
     * for the next month. A month re-run reads the same previous states and gives the same ones.
     *
     * @param contacts the contact store as the teams keep it (with the campaign history's lines)
     */
    public static Month run(Path work, YearMonth month, List<LegalCriterion.PrescriberVolume> volumes, ContactStore contacts,
                            ProcedureSettings settings) throws IOException {
        return run(Store.local(work), month, volumes, contacts, settings);
    }

    /** As above, the working area on any file system ({@code hdfs://...}). */
    public static Month run(Store work, YearMonth month, List<LegalCriterion.PrescriberVolume> volumes, ContactStore contacts,
                            ProcedureSettings settings) throws IOException {
        List<LegalCriterion.Reading> readings = LegalCriterion.compare(volumes, settings.criterion());
        Map<String, LegalCriterion.Reading> met = LegalCriterion.met(readings);
        Map<String, ProcedureState> previous = ofTheme(read(stateFile(work, month.minusMonths(1))), SICK_LEAVE);
        Map<String, Double> ijDays = new TreeMap<>();
        volumes.forEach(v -> ijDays.put(v.prescriber(), v.ijDays()));
        List<ProcedureState> states = advance(previous, month, SICK_LEAVE, met.keySet(), ijDays, contacts, settings.steps());
        write(stateFile(work, month), states);
        return new Month(readings, met, previous, states);
    }

    /**
     * @param previous states of the month before, by prescriber (one theme)
     * @param met      prescribers meeting the legal criterion this month
     * @param ijDays   12-month IJ days prescribed, by prescriber (MSO objectives)
     * @return the month's states, by prescriber; NONE rows only when they changed or meet the criterion
     */
    public static List<ProcedureState> advance(Map<String, ProcedureState> previous, YearMonth month, String theme,
                                               Set<String> met, Map<String, Double> ijDays, ContactStore contacts,
                                               ProcedureSettings.Steps steps) {
        TreeSet<String> concerned = new TreeSet<>(met);
        previous.values().stream().filter(s -> s.step() != ProcedureStep.NONE).forEach(s -> concerned.add(s.prescriber()));
        contacts.contacts().stream().filter(c -> c.theme().equals(theme) && c.month().equals(month) && c.outcome().happened())
                .forEach(c -> concerned.add(c.prescriber()));
        List<ProcedureState> out = new ArrayList<>();
        for (String p : concerned) {
            ProcedureState prev = previous.getOrDefault(p, ProcedureState.none(p, theme, month.minusMonths(1)));
            ProcedureState st = ProcedureMachine.next(prev, month,
                    new ProcedureMachine.MonthInput(met.contains(p), ijDays.get(p), contacts.of(p, theme, month)), steps);
            if (st.step() != ProcedureStep.NONE || st.changed() || st.criterion()) {
                out.add(st);
            }
        }
        return out;
    }

    /**
     * Lines the teams must fill in, once: an EC in the month the criterion is first found persisting
     * after a DAM visit, an MSO in the month it is proposed.
     *
     * @param previous the states of the month before, by prescriber
     */
    public static List<Contact> proposals(List<ProcedureState> states, Map<String, ProcedureState> previous, YearMonth month) {
        List<Contact> out = new ArrayList<>();
        for (ProcedureState s : states) {
            ProcedureState prev = previous.get(s.prescriber());
            boolean newlyPersisted = prev == null || prev.step() != ProcedureStep.DAM || !prev.persisted();
            if (s.step() == ProcedureStep.DAM && s.persisted() && newlyPersisted) {
                out.add(new Contact(s.prescriber(), s.theme(), Action.EC, month, Outcome.PROPOSED, "procédure " + month));
            } else if (s.step() == ProcedureStep.MSO && s.changed()) {
                out.add(new Contact(s.prescriber(), s.theme(), Action.MSO, month, Outcome.PROPOSED, "procédure " + month));
            }
        }
        return out;
    }

    // The carried state: tab-separated (reasons hold ';'), one line per prescriber under a step.
    private static final String HEADER = String.join("\t", "prescriber_id", "theme", "month", "step", "since", "until",
            "criterion", "persisted", "ij_days", "objective", "changed", "improved", "reason", "next_step");

    /** The contact store of a working area. */
    public static Path contactStore(Path work) {
        return work.resolve("state").resolve("contacts.csv");
    }

    /** As {@link #contactStore(Path)}, on any file system. */
    public static Store contactStore(Store work) {
        return work.child("state").child("contacts.csv");
    }

    public static Path stateFile(Path work, YearMonth month) {
        return work.resolve("state").resolve("procedure").resolve(month + ".tsv");
    }

    public static Store stateFile(Store work, YearMonth month) {
        return work.child("state").child("procedure").child(month + ".tsv");
    }

    public static void write(Path file, List<ProcedureState> states) throws IOException {
        write(Store.local(file), states);
    }

    /** Written aside then renamed: a reader never sees half a file. */
    public static void write(Store file, List<ProcedureState> states) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (ProcedureState s : states) {
            if (s.step() == ProcedureStep.NONE) {
                continue;
            }
            sb.append(String.join("\t", s.prescriber(), s.theme(), s.month().toString(), s.step().name(),
                    s.since().map(YearMonth::toString).orElse(""), s.until().map(YearMonth::toString).orElse(""),
                    Boolean.toString(s.criterion()), Boolean.toString(s.persisted()), num(s.ijDays()), num(s.objective()),
                    Boolean.toString(s.changed()), Boolean.toString(s.improved()), clean(s.reason()), clean(s.nextStep())))
                    .append('\n');
        }
        file.replaceFileText(sb.toString());
    }

    /** The states written for a month, by prescriber and theme ("P1|sick-leave"); empty when none were. */
    public static Map<String, ProcedureState> read(Path file) throws IOException {
        return read(Store.local(file));
    }

    public static Map<String, ProcedureState> read(Store file) throws IOException {
        Map<String, ProcedureState> out = new TreeMap<>();
        Optional<String> text = file.readFileText();
        if (text.isEmpty()) {
            return out;
        }
        List<String> lines = text.get().lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new fr.atypie.errors.InputError("procedure state " + file.shown() + ": unexpected header (written by another version?)");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            ProcedureState s = new ProcedureState(f[0], f[1], YearMonth.parse(f[2]), ProcedureStep.valueOf(f[3]),
                    month(f[4]), month(f[5]), Boolean.parseBoolean(f[6]), Boolean.parseBoolean(f[7]), dbl(f[8]), dbl(f[9]),
                    Boolean.parseBoolean(f[10]), Boolean.parseBoolean(f[11]), f[12], f[13]);
            out.put(s.prescriber() + "|" + s.theme(), s);
        }
        return out;
    }

    /** The states of one theme, by prescriber. */
    public static Map<String, ProcedureState> ofTheme(Map<String, ProcedureState> states, String theme) {
        Map<String, ProcedureState> out = new TreeMap<>();
        states.values().stream().filter(s -> s.theme().equals(theme)).forEach(s -> out.put(s.prescriber(), s));
        return out;
    }

    private static Optional<YearMonth> month(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(YearMonth.parse(s));
    }

    private static String num(Double d) {
        return d == null ? "" : Double.toString(d);
    }

    private static Double dbl(String s) {
        return s.isEmpty() ? null : Double.valueOf(s);
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
