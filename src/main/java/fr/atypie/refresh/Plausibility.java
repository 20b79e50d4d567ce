package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import fr.atypie.indicators.IndicatorValue;
import fr.atypie.quality.QualityReport;
import fr.atypie.quality.TableQuality;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import fr.atypie.fs.Store;
import fr.atypie.publish.PublishedMonths;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks run before a month is published, so that a damaged extract does not replace a good
 * publication: required tables hold rows, the refresh month lies within the extract's flux, and
 * the month's key totals (prescribers assessed, indicator rows and region patients of the refresh
 * window) stay within {@code max-relative-change} of the previous publication (the same month's,
 * else the latest earlier one). Failures hold the month ({@link fr.atypie.quality.ImplausibleMonth},
 * exit 7) with their reasons in {@code WORK/YYYY-MM/quality/plausibility.txt}; {@code --force}
 * publishes anyway and keeps the reasons in the publication's {@code quality/plausibility.txt}.
 */
final class Plausibility {
    static final String REPORT = "plausibility.txt";

    /** Section {@code atypie.publish.plausibility}. */
    record Settings(List<SndsTable> requiredTables, int maxMonthsAfterFlux, double maxRelativeChange) {
        static Settings from(AtypieConfig config) {
            Section s = Section.of(config.raw(), "atypie.publish.plausibility");
            List<SndsTable> tables = new ArrayList<>();
            for (String t : s.strings("required-tables")) {
                try {
                    tables.add(SndsTable.valueOf(t));
                } catch (IllegalArgumentException e) {
                    throw new ConfigError(s.key("required-tables") + ": '" + t + "' is not a table of the extract");
                }
            }
            return new Settings(List.copyOf(tables), s.integer("max-months-after-flux", 0, 24),
                    s.number("max-relative-change", 0, 100));
        }
    }

    /** Key totals of one publication. */
    record Totals(long prescribers, long indicatorRows, long regionPatients) {}

    private Plausibility() {}

    /**
     * Fails fast, before any heavy work, on a {@code --month} the extract's flux partitions cannot
     * support: before its first complete window (an input error: nothing to compute), or more than
     * {@code max-months-after-flux} after its last flux month (implausible: a hollow month).
     * Extracts without flux partitions are checked later, on the rows.
     */
    static List<String> requestedMonth(ExtractLayout layout, YearMonth month, int windowMonths, Settings settings) {
        List<YearMonth> flux = fluxMonths(layout.table(SndsTable.ER_PRS_F));
        if (flux.isEmpty()) {
            return List.of();
        }
        YearMonth first = flux.get(0);
        YearMonth last = flux.get(flux.size() - 1);
        YearMonth firstWindow = first.plusMonths(windowMonths - 1L);
        if (month.isBefore(firstWindow)) {
            throw new InputError("--month " + month + ": the extract starts in flux month " + first + ", so the first complete "
                    + windowMonths + "-month window ends in " + firstWindow);
        }
        if (month.isAfter(last.plusMonths(settings.maxMonthsAfterFlux()))) {
            return List.of("refresh month " + month + " is " + (last.until(month, java.time.temporal.ChronoUnit.MONTHS))
                    + " month(s) after the extract's last flux month " + last + " (at most "
                    + settings.maxMonthsAfterFlux() + " allowed by atypie.publish.plausibility.max-months-after-flux)");
        }
        return List.of();
    }

    /** Tables of {@code required-tables} with no row kept after validation. */
    static List<String> emptyTables(QualityReport report, Settings settings) {
        List<String> reasons = new ArrayList<>();
        for (TableQuality t : report.tables()) {
            if (settings.requiredTables().contains(t.table()) && t.kept() == 0) {
                reasons.add("table " + t.table() + " has no row kept (" + t.rowsIn() + " read, " + t.quarantined()
                        + " quarantined): required by atypie.publish.plausibility.required-tables");
            }
        }
        return reasons;
    }

    /** The month's totals against the previous publication's, and a month with no prescriber at all. */
    static List<String> totals(Totals now, Optional<Totals> before, String beforeName, Settings settings) {
        List<String> reasons = new ArrayList<>();
        if (now.prescribers() == 0) {
            reasons.add("no prescriber assessed");
        }
        before.ifPresent(b -> {
            change("prescribers assessed", now.prescribers(), b.prescribers(), beforeName, settings, reasons);
            change("indicator rows of the refresh window", now.indicatorRows(), b.indicatorRows(), beforeName, settings, reasons);
            change("region patients of the refresh window", now.regionPatients(), b.regionPatients(), beforeName, settings, reasons);
        });
        return reasons;
    }

    private static void change(String what, long now, long before, String beforeName, Settings settings, List<String> reasons) {
        if (before == 0) {
            return;
        }
        double change = (double) (now - before) / before;
        if (Math.abs(change) > settings.maxRelativeChange()) {
            reasons.add(String.format(Locale.ROOT, "%s: %d against %d in %s (%+.0f %%, beyond ±%.0f %% allowed by "
                    + "atypie.publish.plausibility.max-relative-change)", what, now, before, beforeName, 100 * change,
                    100 * settings.maxRelativeChange()));
        }
    }

    /** Totals of published tables (the month's staged ones, or a previous publication read back). */
    static Totals of(Dataset<Row> indicators, Dataset<Row> segments) {
        Row last = indicators.agg(org.apache.spark.sql.functions.max(col("window_month"))).first();
        long rows = 0;
        long patients = 0;
        if (!last.isNullAt(0)) {
            Dataset<Row> window = indicators.where(col("window_month").equalTo(last.getString(0)));
            rows = window.count();
            Row p = window.where(col("level").equalTo(IndicatorValue.REGION)).agg(sum(col("patients"))).first();
            patients = p.isNullAt(0) ? 0 : ((Number) p.get(0)).longValue();
        }
        return new Totals(segments.count(), rows, patients);
    }

    /** The same month's publication if any, else the latest earlier month's; empty when none can be read. */
    static Optional<Store> previous(Store out, YearMonth month) {
        try {
            Optional<YearMonth> previous = PublishedMonths.in(out).stream().filter(m -> !m.isAfter(month)).max(YearMonth::compareTo);
            return previous.flatMap(m -> PublishedMonths.of(out, m));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    static Optional<Totals> read(SparkSession spark, Store publication) {
        String indicators = "indicators.parquet";
        String segments = Publisher.RESTRICTED + "/segments.parquet";
        try {
            if (!publication.isFile(indicators) || !publication.isFile(segments)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(of(spark.read().parquet(publication.resolve(indicators).toString()),
                spark.read().parquet(publication.resolve(segments).toString())));
    }

    static String report(YearMonth month, List<String> reasons, boolean forced) {
        StringBuilder b = new StringBuilder("Plausibility checks of " + month + ": ");
        if (reasons.isEmpty()) {
            return b.append("all passed\n").toString();
        }
        b.append(reasons.size()).append(" failed").append(forced ? " (published anyway: --force)" : " (month held, not published)")
                .append('\n');
        reasons.forEach(r -> b.append("- ").append(r).append('\n'));
        return b.toString();
    }

    private static List<YearMonth> fluxMonths(Store tableDir) {
        String prefix = ExtractLayout.FLUX_PARTITION + "=";
        try {
            return tableDir.list().stream().map(st -> st.getPath().getName()).filter(n -> n.startsWith(prefix))
                    .map(n -> n.substring(prefix.length())).filter(m -> m.matches("\\d{4}-\\d{2}"))
                    .map(YearMonth::parse).sorted().toList();
        } catch (IOException e) {
            return List.of();   // the reader names the problem
        }
    }
}
