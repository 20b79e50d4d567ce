package fr.atypie.procedure;

import fr.atypie.campaigns.CampaignContact;
import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.errors.InputError;
import fr.atypie.procedure.Contact.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.util.Optional;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Contacts and their outcomes, per prescriber, theme and action: the procedure's memory. Each
 * refresh adds the month's action lists (within capacity) as {@link Outcome#PROPOSED} lines; the
 * teams then set the outcome (DONE, REFUSED, and for an MSO OBJECTIVE_MET or OBJECTIVE_NOT_MET),
 * correct the month to the month of the contact, or add lines. File: {@code ;}-separated UTF-8
 * with the header {@link #HEADER}, in the restricted working area ({@code WORK/state/contacts.csv}).
 */
public record ContactStore(List<Contact> contacts) {
    public static final List<String> HEADER = List.of("prescriber_id", "theme", "action", "month", "outcome", "source");

    public static ContactStore empty() {
        return new ContactStore(List.of());
    }

    /** The store at {@code csv}; empty when the file does not exist yet. */
    public static ContactStore read(Path csv) {
        return read(Store.local(csv));
    }

    /** As {@link #read(Path)}, on any file system ({@code hdfs://...}). */
    public static ContactStore read(Store file) {
        String csv = file.shown();
        List<String> lines;
        try {
            Optional<String> text = file.readFileText();
            if (text.isEmpty()) {
                return empty();
            }
            lines = text.get().lines().toList();
        } catch (IOException e) {
            throw new InputError("contact store " + csv + " cannot be read: " + e.getMessage());
        }
        List<String> header = lines.isEmpty() ? List.of()
                : Arrays.stream(lines.get(0).replace("\uFEFF", "").split(";", -1)).map(String::trim).toList();
        if (!header.equals(HEADER)) {
            throw new InputError("contact store " + csv + ": header " + header + " is not " + HEADER);
        }
        List<Contact> contacts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(";", -1);
            try {
                if (f.length != HEADER.size()) {
                    throw new IllegalArgumentException(f.length + " fields instead of " + HEADER.size());
                }
                if (f[0].isBlank() || f[1].isBlank()) {
                    throw new IllegalArgumentException("empty prescriber_id or theme");
                }
                contacts.add(new Contact(f[0].trim(), f[1].trim(), Action.valueOf(f[2].trim().toUpperCase(Locale.ROOT)),
                        YearMonth.parse(f[3].trim()), Outcome.valueOf(f[4].trim().toUpperCase(Locale.ROOT)), f[5].trim()));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                errors.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputError("contact store " + csv + ": " + errors.size() + " bad line(s) of " + (lines.size() - 1)
                    + " (action one of " + Arrays.toString(Action.values()) + ", outcome one of "
                    + Arrays.toString(Outcome.values()) + ", month YYYY-MM): "
                    + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
        }
        return new ContactStore(List.copyOf(contacts));
    }

    /** Written aside then renamed (a reader never sees half a store), lines sorted. */
    public void write(Path csv) throws IOException {
        write(Store.local(csv));
    }

    /** As {@link #write(Path)}, on any file system. */
    public void write(Store csv) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(";", HEADER)).append('\n');
        for (Contact c : sorted()) {
            sb.append(String.join(";", c.prescriber(), c.theme(), c.action().name(), c.month().toString(),
                    c.outcome().name(), c.source().replace(';', ','))).append('\n');
        }
        csv.replaceFileText(sb.toString());
    }

    private List<Contact> sorted() {
        return contacts.stream().sorted(Comparator.comparing(Contact::month).thenComparing(Contact::prescriber)
                .thenComparing(Contact::theme).thenComparing(Contact::action).thenComparing(Contact::outcome)
                .thenComparing(Contact::source)).toList();
    }

    /**
     * The store with {@code proposals} added, except those whose prescriber, theme and action already
     * have a line in the same month (so a month re-run adds nothing, and a team's outcome is kept).
     */
    public ContactStore withProposals(List<Contact> proposals) {
        Set<String> known = new LinkedHashSet<>();
        contacts.forEach(c -> known.add(key(c)));
        List<Contact> all = new ArrayList<>(contacts);
        for (Contact p : proposals) {
            if (known.add(key(p))) {
                all.add(p);
            }
        }
        return new ContactStore(List.copyOf(all));
    }

    /**
     * The campaign history's contacts as store lines (month = start): outcome "refus…" → REFUSED,
     * "objectif atteint" / "objectif non atteint" → the MSO outcomes, anything else → DONE. The
     * history is read by {@link CampaignHistory}; this only maps its lines.
     */
    public ContactStore withHistory(CampaignHistory history) {
        List<Contact> lines = new ArrayList<>();
        for (CampaignContact c : history.contacts()) {
            String o = c.outcome().toLowerCase(Locale.ROOT);
            Outcome outcome = o.startsWith("refus") ? Outcome.REFUSED
                    : o.contains("objectif non atteint") ? Outcome.OBJECTIVE_NOT_MET
                    : o.contains("objectif atteint") ? Outcome.OBJECTIVE_MET : Outcome.DONE;
            lines.add(new Contact(c.prescriber(), c.theme(), c.action(), c.start(), outcome, "historique " + c.campaign()));
        }
        List<Contact> all = new ArrayList<>(contacts);
        all.addAll(lines);
        return new ContactStore(List.copyOf(all));
    }

    /** Lines of one prescriber and theme in {@code month}. */
    public List<Contact> of(String prescriber, String theme, YearMonth month) {
        return contacts.stream().filter(c -> c.prescriber().equals(prescriber) && c.theme().equals(theme)
                && c.month().equals(month)).toList();
    }

    /**
     * Whether the prescriber had this action on this theme (made or refused) in the {@code months}
     * months up to {@code month}. By theme and action: an EC on sick leave does not keep a
     * prescriber off the next step, nor off a DAM visit on antibiotics.
     */
    public boolean recently(String prescriber, String theme, Action action, YearMonth month, int months) {
        return contacts.stream().anyMatch(c -> c.prescriber().equals(prescriber) && c.theme().equals(theme)
                && c.action() == action && c.outcome().happened() && !c.month().isAfter(month)
                && c.month().isAfter(month.minusMonths(months)));
    }

    private static String key(Contact c) {
        return c.prescriber() + "|" + c.theme() + "|" + c.action() + "|" + c.month();
    }
}
