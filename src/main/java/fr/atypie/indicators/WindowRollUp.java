package fr.atypie.indicators;

import fr.atypie.events.EventColumns;
import fr.atypie.spark.ExactSums;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The monthly and window values of every measure, computed in one pass over a partition of
 * contributions sorted by patient ({@link StratifiedCube#measureWindows}): per key, the
 * months are added up as {@link MeasureDefinition#monthlyValue(org.apache.spark.sql.Column,
 * org.apache.spark.sql.Column, boolean)} does, then each window from its months as
 * {@link MeasureDefinition#windowValue} does, digit for digit (the same micro-unit rounding of each
 * monthly value, the same 64-bit sums).
 *
 * <p>Why by hand: as Spark aggregations, months exploded into their twelve windows were grouped
 * in a hash map of a million patient-windows per task (cache misses on every lookup), and distinct
 * molecules went through a second explode, two more aggregations and a sort-merge join: 83 s of
 * task time at scale 0.05, the largest stage of a monthly refresh. A patient's rows are a few
 * dozen, their months fit in a few arrays. {@link StratifiedCube#measureWindowsByAggregation}
 * keeps the relational definition, and the tests hold the two equal.
 */
final class WindowRollUp implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Column of the contributions: the care month's number ({@link Windows#monthIndex}), null without a care month. */
    static final String CARE_INDEX = "_care_index";

    /** How a measure's contributions add up within a month and over a window. */
    private enum Kind {
        /** Days and amounts: monthly sum in micro-units, as a double. */
        MICROS,
        /** Boxes, lines, spells: monthly sum of integers. */
        COUNT,
        /** Prescriptions per prescriber and month: distinct days of the month, as bits. */
        DAYS,
        /** Prescriptions per patient and month: distinct texts (date × prescriber). */
        TEXTS,
        /** Flags: the maximum over months, null without any. */
        FLAG,
        /** Distinct items (molecules) over the whole window. */
        DISTINCT;

        static Kind of(MeasureDefinition m, boolean byPrescriberAndMonth) {
            return switch (m.value()) {
                case PAID_DAYS, AMOUNT -> MICROS;
                case BOXES, LINES, SPELLS -> COUNT;
                case PRESCRIPTIONS -> byPrescriberAndMonth ? DAYS : TEXTS;
                case FLAG -> FLAG;
                case DISTINCT_ATC -> DISTINCT;
            };
        }

        /** Whether a month's value exists as soon as the measure's table has an event that month. */
        boolean presentWithTable() {
            return this == DAYS || this == TEXTS;
        }
    }

    private final int keyCount;
    private final int patientIndex;
    private final int careIndex;
    private final Kind[] kinds;
    private final int[] contribution;
    private final int[] presence;
    private final int firstWindow;
    private final int lastWindow;
    private final int length;
    private final int step;
    private final StructType output;
    /** First day of each window month, as the rows carry it. */
    private final Date[] windowDays;

    private WindowRollUp(int keyCount, int patientIndex, int careIndex, Kind[] kinds, int[] contribution, int[] presence,
                         Windows windows, StructType output) {
        this.keyCount = keyCount;
        this.patientIndex = patientIndex;
        this.careIndex = careIndex;
        this.kinds = kinds;
        this.contribution = contribution;
        this.presence = presence;
        this.firstWindow = Windows.index(windows.firstWindowMonth());
        this.lastWindow = Windows.index(windows.lastWindowMonth());
        this.length = windows.length();
        this.step = windows.step();
        this.output = output;
        this.windowDays = windows.months().stream().map(Windows::firstDay).toArray(Date[]::new);
    }

    /**
     * @param input  the contributions: the keys first, then {@link #CARE_INDEX}, presence and
     *               contribution columns named by {@code presenceColumn} and {@code contributionColumn},
     *               sorted so that each patient's rows are together
     * @param keys   the key columns, first in {@code input}
     */
    static WindowRollUp of(StructType input, List<String> keys, List<MeasureDefinition> measures, boolean byPrescriberAndMonth,
                           Windows windows, java.util.function.Function<MeasureDefinition, String> presenceColumn,
                           java.util.function.Function<MeasureDefinition, String> contributionColumn) {
        for (int i = 0; i < keys.size(); i++) {
            if (!input.fields()[i].name().equals(keys.get(i))) {
                throw new IllegalArgumentException("contributions must start with the keys " + keys + ": " + input.simpleString());
            }
        }
        int n = measures.size();
        Kind[] kinds = new Kind[n];
        int[] contribution = new int[n];
        int[] presence = new int[n];
        StructType output = new StructType();
        for (int i = 0; i < keys.size(); i++) {
            output = output.add(input.fields()[i]);
        }
        output = output.add(Windows.WINDOW_MONTH, DataTypes.DateType, false);
        for (int i = 0; i < n; i++) {
            MeasureDefinition m = measures.get(i);
            kinds[i] = Kind.of(m, byPrescriberAndMonth);
            contribution[i] = input.fieldIndex(contributionColumn.apply(m));
            presence[i] = input.fieldIndex(presenceColumn.apply(m));
            output = output.add(new StructField(StratifiedCube.windowColumn(m.name()), DataTypes.DoubleType, true,
                    org.apache.spark.sql.types.Metadata.empty()));
        }
        return new WindowRollUp(keys.size(), keys.indexOf(EventColumns.PATIENT), input.fieldIndex(CARE_INDEX), kinds,
                contribution, presence, windows, output);
    }

    /** Keys, window_month, then one window value (a double) per measure, in the measures' order. */
    StructType outputSchema() {
        return output;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private Row next = rows.hasNext() ? rows.next() : null;
            private final List<Row> pending = new ArrayList<>();
            private int at;

            @Override
            public boolean hasNext() {
                while (at == pending.size() && next != null) {
                    pending.clear();
                    at = 0;
                    next = rollUp(next, rows, pending);
                }
                return at < pending.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.get(at++);
            }
        };
    }

    /**
     * Reads the rows of {@code first}'s patient (together: the rows are sorted by patient), adds the
     * window rows of each of its keys to {@code out}; returns the next patient's first row (null at
     * the end). Rows without a care month are in no window, as when exploded.
     */
    private Row rollUp(Row first, Iterator<Row> rows, List<Row> out) {
        Object patient = first.get(patientIndex);
        Map<List<Object>, KeyMonths> byKey = new LinkedHashMap<>();
        Row r = first;
        while (r != null && Objects.equals(patient, r.get(patientIndex))) {
            if (!r.isNullAt(careIndex)) {
                List<Object> key = otherKeys(r);
                KeyMonths months = byKey.get(key);
                if (months == null) {
                    months = new KeyMonths(r);
                    byKey.put(key, months);
                }
                months.of(r.getInt(careIndex)).add(r);
            }
            r = rows.hasNext() ? rows.next() : null;
        }
        for (KeyMonths k : byKey.values()) {
            emit(k.first, k.closed(), out);
        }
        return r;
    }

    /** The keys other than the patient's, as a map key (none for the indicators: one key per patient). */
    private List<Object> otherKeys(Row r) {
        if (keyCount == 1) {
            return List.of();
        }
        Object[] values = new Object[keyCount - 1];
        for (int i = 0, j = 0; i < keyCount; i++) {
            if (i != patientIndex) {
                values[j++] = r.get(i);
            }
        }
        return Arrays.asList(values);
    }

    /** One key's months, in the order their rows came. */
    private final class KeyMonths {
        final Row first;
        final Map<Integer, Month> months = new HashMap<>();

        KeyMonths(Row first) {
            this.first = first;
        }

        Month of(int index) {
            return months.computeIfAbsent(index, i -> new Month(i, kinds.length));
        }

        List<Month> closed() {
            List<Month> out = new ArrayList<>(months.size());
            months.values().forEach(m -> out.add(m.close()));
            return out;
        }
    }

    /** One row per window holding one of the months (in [first, last], on the step), in window order. */
    private void emit(Row key, List<Month> months, List<Row> out) {
        boolean[] windows = new boolean[windowDays.length];
        for (Month m : months) {
            int from = Math.max(m.index, firstWindow);
            from += Math.floorMod(firstWindow - from, step);
            for (int w = from; w <= Math.min(m.index + length - 1, lastWindow); w += step) {
                windows[(w - firstWindow) / step] = true;
            }
        }
        MonthRange range = new MonthRange(months);
        for (int i = 0; i < windows.length; i++) {
            if (!windows[i]) {
                continue;
            }
            int w = firstWindow + i * step;
            Object[] values = new Object[keyCount + 1 + kinds.length];
            for (int k = 0; k < keyCount; k++) {
                values[k] = key.get(k);
            }
            values[keyCount] = windowDays[i];
            for (int j = 0; j < kinds.length; j++) {
                values[keyCount + 1 + j] = range.windowValue(j, w - length + 1, w);
            }
            out.add(RowFactory.create(values));
        }
    }

    /**
     * One key's months laid out by month number, with running sums of each summed measure: a window's
     * sum is then a difference of two running sums, not a loop over every month of the key for every
     * window and measure (months + windows instead of months x windows; a flight recording put a fifth of
     * the roll-up's samples in that loop, yet the measured gain at scale 0.05 was within noise). The sums
     * are the same 64-bit integers in another order, so the same doubles.
     */
    private final class MonthRange {
        private final int first;
        private final Month[] byIndex;
        /** Per measure, the running sum of its monthly values and of the months holding one: [j][i] covers byIndex[0..i-1]. */
        private final long[][] sums;
        private final int[][] holding;

        MonthRange(List<Month> months) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            for (Month m : months) {
                lo = Math.min(lo, m.index);
                hi = Math.max(hi, m.index);
            }
            first = lo;
            byIndex = new Month[hi - lo + 1];
            for (Month m : months) {
                byIndex[m.index - lo] = m;
            }
            sums = new long[kinds.length][];
            holding = new int[kinds.length][];
            for (int j = 0; j < kinds.length; j++) {
                if (kinds[j] == Kind.DISTINCT || kinds[j] == Kind.FLAG) {
                    continue;
                }
                long[] s = new long[byIndex.length + 1];
                int[] h = new int[byIndex.length + 1];
                for (int i = 0; i < byIndex.length; i++) {
                    Month m = byIndex[i];
                    boolean has = m != null && m.has[j];
                    s[i + 1] = s[i] + (has ? m.value[j] : 0L);
                    h[i + 1] = h[i] + (has ? 1 : 0);
                }
                sums[j] = s;
                holding[j] = h;
            }
        }

        /** As {@link MeasureDefinition#windowValue} over months [from, to]: the exact sum of the months' values, 0 without any; flags' max. */
        Double windowValue(int j, int from, int to) {
            int a = Math.max(from, first) - first;
            int b = Math.min(to - first, byIndex.length - 1);
            Kind kind = kinds[j];
            if (kind == Kind.DISTINCT) {
                Set<String> union = new HashSet<>();
                for (int i = a; i <= b; i++) {
                    if (byIndex[i] != null && byIndex[i].items[j] != null) {
                        union.addAll(byIndex[i].items[j]);
                    }
                }
                return (double) union.size();
            }
            if (kind == Kind.FLAG) {
                Long max = null;
                for (int i = a; i <= b; i++) {
                    if (byIndex[i] != null && byIndex[i].has[j]) {
                        max = max == null ? byIndex[i].value[j] : Math.max(max, byIndex[i].value[j]);
                    }
                }
                return max == null ? null : (double) max;
            }
            if (a > b || holding[j][b + 1] == holding[j][a]) {
                return 0.0;
            }
            return (double) (sums[j][b + 1] - sums[j][a]) / ExactSums.MICROS;
        }
    }

    /** One key's events of one care month, added up as the monthly aggregation does. */
    private final class Month {
        final int index;
        /** Per measure: the sum (micro-units, integers), the OR of day bits, or the max of a flag. */
        final long[] value;
        final boolean[] has;
        final Set<String>[] items;
        private boolean closed;

        @SuppressWarnings("unchecked")
        Month(int index, int measures) {
            this.index = index;
            this.value = new long[measures];
            this.has = new boolean[measures];
            this.items = new Set[measures];
        }

        void add(Row r) {
            for (int j = 0; j < kinds.length; j++) {
                Kind kind = kinds[j];
                if (kind.presentWithTable() && !r.isNullAt(presence[j])) {
                    has[j] = true;
                }
                int c = contribution[j];
                if (r.isNullAt(c)) {
                    continue;
                }
                switch (kind) {
                    case MICROS -> { value[j] += toMicros(r.getDouble(c)); has[j] = true; }
                    case COUNT -> { value[j] += r.getInt(c); has[j] = true; }
                    case DAYS -> value[j] |= r.getLong(c);
                    case FLAG -> { value[j] = has[j] ? Math.max(value[j], r.getInt(c)) : r.getInt(c); has[j] = true; }
                    case TEXTS, DISTINCT -> {
                        if (items[j] == null) {
                            items[j] = new HashSet<>();
                        }
                        items[j].add(r.getString(c));
                    }
                }
            }
        }

        /**
         * The month's value of each measure turned into what its window sums: the micro-units of the
         * monthly value (a double for days and amounts, an integer count otherwise), as
         * {@code ExactSums.micros} rounds it; a flag stays itself.
         */
        Month close() {
            if (closed) {
                return this;
            }
            closed = true;
            for (int j = 0; j < kinds.length; j++) {
                switch (kinds[j]) {
                    case MICROS -> value[j] = toMicros(value[j] / ExactSums.MICROS);
                    case COUNT -> value[j] = toMicros((double) value[j]);
                    case DAYS -> value[j] = toMicros((double) Long.bitCount(value[j]));
                    case TEXTS -> value[j] = toMicros(items[j] == null ? 0.0 : (double) items[j].size());
                    case FLAG, DISTINCT -> { }
                }
            }
            return this;
        }
    }

    /** {@link ExactSums#toMicros} on the JVM's doubles (Spark's floor of a double is Math.floor, then a long). */
    private static long toMicros(double value) {
        return (long) Math.floor(value * ExactSums.MICROS + 0.5);
    }


    @Override
    public String toString() {
        return "WindowRollUp" + Arrays.toString(kinds);
    }
}
