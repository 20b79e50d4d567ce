package fr.atypie.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.atypie.config.AtypieConfig;
import fr.atypie.events.EventColumns;
import fr.atypie.events.EventStore;
import fr.atypie.events.EventTable;
import fr.atypie.fs.Store;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Date;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The working area as the refresh of the month before {@link PublishedMonth#MONTH} leaves it, put on
 * any store (local disk, HDFS, S3) for a test of the scheduler's month: the month's refresh then lands
 * one new flux month on it. It is made from the shared month's full build, not computed again, beside a
 * copy of the shared extract whose files keep their paths, sizes and modification times (a flux
 * month's fingerprint), so that what the full build stored is what the month before stored:
 * <ul>
 *   <li>the event store of the extract without the new flux (held aside while the store is planned).
 *       Care months before C0, the earliest care month of the new flux, are final: no line of the new
 *       flux is of an earlier care month, so they are the full build's. Months from C0 on are stale:
 *       half of their events, so the refresh must replace them whole (kept, or added to, they would show);</li>
 *   <li>the checked lines of every flux month but the new one (the full build's), so the refresh
 *       checks that flux month alone and reads the others back, as in production.</li>
 * </ul>
 */
public final class MonthBefore {
    /** The flux month that lands. */
    public static final YearMonth NEW_FLUX = PublishedMonth.MONTH;
    public static final List<SndsTable> FLUX_TABLES = List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonthBefore() {
    }

    /**
     * Puts the month before's working area in {@code work} for {@code extract}, a copy of the shared
     * extract ({@code built}'s) whose files keep their modification times.
     */
    public static void put(Store extract, Store work, PublishedMonth.Fixture built) throws IOException {
        ExtractLayout layout = ExtractLayout.at(extract.toString());
        org.apache.hadoop.fs.Path aside = extract.root().getParent();
        for (SndsTable t : FLUX_TABLES) {
            rename(extract, newFlux(layout, t), new org.apache.hadoop.fs.Path(aside, "held-" + t.name()));
        }
        AtypieConfig settings = built.settings();
        Column finalMonths = col(EventColumns.CARE_MONTH).lt(lit(Date.valueOf(earliestCareOfNewFlux(built.extract()).atDay(1))));
        try (EventStore store = EventStore.open(work.child("state/events"))) {
            EventStore.Plan plan = store.plan(SharedSpark.get(), layout, MonthlyRefresh.eventSettings(settings,
                    Nomenclatures.of(SharedSpark.get(), layout)), settings.quality().earliestCareYear(), false);
            if (!plan.full()) {
                throw new IllegalStateException("the month before's store must be new: " + plan.describe());
            }
            Map<YearMonth, YearMonth> firstCare = EventStore.firstCareByFlux(SharedSpark.get(), layout, plan.fluxToRead(),
                    settings.quality().earliestCareYear());
            built.withEventStore(fullBuild -> {
                Map<EventTable, Dataset<Row>> monthBefore = new EnumMap<>(EventTable.class);
                fullBuild.read(SharedSpark.get()).forEach((t, events) -> monthBefore.put(t,
                        events.where(finalMonths.or(pmod(hash(col(EventColumns.PATIENT)), lit(2)).equalTo(0)))));
                store.update(monthBefore, plan, firstCare, "the-month-before");
                return null;
            });
        }
        Store lines = StoredLineMonths.inWork(work);
        work.fs().copyFromLocalFile(false, true, StoredLineMonths.inWork(Store.local(built.root().resolve("work"))).root(),
                lines.root());
        for (SndsTable t : FLUX_TABLES) {
            Store months = StoredLineMonths.folder(lines, t);
            ObjectNode state = (ObjectNode) JSON.readTree(months.readText(StoredLineMonths.STATE).orElseThrow());
            if (((ObjectNode) state.get("months")).remove(NEW_FLUX.toString()) == null) {
                throw new IllegalStateException(t + "'s stored lines hold no " + NEW_FLUX + ": " + state);
            }
            months.writeText(StoredLineMonths.STATE, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        }
        for (SndsTable t : FLUX_TABLES) {
            rename(extract, new org.apache.hadoop.fs.Path(aside, "held-" + t.name()), newFlux(layout, t));
        }
    }

    /** C0: the earliest care month of the new flux, read straight from the extract. */
    public static YearMonth earliestCareOfNewFlux(Path extract) {
        Row min = SharedSpark.get().read().parquet(new ExtractLayout(extract).fluxDir(SndsTable.ER_PRS_F, NEW_FLUX).toString())
                .agg(functions.min(SndsColumns.EXE_SOI_DTD)).first();
        return YearMonth.from(min.getDate(0).toLocalDate());
    }

    private static org.apache.hadoop.fs.Path newFlux(ExtractLayout layout, SndsTable t) {
        return layout.table(t).resolve(ExtractLayout.FLUX_PARTITION + "=" + NEW_FLUX);
    }

    private static void rename(Store extract, org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) throws IOException {
        if (!extract.fs().rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }
}
