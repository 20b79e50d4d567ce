package fr.atypie.publish.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names of the French departments (INSEE official geographic code, packaged as
 * {@code fr/atypie/publish/departements.csv}), so that the report and the workbooks say "34
 * Hérault", not "034". Codes are read as the data write them: BEN_RES_DPT pads them to three
 * characters ("034", "02A"); overseas departments have three digits ("971").
 */
public final class Departments {
    private static final Map<String, String> NAMES = load();

    private Departments() {}

    /** The department's name, or null when the code is not a department (a region code, "999"). */
    public static String name(String code) {
        return code == null ? null : NAMES.get(normalise(code));
    }

    /** "34 Hérault"; the code alone when it names no department. */
    public static String label(String code) {
        String n = name(code);
        return n == null ? code : normalise(code) + " " + n;
    }

    static String normalise(String code) {
        String c = code.trim().toUpperCase(java.util.Locale.ROOT);
        return c.length() == 3 && c.charAt(0) == '0' ? c.substring(1) : c;
    }

    private static Map<String, String> load() {
        Map<String, String> m = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Departments.class.getResourceAsStream("/fr/atypie/publish/departements.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(";", 2);
                m.put(f[0], f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
