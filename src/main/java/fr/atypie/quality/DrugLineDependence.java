package fr.atypie.quality;

import static fr.atypie.snds.SndsColumns.EXE_SOI_DTD;
import static fr.atypie.snds.SndsColumns.FLX_DIS_DTD;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.year;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a flux month of checked drug lines depends on besides its own lines and the settings: the
 * verdicts of the service lines of the same 9 keys (kept pharmacy claim, whose columns the drug line
 * takes along; another kept line; quarantined lines), which a later run can move (a re-delivered
 * month, a beneficiary gone, a regularisation that now cancels something).
 *
 * <p>So each stored month keeps a digest of the service lines with a flux date in that month, as
 * the run that wrote it saw them: per care month, their count and two sums of a 64-bit hash of their
 * keys, columns and rule (from the stored hashes of their keys and columns: a narrow read). A later
 * run reuses the month when its own digest is the same.
 *
 * <p><b>Incremental runs.</b> A run with a first care month {@code c} validates no service line of
 * older care whose 9 keys no later line shares, and leaves their drug lines out. A drug line it reads
 * back is passed over by the latest care among its service lines ({@link Validator#PRS_CARE}), as a
 * service line is by its own. The drug lines it keeps need the verdicts of service lines of care
 * from {@code c} only (every service line of their keys, when no older line shares its keys with a
 * later one), and those are the same as a full run's. Hence a month written by a run of later
 * {@code c} (it left drug lines out) is never reused by a run of earlier {@code c}, the digests are
 * compared over the care months from the reading run's {@code c}, and a run where some older lines
 * share their keys with later ones reuses no month. A month holding lines of another month's flux
 * date (the reader quarantines them) is checked again every run: their service lines are elsewhere.
 */
final class DrugLineDependence implements MonthLines.Dependence {
    /** The care month of service lines without a care date: never older than a run's first care month. */
    private static final String NO_CARE = "-";

    /** Flux month → care month → [lines, sum of low 32 bits, sum of high 32 bits] of their hashes. */
    private final SortedMap<String, SortedMap<String, List<Long>>> now;
    private final Optional<YearMonth> careStart;
    private final boolean sharedKeys;

    private DrugLineDependence(SortedMap<String, SortedMap<String, List<Long>>> now, Optional<YearMonth> careStart,
                               boolean sharedKeys) {
        this.now = now;
        this.careStart = careStart;
        this.sharedKeys = sharedKeys;
    }

    /**
     * The digests of this run's service lines: {@code prs}, every line validated, with the hash of
     * what a drug line reads of it ({@link StoredLines#judgedHashes}: its 9 keys, its columns, its rule)
     * in {@code hash}.
     */
    static DrugLineDependence of(Dataset<Row> prs, String hash, FluxMonths months) {
        SortedMap<String, SortedMap<String, List<Long>>> now = new TreeMap<>();
        // Months as numbers, named on the driver: a date formatted per line cost seconds.
        prs.where(col(FLX_DIS_DTD).isNotNull())
                .select(monthNumber(col(FLX_DIS_DTD)).as("flux"), monthNumber(col(EXE_SOI_DTD)).as("care"), col(hash).as("h"))
                .groupBy("flux", "care")
                .agg(count(lit(1)), hashSums(col("h")))
                .collectAsList()
                .forEach(r -> now.computeIfAbsent(monthName(r.getInt(0)), f -> new TreeMap<>())
                        .put(r.isNullAt(1) ? NO_CARE : monthName(r.getInt(1)), List.of(r.getLong(2), r.getLong(3), r.getLong(4))));
        return new DrugLineDependence(now, months.careStart(), months.sharedKeys());
    }

    /** A date's month as the number {@code yyyy * 100 + mm} (null for null). */
    static Column monthNumber(Column date) {
        return year(date).multiply(100).plus(month(date));
    }

    /** {@code yyyy-MM} of a {@link #monthNumber}. */
    static String monthName(int number) {
        return YearMonth.of(number / 100, number % 100).toString();
    }

    /** A digest of a set of codes (count and hash sums), for the settings a month was checked under. */
    static String digest(Dataset<Row> codes) {
        Row r = codes.agg(count(lit(1)), hashSums(org.apache.spark.sql.functions.xxhash64(col(codes.columns()[0])))).first();
        return r.getLong(0) + ":" + (r.isNullAt(1) ? 0L : r.getLong(1)) + ":" + (r.isNullAt(2) ? 0L : r.getLong(2));
    }

    /**
     * The sums of the low and of the high 32 bits of a 64-bit hash: with the count, a digest of a multiset
     * that no order changes and no 2^31 lines overflow (null over no line).
     */
    private static Column[] hashSums(Column h) {
        return new Column[] {sum(h.bitwiseAND(0xFFFFFFFFL)), sum(shiftrightunsigned(h, 32))};
    }

    @Override
    public boolean unchanged(YearMonth m, MonthLines.Part stored) {
        if (sharedKeys || stored.against() == null || stored.strays() == null || stored.strays() > 0) {
            return false;
        }
        if (stored.careStart() != null
                && (careStart.isEmpty() || YearMonth.parse(stored.careStart()).isAfter(careStart.get()))) {
            return false;
        }
        return total(stored.against()).equals(total(now.getOrDefault(m.toString(), new TreeMap<>())));
    }

    @Override
    public MonthLines.Part record(YearMonth m, MonthLines.Part written, long strays) {
        return new MonthLines.Part(written.fingerprint(), written.generation(), written.lines(),
                careStart.map(YearMonth::toString).orElse(null), strays,
                new TreeMap<>(now.getOrDefault(m.toString(), new TreeMap<>())));
    }

    /** The digests of the care months this run's drug lines depend on, added up. */
    private List<Long> total(Map<String, List<Long>> byCare) {
        long[] t = new long[3];
        byCare.forEach((care, d) -> {
            if (care.equals(NO_CARE) || careStart.isEmpty() || care.compareTo(careStart.get().toString()) >= 0) {
                for (int i = 0; i < 3; i++) {
                    t[i] += d.get(i);
                }
            }
        });
        return List.of(t[0], t[1], t[2]);
    }
}
