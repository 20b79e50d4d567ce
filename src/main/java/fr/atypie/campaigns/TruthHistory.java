package fr.atypie.campaigns;

import fr.atypie.errors.InputError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Optional;

/**
 * The generator's planted campaign ({@code truth/campaign.csv}: prescriber_id, action, theme, m0,
 * effect) as a campaign history, so the demo can evaluate it. {@code m0} is each GP's own contact
 * month (a staggered campaign spreads them); the campaign id is {@code synth-<theme>-<first m0>}.
 * The planted effect is not carried over: the evaluation must find it on its own.
 */
public final class TruthHistory {
    public static final String FILE = "campaign.csv";

    private TruthHistory() {}

    /** @param truthDir the generator's truth folder */
    public static CampaignHistory read(Path truthDir) {
        return read(Store.local(truthDir));
    }

    /** As {@link #read(Path)}, the truth folder on any file system ({@code hdfs://...}). */
    public static CampaignHistory read(Store truthDir) {
        String csv = truthDir.child(FILE).shown();
        List<String> lines;
        try {
            Optional<String> text = truthDir.child(FILE).readFileText();
            if (text.isEmpty()) {
                throw new InputError("planted campaign " + csv + " not found (--from-truth takes the generator's truth folder)");
            }
            lines = text.get().lines().toList();
        } catch (IOException e) {
            throw new InputError("planted campaign " + csv + " cannot be read: " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("prescriber_id,action,theme,m0")) {
            throw new InputError("planted campaign " + csv + ": header must start with prescriber_id,action,theme,m0");
        }
        List<String[]> rows = new ArrayList<>();
        Map<String, YearMonth> firstOfTheme = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            try {
                YearMonth m0 = YearMonth.parse(f[3].trim());
                firstOfTheme.merge(f[2].trim(), m0, (a, b) -> a.isBefore(b) ? a : b);
                rows.add(f);
            } catch (RuntimeException e) {
                throw new InputError("planted campaign " + csv + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        List<CampaignContact> contacts = new ArrayList<>();
        for (String[] f : rows) {
            String theme = f[2].trim();
            try {
                contacts.add(new CampaignContact(id(theme, firstOfTheme.get(theme)), f[0].trim(),
                        CampaignContact.Action.valueOf(f[1].trim().toUpperCase(Locale.ROOT)), theme,
                        YearMonth.parse(f[3].trim()), Optional.empty(), "planted"));
            } catch (RuntimeException e) {
                throw new InputError("planted campaign " + csv + ", prescriber " + f[0].trim() + ": " + e.getMessage());
            }
        }
        if (contacts.isEmpty()) {
            throw new InputError("planted campaign " + csv + " lists no contact (was the extract generated with --no-campaign?)");
        }
        return new CampaignHistory(List.copyOf(contacts));
    }

    public static String id(String theme, YearMonth m0) {
        return "synth-" + theme + "-" + m0;
    }

    /** Writes the history in the campaign-history CSV format (';'-separated). */
    public static void write(CampaignHistory h, Store csv) throws IOException {
        h.write(csv);
    }
}
