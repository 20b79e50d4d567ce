package fr.atypie.campaigns;

import fr.atypie.errors.InputError;
import fr.atypie.fs.Store;
import fr.atypie.publish.PublishedMonths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The action lists of earlier refreshes ({@code OUT/<YYYY-MM>/restricted/targeting.csv}) as a
 * campaign history, so that the contacts they proposed can be evaluated. Only entries within the
 * month's capacity become contacts (the waiting list was not contacted); "Visites DAM" → DAM,
 * "Échanges confraternels" → EC, "MSO-MSAP" → OBSERVATION (a procedure begins with observation);
 * "Retour positif" is not an accompaniment to evaluate and is skipped. The theme is the theme of
 * the entry's main driver (first of "Principaux écarts"), as its code in the configuration.
 * Contacts start lag months after the list's month; a DAM visit or an EC ends when it starts,
 * an observation has no end yet (the history's "still running").
 */
public final class TargetingHistory {
    /** The list inside a published month. */
    public static final String FILE = "restricted/targeting.csv";

    // French headers of the published targeting CSV (refresh/OutputTables.TARGETING).
    static final String DEPT = "Département";
    static final String ACTION = "Action";
    static final String RANK = "Rang";
    static final String WITHIN_CAPACITY = "Dans la capacité du mois";
    static final String PRESCRIBER = "Prescripteur";
    static final String DRIVERS = "Principaux écarts";
    public static final List<String> REQUIRED = List.of(DEPT, ACTION, RANK, WITHIN_CAPACITY, PRESCRIBER, DRIVERS);

    // Action list labels (TargetingSettings.Action labels, and the positive-feedback list).
    public static final Map<String, Optional<CampaignContact.Action>> ACTIONS = Map.of(
            "Visites DAM", Optional.of(CampaignContact.Action.DAM),
            "Échanges confraternels", Optional.of(CampaignContact.Action.EC),
            "MSO-MSAP", Optional.of(CampaignContact.Action.OBSERVATION),
            "Retour positif", Optional.empty());

    /** Separates the theme label from the metric in a driver ("Arrêts de travail – Part des patients ..."). */
    static final String THEME_SEPARATOR = " – ";

    private TargetingHistory() {}

    /** What the lists gave: the contacts, and the entries left out (waiting list, positive feedback). */
    public record Result(CampaignHistory history, int waitingList, int positiveFeedback) {}

    /**
     * @param publications  published month folders {@code OUT/<YYYY-MM>} as the user names them (on an
     *                      object store, the version its pointer {@code OUT/<YYYY-MM>.current} names is read)
     * @param lagMonths     atypie.campaigns.start-lag-months
     * @param separator     the CSV field separator of the publication (atypie.publish.csv.separator)
     * @param themeByLabel  theme code by theme label (atypie.atypie.themes)
     */
    public static Result read(List<Store> publications, String campaign, int lagMonths, char separator,
                              Map<String, String> themeByLabel) {
        List<Ordered> rows = new ArrayList<>();
        TreeSet<YearMonth> seen = new TreeSet<>();
        int waiting = 0;
        int positive = 0;
        for (Store publication : publications) {
            YearMonth month = month(publication);
            if (!seen.add(month)) {
                throw new InputError("--from-targeting: month " + month + " is given twice (" + publication.shown() + ")");
            }
            Store file = PublishedMonths.folder(publication).child(FILE);
            List<List<String>> records = records(file, separator);
            List<String> header = records.get(0);
            int[] col = new int[REQUIRED.size()];
            for (int i = 0; i < REQUIRED.size(); i++) {
                col[i] = header.indexOf(REQUIRED.get(i));
                if (col[i] < 0) {
                    throw new InputError("targeting file " + file.shown() + ": column '" + REQUIRED.get(i) + "' is missing ("
                            + (records.size() - 1) + " rows; header " + header + ")");
                }
            }
            List<String> errors = new ArrayList<>();
            for (int r = 1; r < records.size(); r++) {
                List<String> f = records.get(r);
                String where = "row " + (r + 1) + ": ";
                if (f.size() != header.size()) {
                    errors.add(where + f.size() + " fields instead of " + header.size());
                    continue;
                }
                Optional<CampaignContact.Action> action = ACTIONS.get(f.get(col[1]));
                if (action == null) {
                    errors.add(where + "column '" + ACTION + "' = '" + f.get(col[1]) + "' is not one of " + new TreeSet<>(ACTIONS.keySet()));
                    continue;
                }
                String within = f.get(col[3]);
                if (!within.equals("oui") && !within.equals("non")) {
                    errors.add(where + "column '" + WITHIN_CAPACITY + "' = '" + within + "' is not oui or non");
                    continue;
                }
                if (action.isEmpty()) {
                    positive++;
                    continue;
                }
                if (within.equals("non")) {
                    waiting++;
                    continue;
                }
                String prescriber = f.get(col[4]).trim();
                int rank;
                try {
                    rank = Integer.parseInt(f.get(col[2]).trim());
                } catch (NumberFormatException e) {
                    errors.add(where + "column '" + RANK + "' = '" + f.get(col[2]) + "' is not a whole number");
                    continue;
                }
                if (prescriber.isEmpty()) {
                    errors.add(where + "column '" + PRESCRIBER + "' is empty");
                    continue;
                }
                String drivers = f.get(col[5]);
                int dash = drivers.indexOf(THEME_SEPARATOR);
                String label = dash < 0 ? drivers.trim() : drivers.substring(0, dash).trim();
                String theme = themeByLabel.get(label);
                if (theme == null) {
                    errors.add(where + "column '" + DRIVERS + "': main driver theme '" + label + "' is not a configured theme "
                            + new TreeSet<>(themeByLabel.keySet()));
                    continue;
                }
                YearMonth start = month.plusMonths(lagMonths);
                Optional<YearMonth> end = action.get().procedure() ? Optional.empty() : Optional.of(start);
                rows.add(new Ordered(f.get(col[0]), rank, new CampaignContact(campaign, prescriber, action.get(), theme,
                        start, end, "ciblage " + month)));
            }
            if (!errors.isEmpty()) {
                throw new InputError("targeting file " + file.shown() + ": " + errors.size() + " malformed row(s) of " + (records.size() - 1)
                        + ": " + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
            }
        }
        // Deterministic: by start month, department, action and rank, whatever the order of the folders.
        rows.sort(Comparator.comparing((Ordered o) -> o.contact().start()).thenComparing(Ordered::dept)
                .thenComparing(o -> o.contact().action()).thenComparingInt(Ordered::rank)
                .thenComparing(o -> o.contact().prescriber()));
        return new Result(new CampaignHistory(rows.stream().map(Ordered::contact).toList()), waiting, positive);
    }

    /** A contact with its place on its list, for the output order. */
    private record Ordered(String dept, int rank, CampaignContact contact) {}

    /** The month of a publication folder, from its name. */
    static YearMonth month(Store publication) {
        try {
            return YearMonth.parse(publication.name());
        } catch (DateTimeParseException e) {
            throw new InputError("--from-targeting " + publication.shown() + ": expected a published month folder OUT/YYYY-MM");
        }
    }

    /** The file's records (header first): BOM dropped, fields unquoted ("" inside quotes is a quote), CRLF or LF. */
    static List<List<String>> records(Store file, char separator) {
        String text;
        try {
            if (!file.parent().isFile(file.name())) {
                throw new InputError("targeting file " + file.shown() + " not found (is its folder a month published by atypie refresh?)");
            }
            byte[] bytes;
            try (var in = file.fs().open(file.root())) {
                bytes = in.readAllBytes();
            }
            // Strict: a list re-saved by a spreadsheet in another encoding is refused, not misread.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IOException e) {
            throw new InputError("targeting file " + file.shown() + " cannot be read as UTF-8: " + e.getMessage());
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                fields.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(cell.toString());
                cell.setLength(0);
                if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                    records.add(List.copyOf(fields));
                }
                fields.clear();
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new InputError("targeting file " + file + ": a quoted field is not closed (" + records.size() + " rows read)");
        }
        if (cell.length() > 0 || !fields.isEmpty()) {
            fields.add(cell.toString());
            records.add(List.copyOf(fields));
        }
        if (records.isEmpty()) {
            throw new InputError("targeting file " + file + " is empty (0 rows, no header)");
        }
        return records;
    }
}
