package fr.atypie.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The data-quality report as JSON (for machines) and aligned text (for people). Counts only. */
public final class QualityReportFormat {
    private QualityReportFormat() {}

    public static String json(QualityReport r, String extract) {
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        b.append("  \"extract\": ").append(str(extract)).append(",\n");
        b.append("  \"latest_flux_month\": ").append(r.latestFlux().map(m -> str(m.toString())).orElse("null")).append(",\n");
        b.append("  \"max_quarantine_share\": ").append(num(r.maxQuarantineShare())).append(",\n");
        b.append("  \"acceptable\": ").append(r.acceptable()).append(",\n");
        b.append("  \"tables\": [");
        for (int i = 0; i < r.tables().size(); i++) {
            TableQuality t = r.tables().get(i);
            b.append(i == 0 ? "\n" : ",\n");
            b.append("    {\"table\": ").append(str(t.table().name()))
                    .append(", \"rows_in\": ").append(t.rowsIn())
                    .append(", \"kept\": ").append(t.kept())
                    .append(", \"quarantined\": ").append(t.quarantined())
                    .append(", \"quarantined_share\": ").append(num(t.quarantinedShare()))
                    .append(", \"within_threshold\": ").append(r.withinThreshold(t))
                    .append(", \"coercions\": [")
                    .append(String.join(", ", t.coercions().stream().map(QualityReportFormat::str).toList()))
                    .append("], \"passed_over\": [")
                    .append(String.join(", ", t.passedOver().stream().map(QualityReportFormat::str).toList()))
                    .append("],\n     \"rules\": [");
            for (int j = 0; j < t.rules().size(); j++) {
                RuleCount c = t.rules().get(j);
                b.append(j == 0 ? "\n" : ",\n");
                b.append("       {\"rule\": ").append(str(c.rule().code()))
                        .append(", \"rows\": ").append(c.rows())
                        .append(", \"sample_reason\": ").append(str(c.sampleReason())).append("}");
            }
            b.append(t.rules().isEmpty() ? "]}" : "\n     ]}");
        }
        b.append("\n  ]\n}\n");
        return b.toString();
    }

    /**
     * Why table {@code t} kept no row, for an error that stops a run before its report is written:
     * the rows read, then the report's line of each rule that took them (count, one reason).
     */
    public static String nothingKept(QualityReport r, fr.atypie.snds.SndsTable t) {
        TableQuality q = r.table(t);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "table %s: no row kept of %,d read", t, q.rowsIn()));
        for (RuleCount c : q.rules()) {
            b.append('\n').append(ruleLine(c));
        }
        return b.toString();
    }

    /**
     * One console line per table whose folder held files that were not read, or whose columns were
     * coerced to the contract's types: a refresh prints only its totals, and a stray file
     * (a CSV left beside the Parquet) should not wait for someone to open the quality report.
     */
    public static List<String> inputNotes(QualityReport r) {
        List<String> lines = new ArrayList<>();
        for (TableQuality t : r.tables()) {
            List<String> parts = new ArrayList<>();
            if (!t.coercions().isEmpty()) {
                parts.add(t.coercions().size() + (t.coercions().size() == 1 ? " column" : " columns")
                        + " coerced to the contract's types");
            }
            if (!t.passedOver().isEmpty()) {
                parts.add(t.passedOver().size() + (t.passedOver().size() == 1 ? " file" : " files")
                        + " passed over, not Parquet: " + String.join(", ", t.passedOver()));
            }
            if (!parts.isEmpty()) {
                lines.add(t.table() + ": " + String.join("; ", parts));
            }
        }
        return lines;
    }

    /** A rule's line under its table: code, rows, one reason. */
    private static String ruleLine(RuleCount c) {
        return String.format(Locale.ROOT, "    %-26s %8d  e.g. %s", c.rule().code(), c.rows(), c.sampleReason());
    }

    public static String text(QualityReport r, String extract) {
        StringBuilder b = new StringBuilder();
        b.append("Data-quality report for ").append(extract).append('\n');
        b.append("Latest flux month: ").append(r.latestFlux().map(Object::toString).orElse("none")).append('\n');
        b.append("Allowed quarantine per table: ").append(QualityOutputs.pct(r.maxQuarantineShare())).append("\n\n");
        b.append(String.format(Locale.ROOT, "%-9s %10s %10s %11s %9s  %s%n", "table", "rows in", "kept", "quarantined", "share", "status"));
        for (TableQuality t : r.tables()) {
            b.append(String.format(Locale.ROOT, "%-9s %10d %10d %11d %9s  %s%n", t.table(), t.rowsIn(), t.kept(),
                    t.quarantined(), QualityOutputs.pct(t.quarantinedShare()), r.withinThreshold(t) ? "ok" : "TOO MUCH"));
            for (RuleCount c : t.rules()) {
                b.append(ruleLine(c)).append('\n');
            }
            for (String c : t.coercions()) {
                b.append("    coerced ").append(c).append('\n');
            }
            for (String f : t.passedOver()) {
                b.append("    passed over ").append(f).append(" (not Parquet)\n");
            }
        }
        b.append('\n').append(r.acceptable()
                ? "Result: acceptable (every table within the allowed quarantine share)."
                : "Result: REJECTED, too much quarantine in " + String.join(", ",
                        r.tablesOverThreshold().stream().map(t -> t.table().name()).toList()) + " (exit code 5).");
        b.append('\n');
        return b.toString();
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
