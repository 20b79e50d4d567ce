package fr.atypie.campaigns;

import fr.atypie.atypie.ContactHistory;
import fr.atypie.errors.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The campaign history (who was contacted, how, on which theme, when), read from a CSV file with
 * the header {@code campaign;prescriber_id;action;theme;start;end;outcome} (',' also accepted).
 * Months are YYYY-MM; end and outcome may be empty.
 *
 * <p>Read as teams produce it: UTF-8 (with or without a BOM) or, when the bytes are not UTF-8, an
 * Excel-saved Windows-1252 file; fields may be quoted ({@code "refus; à revoir"}). Every line is
 * checked, all errors reported together (the first five): campaign id a plain name (it names
 * output folders: letters, digits, '.', '_', '-', not starting with '.'), prescriber id present,
 * action known, theme one of the configured themes, months valid, end not before start, start at
 * most {@link Rules#latestStart()} (a 2099 typo would exclude a prescriber for 75 years).
 */
public record CampaignHistory(List<CampaignContact> contacts) implements ContactHistory {
    public static final List<String> HEADER = List.of("campaign", "prescriber_id", "action", "theme", "start", "end", "outcome");
    private static final java.util.regex.Pattern SAFE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /**
     * What a line must agree with besides its format.
     *
     * @param themes      the known themes (empty: any theme accepted)
     * @param latestStart the latest plausible start month
     */
    public record Rules(java.util.Set<String> themes, YearMonth latestStart) {
        /** Any theme; a start at most 12 months after the current month. */
        public static Rules lenient() {
            return new Rules(java.util.Set.of(), YearMonth.now(java.time.ZoneOffset.UTC).plusMonths(12));
        }
    }

    public static CampaignHistory empty() {
        return new CampaignHistory(List.of());
    }

    /** Whether {@code id} can name a folder: the only ids a history may hold. */
    public static boolean safeId(String id) {
        return SAFE_ID.matcher(id).matches() && !id.contains("..");
    }

    public static CampaignHistory read(Path csv) {
        return read(csv, Rules.lenient());
    }

    public static CampaignHistory read(Path csv, Rules rules) {
        return read(Store.local(csv), rules);
    }

    public static CampaignHistory read(Store file) {
        return read(file, Rules.lenient());
    }

    /** As {@link #read(Path, Rules)}, the file on any file system ({@code hdfs://...}). */
    public static CampaignHistory read(Store file, Rules rules) {
        String csv = file.shown();
        byte[] bytes;
        try (var in = file.fs().open(file.root())) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new InputError("campaign history " + csv + " cannot be read: " + e.getMessage());
        }
        String text = decode(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new InputError("campaign history " + csv + " is empty (expected header " + String.join(";", HEADER) + ")");
        }
        String firstLine = text.lines().findFirst().orElse("");
        char sep = firstLine.contains(";") ? ';' : ',';
        com.univocity.parsers.csv.CsvParserSettings settings = new com.univocity.parsers.csv.CsvParserSettings();
        settings.getFormat().setDelimiter(sep);
        settings.getFormat().setQuote('"');
        settings.getFormat().setQuoteEscape('"');
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setSkipEmptyLines(true);
        settings.setIgnoreLeadingWhitespaces(true);
        settings.setIgnoreTrailingWhitespaces(true);
        settings.setEmptyValue("");
        settings.setNullValue("");
        settings.setMaxCharsPerColumn(4096);
        List<String[]> rows;
        try {
            rows = new com.univocity.parsers.csv.CsvParser(settings).parseAll(new java.io.StringReader(text));
        } catch (com.univocity.parsers.common.TextParsingException e) {
            throw new InputError("campaign history " + csv + ": not a readable CSV near line " + (e.getLineIndex() + 1)
                    + " (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        List<String> header = Arrays.stream(rows.get(0)).map(String::trim).toList();
        if (!header.equals(HEADER)) {
            throw new InputError("campaign history " + csv + ": header " + header + " is not " + HEADER);
        }
        List<CampaignContact> contacts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i);
            try {
                if (f.length != HEADER.size()) {
                    throw new IllegalArgumentException(f.length + " fields instead of " + HEADER.size());
                }
                contacts.add(contact(f, rules));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                errors.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputError("campaign history " + csv + ": " + errors.size() + " bad line(s) of " + (rows.size() - 1)
                    + " (action must be one of " + Arrays.toString(CampaignContact.Action.values()) + ", months YYYY-MM): "
                    + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
        }
        return new CampaignHistory(List.copyOf(contacts));
    }

    private static CampaignContact contact(String[] f, Rules rules) {
        String campaign = f[0].trim();
        if (!safeId(campaign)) {
            throw new IllegalArgumentException("campaign id '" + campaign + "' is not a plain name (letters, digits, '.', "
                    + "'_', '-', not starting with '.'): it names output folders");
        }
        String prescriber = f[1].trim();
        if (prescriber.isEmpty()) {
            throw new IllegalArgumentException("empty prescriber_id");
        }
        CampaignContact.Action action;
        try {
            action = CampaignContact.Action.valueOf(f[2].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action '" + f[2].trim() + "'");
        }
        String theme = f[3].trim();
        if (!rules.themes().isEmpty() && !rules.themes().contains(theme)) {
            throw new IllegalArgumentException("unknown theme '" + theme + "' (themes: " + new java.util.TreeSet<>(rules.themes()) + ")");
        }
        YearMonth start = month("start", f[4]);
        Optional<YearMonth> end = f[5].isBlank() ? Optional.empty() : Optional.of(month("end", f[5]));
        if (end.isPresent() && end.get().isBefore(start)) {
            throw new IllegalArgumentException("end " + end.get() + " is before start " + start);
        }
        if (start.isAfter(rules.latestStart())) {
            throw new IllegalArgumentException("start " + start + " is after " + rules.latestStart() + " (a typo?)");
        }
        return new CampaignContact(campaign, prescriber, action, theme, start, end, f[6].trim());
    }

    private static YearMonth month(String column, String value) {
        try {
            return YearMonth.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(column + " '" + value.trim() + "' is not a month YYYY-MM");
        }
    }

    /** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what Excel writes on French Windows). */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, java.nio.charset.Charset.forName("windows-1252"));
        }
    }

    /** Writes the history in its CSV format (';'-separated, UTF-8, LF), contacts in list order; read() reads it back. */
    public void write(Path csv) throws IOException {
        write(Store.local(csv));
    }

    /** As {@link #write(Path)}, on any file system ({@code hdfs://...}). */
    public void write(Store csv) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(";", HEADER)).append('\n');
        for (CampaignContact c : contacts) {
            sb.append(String.join(";", c.campaign(), c.prescriber(), c.action().name(), c.theme(), c.start().toString(),
                    c.end().map(YearMonth::toString).orElse(""), quoted(c.outcome()))).append('\n');
        }
        // Written aside then renamed: a reader never sees half a history.
        csv.replaceFileText(sb.toString());
    }

    /** A field holding ';', a quote or a line break is quoted (quotes doubled), so that read() gives it back. */
    private static String quoted(String field) {
        return field.matches("(?s).*[;\"\r\n].*") ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /** Whether the prescriber was contacted in the {@code months} months up to {@code month}, or is under procedure. */
    @Override
    public boolean excludes(String prescriber, YearMonth month, int months) {
        return contacts.stream().filter(c -> c.prescriber().equals(prescriber)).anyMatch(c ->
                c.underProcedureIn(month)
                        || (!c.start().isAfter(month) && c.start().isAfter(month.minusMonths(months))));
    }
}
