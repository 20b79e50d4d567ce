package fr.atypie.campaigns;

import fr.atypie.atypie.ContactHistory;
import fr.atypie.errors.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 */
public record CampaignHistory(List<CampaignContact> contacts) implements ContactHistory {
    public static final List<String> HEADER = List.of("campaign", "prescriber_id", "action", "theme", "start", "end", "outcome");

    public static CampaignHistory empty() {
        return new CampaignHistory(List.of());
    }

    public static CampaignHistory read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputError("campaign history " + csv + " cannot be read: " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new InputError("campaign history " + csv + " is empty (expected header " + String.join(";", HEADER) + ")");
        }
        String sep = lines.get(0).contains(";") ? ";" : ",";
        List<String> header = Arrays.stream(lines.get(0).replace("\uFEFF", "").split(sep, -1)).map(String::trim).toList();
        if (!header.equals(HEADER)) {
            throw new InputError("campaign history " + csv + ": header " + header + " is not " + HEADER);
        }
        List<CampaignContact> contacts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(sep, -1);
            try {
                if (f.length != HEADER.size()) {
                    throw new IllegalArgumentException(f.length + " fields instead of " + HEADER.size());
                }
                contacts.add(new CampaignContact(f[0].trim(), f[1].trim(),
                        CampaignContact.Action.valueOf(f[2].trim().toUpperCase(Locale.ROOT)), f[3].trim(),
                        YearMonth.parse(f[4].trim()),
                        f[5].isBlank() ? Optional.empty() : Optional.of(YearMonth.parse(f[5].trim())), f[6].trim()));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                errors.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputError("campaign history " + csv + ": " + errors.size() + " bad line(s) of " + (lines.size() - 1)
                    + " (action must be one of " + Arrays.toString(CampaignContact.Action.values()) + ", months YYYY-MM): "
                    + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
        }
        return new CampaignHistory(List.copyOf(contacts));
    }

    /** Writes the history in its CSV format (';'-separated, UTF-8, LF), contacts in list order; read() reads it back. */
    public void write(Path csv) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(";", HEADER)).append('\n');
        for (CampaignContact c : contacts) {
            sb.append(String.join(";", c.campaign(), c.prescriber(), c.action().name(), c.theme(), c.start().toString(),
                    c.end().map(YearMonth::toString).orElse(""), c.outcome())).append('\n');
        }
        Path parent = csv.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Written aside then renamed: a reader never sees half a history.
        Path aside = Files.createTempFile(parent, "." + csv.getFileName(), ".tmp");
        Files.writeString(aside, sb.toString(), StandardCharsets.UTF_8);
        Files.move(aside, csv, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether the prescriber was contacted in the {@code months} months up to {@code month}, or is under procedure. */
    @Override
    public boolean excludes(String prescriber, YearMonth month, int months) {
        return contacts.stream().filter(c -> c.prescriber().equals(prescriber)).anyMatch(c ->
                c.underProcedureIn(month)
                        || (!c.start().isAfter(month) && c.start().isAfter(month.minusMonths(months))));
    }
}
