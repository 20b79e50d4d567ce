package fr.atypie.publish;

import fr.atypie.snds.Nomenclatures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Practitioner specialty labels from the SNDS nomenclature IR_SPE_V (PFS_SPE_COD → PFS_SPE_LIB),
 * the copy packaged for validation ({@link Nomenclatures#packagedTable}, with its MPL-2.0 notice).
 * The workbooks and profile sheets say "Medecine generale (1)" instead of "1".
 */
public final class Specialties {
    private static final Map<Integer, String> LABELS = load();

    private Specialties() {}

    /** "Médecine générale (1)"; the code alone when the nomenclature does not know it; "" for null. */
    public static String label(Integer code) {
        if (code == null) {
            return "";
        }
        String l = LABELS.get(code);
        return l == null ? Integer.toString(code) : l + " (" + code + ")";
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> m = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Nomenclatures.packagedTable(Nomenclatures.SPECIALTIES_TABLE), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(";");
                if (f.length > 2 && f[0].matches("\\d+")) {
                    m.put(Integer.parseInt(f[0]), sentenceCase(f[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }

    /** The nomenclature writes labels in capitals without accents: "MEDECINE GENERALE" → "Medecine generale". */
    static String sentenceCase(String s) {
        String lower = s.trim().toLowerCase(Locale.FRENCH);
        return lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
