package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.*;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import fr.atypie.events.EventTable;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.spark.ExactSums;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One measure per patient and care month, read from one event table with an optional filter
 * (code lists): e.g. paid sickness IJ days, antibiotic prescriptions, generic boxes.
 */
public record MeasureDefinition(String name, EventTable events, ValueKind value, Filter filter) {

    /** How the measure's value is taken from the event rows, and how months add up to a window. */
    public enum ValueKind {
        PAID_DAYS, AMOUNT, BOXES, LINES, PRESCRIPTIONS, FLAG, DISTINCT_ATC,
        /**
         * Sick-leave spells opened: the periods that open a spell ({@link SickLeaveSpells#OPENS_SPELL}),
         * i.e. the initial notices, counted in the care month and for the prescriber of their first period.
         */
        SPELLS;

        static ValueKind parse(Section s, String key) {
            String v = s.string(key, List.of("paid-days", "amount", "boxes", "lines", "prescriptions", "flag",
                    "distinct-atc", "spells"));
            return valueOf(v.toUpperCase().replace('-', '_'));
        }

        /** Flags take the max over months, distinct molecules the union, everything else the sum. */
        public boolean additive() {
            return this != FLAG && this != DISTINCT_ATC;
        }

        /**
         * Whether an event's value depends on the patient's other events (a period opens a spell only
         * if no earlier period covers the days before it): the events must be marked first, on the
         * patient's whole history ({@link SickLeaveSpells#markOpenings}), before any filter.
         */
        public boolean needsPatientHistory() {
            return this == SPELLS;
        }
    }

    /** Which event rows count. Empty lists and absent values mean "no restriction". */
    public record Filter(Optional<String> risk, List<String> atcPrefixes, List<String> atcCodes,
                         List<Integer> genericTypes, Optional<Boolean> hospitalPrescription) {
        static final Filter NONE = new Filter(Optional.empty(), List.of(), List.of(), List.of(), Optional.empty());

        static Filter from(Section s) {
            return new Filter(
                    s.has("risk") ? Optional.of(s.string("risk", List.of(RISK_SICKNESS, RISK_WORK_ACCIDENT))) : Optional.empty(),
                    s.has("atc-prefixes") ? s.strings("atc-prefixes") : List.of(),
                    s.has("atc-codes") ? s.strings("atc-codes") : List.of(),
                    s.has("generic-types") ? s.integers("generic-types") : List.of(),
                    s.has("hospital-prescription") ? Optional.of(s.bool("hospital-prescription")) : Optional.empty());
        }

        public Column predicate() {
            Column p = lit(true);
            if (risk.isPresent()) {
                p = p.and(col(RISK).equalTo(risk.get()));
            }
            if (!atcPrefixes.isEmpty()) {
                Column any = lit(false);
                for (String prefix : atcPrefixes) {
                    any = any.or(col(ATC).startsWith(prefix));
                }
                p = p.and(any);
            }
            if (!atcCodes.isEmpty()) {
                p = p.and(col(ATC).isin(atcCodes.toArray()));
            }
            if (!genericTypes.isEmpty()) {
                p = p.and(col(GENERIC_TYPE).isin(genericTypes.toArray()));
            }
            if (hospitalPrescription.isPresent()) {
                p = p.and(col(HOSPITAL_PRESCRIPTION).equalTo(hospitalPrescription.get()));
            }
            return p;
        }
    }

    private static final Map<String, EventTable> EVENT_TABLES = Map.of(
            "consultations", EventTable.CONSULTATIONS,
            "sick-leave-periods", EventTable.SICK_LEAVE_PERIODS,
            "dispensations", EventTable.DISPENSATIONS,
            "transports", EventTable.TRANSPORTS);

    static MeasureDefinition from(Section s) {
        String tableName = s.string("events", EVENT_TABLES.keySet().stream().sorted().toList());
        EventTable table = EVENT_TABLES.get(tableName);
        ValueKind value = ValueKind.parse(s, "value");
        Filter filter = s.has("filter") ? Filter.from(s.child("filter")) : Filter.NONE;
        MeasureDefinition m = new MeasureDefinition(s.name(), table, value, filter);
        m.checkColumnsExist(s);
        return m;
    }

    private void checkColumnsExist(Section s) {
        List<String> columns = List.of(events.schema().fieldNames());
        if (value == ValueKind.SPELLS && events != EventTable.SICK_LEAVE_PERIODS) {
            throw new ConfigError(s.key("value") + ": spells are counted on sick-leave-periods events, not " + events);
        }
        String needed = switch (value) {
            case PAID_DAYS -> PAID_DAYS;
            case SPELLS -> START_DATE;
            case AMOUNT -> AMOUNT;
            case BOXES -> BOXES;
            case DISTINCT_ATC -> ATC;
            default -> PATIENT;
        };
        if (!columns.contains(needed)
                || (filter.risk.isPresent() && !columns.contains(RISK))
                || ((!filter.atcPrefixes.isEmpty() || !filter.atcCodes.isEmpty()) && !columns.contains(ATC))
                || (!filter.genericTypes.isEmpty() && !columns.contains(GENERIC_TYPE))
                || (filter.hospitalPrescription.isPresent() && !columns.contains(HOSPITAL_PRESCRIPTION))) {
            throw new ConfigError(s.key("value") + "/filter: " + events + " events have no such value or filter column");
        }
    }

    /**
     * Whether the measure counts distinct items over a whole window ({@code distinct-atc}): it has
     * no monthly value that sums up, and is counted from the distinct {@link #item()}s instead.
     */
    boolean countsDistinctItems() {
        return value == ValueKind.DISTINCT_ATC;
    }

    /** The item a distinct-count measure counts on each event: its ATC when the filter keeps it, else null. */
    Column item() {
        return when(filter.predicate(), col(ATC));
    }

    /**
     * Aggregate expression over one patient's events of one care month (not for distinct counts).
     * Days and amounts are summed exactly ({@link ExactSums#micros}), whatever the order of the events.
     */
    Column monthlyValue() {
        Column keep = filter.predicate();
        return switch (value) {
            case PAID_DAYS -> ExactSums.micros(when(keep, col(PAID_DAYS)));
            case AMOUNT -> ExactSums.micros(when(keep, col(AMOUNT)));
            case BOXES -> sum(when(keep, col(BOXES)));
            case LINES -> count(when(keep, lit(1)));
            case PRESCRIPTIONS -> count_distinct(when(keep, concat_ws("|", col(CARE_DATE).cast("string"), col(PRESCRIBER))));
            case FLAG -> max(when(keep, lit(1)).otherwise(lit(0)));
            case SPELLS -> sum(contribution(false));
            case DISTINCT_ATC -> throw new IllegalStateException(name + ": a distinct count has no monthly value");
        };
    }

    /** Type of {@link #contribution(boolean)}. */
    DataType contributionType(boolean byPrescriberAndMonth) {
        return switch (value) {
            case PAID_DAYS, AMOUNT -> DataTypes.DoubleType;
            case BOXES, LINES, FLAG, SPELLS -> DataTypes.IntegerType;
            case PRESCRIPTIONS -> byPrescriberAndMonth ? DataTypes.LongType : DataTypes.StringType;
            case DISTINCT_ATC -> DataTypes.StringType;
        };
    }

    /**
     * What one event of the measure's table brings to its monthly value ({@link #monthlyValue(Column,
     * Column, boolean)}): the value where the filter keeps the event (for lines and flags, 1 or 0), the
     * prescription or the item counted.
     *
     * <p>{@code byPrescriberAndMonth}: the monthly values are kept per prescriber (among other keys)
     * and care month. A prescription (a distinct care date × prescriber) is then a distinct day of
     * the month, and its contribution that day's bit (bit 0 for a line without care date), counted by
     * {@code bit_count(bit_or(..))}: one plain aggregate, where a distinct count makes Spark aggregate
     * the rows four times, the first time on (keys, date × prescriber text).
     */
    Column contribution(boolean byPrescriberAndMonth) {
        Column keep = filter.predicate();
        Column c = switch (value) {
            case PAID_DAYS -> when(keep, col(PAID_DAYS));
            case AMOUNT -> when(keep, col(AMOUNT));
            case BOXES -> when(keep, col(BOXES));
            case LINES, FLAG -> when(keep, lit(1)).otherwise(lit(0));
            case SPELLS -> when(keep.and(col(SickLeaveSpells.OPENS_SPELL)), lit(1)).otherwise(lit(0));
            case PRESCRIPTIONS -> byPrescriberAndMonth
                    ? when(keep, pow(lit(2.0), coalesce(dayofmonth(col(CARE_DATE)), lit(0))))   // 2^day: exact as a double
                    : when(keep, concat_ws("|", col(CARE_DATE).cast("string"), col(PRESCRIBER)));
            case DISTINCT_ATC -> item();
        };
        return c.cast(contributionType(byPrescriberAndMonth));
    }

    /**
     * As {@link #monthlyValue()}, over the {@link #contribution(boolean)}s of one key's events of one
     * month, the events of other tables giving null ones; {@code presence} is non-null on the events of
     * the measure's table, so that a month without any is null, as it is with {@link #monthlyValue()}.
     */
    Column monthlyValue(Column contribution, Column presence, boolean byPrescriberAndMonth) {
        return switch (value) {
            case PAID_DAYS, AMOUNT -> ExactSums.micros(contribution);
            case BOXES, LINES, SPELLS -> sum(contribution);
            case PRESCRIPTIONS -> when(max(presence).isNotNull(), byPrescriberAndMonth
                    ? coalesce(bit_count(bit_or(contribution)).cast(DataTypes.LongType), lit(0L))
                    : count_distinct(contribution));
            case FLAG -> max(contribution);
            case DISTINCT_ATC -> throw new IllegalStateException(name + ": a distinct count has no monthly value");
        };
    }

    /**
     * Aggregate expression rolling monthly values up to a window value (a number), summed exactly
     * ({@link ExactSums#micros}: the same digits in any row order). A distinct count
     * arrives already counted per window (one row per key and window), so it sums like the others.
     */
    Column windowValue(String monthlyColumn) {
        return switch (value) {
            case FLAG -> max(col(monthlyColumn)).cast("double");
            default -> coalesce(ExactSums.micros(col(monthlyColumn)), lit(0.0));
        };
    }
}
