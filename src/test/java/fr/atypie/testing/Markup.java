package fr.atypie.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading rendered HTML and SVG in tests: what a pattern's first group captures, in order. */
public final class Markup {
    private Markup() {}

    /** The first group of every match of {@code regex} in {@code text}, in document order. */
    public static List<String> captured(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
