package fr.atypie.synth;

import java.lang.reflect.RecordComponent;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal JSON rendering of records, lists, maps, strings and numbers, for generation.json:
 * the configuration record written back field by field (camelCase names turned into the
 * config's kebab-case keys), in declaration order, so the same run gives the same bytes.
 */
final class Json {
    private Json() {}

    static String render(Object o, String indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, o, indent);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object o, String indent) {
        String inner = indent + "  ";
        if (o == null) {
            sb.append("null");
        } else if (o instanceof String || o instanceof YearMonth || o instanceof Enum<?>) {
            string(sb, o.toString());
        } else if (o instanceof Double d) {
            sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d));
        } else if (o instanceof Number || o instanceof Boolean) {
            sb.append(o);
        } else if (o instanceof Record r) {
            sb.append("{");
            RecordComponent[] cs = r.getClass().getRecordComponents();
            for (int i = 0; i < cs.length; i++) {
                sb.append(i == 0 ? "\n" : ",\n").append(inner);
                string(sb, kebab(cs[i].getName()));
                sb.append(": ");
                try {
                    write(sb, cs[i].getAccessor().invoke(r), inner);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            sb.append("\n").append(indent).append("}");
        } else if (o instanceof Map<?, ?> m) {
            sb.append("{");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            for (boolean first = true; it.hasNext(); first = false) {
                Map.Entry<?, ?> e = it.next();
                sb.append(first ? "\n" : ",\n").append(inner);
                string(sb, e.getKey().toString());
                sb.append(": ");
                write(sb, e.getValue(), inner);
            }
            sb.append("\n").append(indent).append("}");
        } else if (o instanceof Collection<?> c) {
            sb.append("[");
            boolean first = true;
            for (Object x : c) {
                sb.append(first ? "" : ", ");
                write(sb, x, inner);
                first = false;
            }
            sb.append("]");
        } else {
            string(sb, o.toString());
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
