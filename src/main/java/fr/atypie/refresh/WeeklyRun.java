package fr.atypie.refresh;

import static fr.atypie.events.EventColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import fr.atypie.atypie.Prescribers;
import fr.atypie.config.AtypieConfig;
import fr.atypie.errors.InputError;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.IngestionResult;
import fr.atypie.events.SickLeaveSpells;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Scratch;
import fr.atypie.fs.Store;
import fr.atypie.procedure.LongSickLeave;
import fr.atypie.procedure.ProcedureSettings;
import fr.atypie.procedure.ProcedureState;
import fr.atypie.procedure.ProcedureTracking;
import fr.atypie.procedure.WeeklyFlows;
import fr.atypie.publish.ColumnLabels;
import fr.atypie.publish.SmallCells;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code atypie signals --week}: the weekly run on the latest sick-leave flows. Reads the last
 * {@code atypie.procedure.weekly.lookback-months} flux months of the extract (validated as every run:
 * {@link Ingestion}), builds the sickness spells, and for the week ending {@code asOf} (default: the
 * last day paid in those flows) writes, all restricted (owner-only, or the restricted group):
 * <ul>
 *   <li>{@code OUT/week-ending-<date>/signaux.csv}: the prescribers' signals, mandatory (under procedure
 *       and rising) then optional (trend on the weekly flows) with their rank and whether they fit the
 *       department's weekly capacity; a prescriber behind fewer than 10 patients has its counts, z and
 *       reason hidden;</li>
 *   <li>{@code OUT/week-ending-<date>/arrets-longs.csv}: insured reaching day 60/90 in the week, counted per
 *       department (counts under 10 hidden);</li>
 *   <li>{@code WORK/signals/week-ending-<date>/medical-service/arrets-longs-<dept>.csv}: the nominative list (patient
 *       pseudonyms) for the medical service, never under OUT.</li>
 * </ul>
 */
public final class WeeklyRun {
    static final Columns SIGNALS = new Columns()
            .text("week_start", "Début de la semaine").text("week_end", "Fin de la semaine").text("dept", "Département")
            .text("kind", "Type de signal").text("signal", "Signal").integer("rank", "Rang")
            .bool("within_capacity", "Dans la capacité de la semaine").text("prescriber_id", "Prescripteur")
            .text("weekly_spells", "Arrêts initiés par semaine").number("z", "z de tendance").text("reason", "Motif")
            .count("patients", "Patients en arrêt (semaines comparées)");
    static final List<String> SIGNAL_MEASURES = List.of("weekly_spells", "z", "reason");
    static final Columns LONG_LEAVE = new Columns()
            .text("week_start", "Début de la semaine").text("week_end", "Fin de la semaine").text("dept", "Département")
            .integer("day", "Jour d'arrêt atteint").count("insured", "Assurés atteignant ce jour dans la semaine");

    private WeeklyRun() {}

    /**
     * @param asOf last day of the week (default: the last day paid in the flows read)
     */
    public record Request(Store extract, Store out, Store work, Optional<LocalDate> asOf) {}

    /** What the run wrote, for the command's message and the tests. */
    public record Result(WeeklyFlows.Week week, Store folder, List<WeeklyFlows.Signal> signals, long insured,
                         long fromClaimLines) {}

    public static Result run(SparkSession spark, AtypieConfig config, Request request, PrintStream log) throws IOException {
        ProcedureSettings.Weekly weekly = config.procedure().weekly();
        ExtractLayout layout = new ExtractLayout(request.extract());
        Progress progress = new Progress(log, 3);

        Progress.Stage stage = progress.start("validate", "reading the latest sick-leave flows of " + layout.location());
        Optional<YearMonth> latest = latestFluxPartition(layout);
        Optional<YearMonth> from = latest.map(l -> l.minusMonths(weekly.lookbackMonths() - 1L));
        RestrictedAccess access = RestrictedAccess.from(config.publish().restrictedGroup());
        // The validated lines are kept in the restricted working area, where a cluster's executors can write them.
        try (Scratch lines = Scratch.in(request.work(), "weekly", access)) {
            IngestionResult ingested = Ingestion.run(spark, layout, config, from, Optional.empty(),
                    Optional.of(lines.store()));
            ingested.qualityReport().requireAcceptable();
            // Read three times: the last day paid, the spells, the prescribers' departments.
            Dataset<Row> periods = ingested.events(EventTable.SICK_LEAVE_PERIODS).persist();
            Row lastPaid = periods.where(col(RISK).equalTo(RISK_SICKNESS)).agg(max(col(END_DATE))).first();
            LocalDate asOf = request.asOf().orElseGet(() -> {
                if (lastPaid.isNullAt(0)) {
                    throw new InputError("no sickness IJ period in the flux months read" + from.map(f -> " (from " + f + ")").orElse("")
                            + ": no week to signal");
                }
                return lastPaid.getDate(0).toLocalDate();
            });
            WeeklyFlows.Week week = WeeklyFlows.Week.ending(asOf);
            String label = "week-ending-" + asOf;
            stage.done(0, 0, String.format(Locale.ROOT, "flux months %s to %s; week %s to %s",
                    from.map(Object::toString).orElse("(all)"), latest.map(Object::toString).orElse("(all)"), week.first(), week.last()));

            stage = progress.start("signals", "spells, weekly flows, procedure states");
            Dataset<Row> spells = SickLeaveSpells.build(periods, asOf, config.indicators().spellMaxGapDays()).persist();
            int weeks = Math.max(weekly.risingWeeks() + 1, weekly.recentWeeks() + weekly.baselineWeeks());
            Map<String, WeeklyFlows.Flow> flows = WeeklyFlows.flows(spells, week, weeks);
            // Departments of the prescribers: DA_PRA_R, and for those it lacks, their sick-leave lines' (the signals'
            // prescribers are the spells' initial prescribers: no other line is needed).
            Prescribers.Completed prescribers = Prescribers.withClaimLines(Prescribers.fromPractitioners(
                    ingested.validation().kept(SndsTable.DA_PRA_R), config.dcir().codes().generalPractice()),
                    List.of(periods), config.dcir().codes().generalPractice());
            Map<String, String> deptOf = new TreeMap<>();
            prescribers.prescribers().select(PRESCRIBER, DEPT).collectAsList().forEach(r -> deptOf.put(r.getString(0), r.getString(1)));
            Map<String, ProcedureState> under = underProcedure(request.work(), YearMonth.from(asOf), progress);
            List<WeeklyFlows.Signal> signals = new ArrayList<>(WeeklyFlows.rising(under, flows, deptOf, weekly.risingWeeks()));
            long mandatory = signals.size();
            List<WeeklyFlows.Signal> optional = WeeklyFlows.trend(flows, deptOf, under.keySet(), weekly.recentWeeks(),
                    weekly.baselineWeeks(), config.procedure().trend(), weekly::capacity);
            signals.addAll(optional);
            Dataset<Row> list = LongSickLeave.list(spells, week.first(), week.last(), config.procedure().longSickLeaveDays()).persist();
            stage.done(flows.size(), signals.size(), String.format(Locale.ROOT,
                    "%,d prescribers with spells in %d weeks; %d under procedure, %d rising (mandatory); %d trend signals, %d within "
                            + "capacity (optional); %,d prescribers absent from DA_PRA_R kept with the specialty of their claim lines",
                    flows.size(), weeks, under.size(), mandatory, optional.size(),
                    optional.stream().filter(WeeklyFlows.Signal::withinCapacity).count(), prescribers.fromClaimLines()));

            stage = progress.start("write", "restricted signals and counts, the medical service's lists");
            Store folder = access.directory(request.out().child(label));
            SmallCells small = SmallCells.from(config.publish());
            List<Object[]> rows = new ArrayList<>();
            for (WeeklyFlows.Signal s : signals) {
                rows.add(new Object[] {week.first().toString(), week.last().toString(), s.dept(), s.kind().name(), s.code(), s.rank(),
                    s.withinCapacity(), s.prescriber(), s.weeklySpells(), s.z(), s.reason(), s.patients()});
            }
            Dataset<Row> hidden = small.hide(SIGNALS.dataset(spark, rows), List.of("patients"), SIGNAL_MEASURES);
            small.assertNoSmallCells("signaux", hidden, List.of("patients"), SIGNAL_MEASURES);
            ProcedureOutputs.writeCsv(folder, "signaux.csv", hidden, List.of("kind", "dept", "rank", "prescriber_id"),
                    OutputTables.labels(SIGNALS), config);
            List<Object[]> counts = new ArrayList<>();
            for (Row r : LongSickLeave.counts(list).collectAsList()) {
                counts.add(new Object[] {week.first().toString(), week.last().toString(), r.getString(0), r.getInt(1), r.getLong(2)});
            }
            Dataset<Row> countsHidden = small.hide(LONG_LEAVE.dataset(spark, counts), List.of("insured"), List.of());
            small.assertNoSmallCells("arrets-longs", countsHidden, List.of("insured"), List.of());
            ProcedureOutputs.writeCsv(folder, "arrets-longs.csv", countsHidden, List.of("dept", "day"),
                    OutputTables.labels(LONG_LEAVE), config);
            access.protect(folder);
            Store medical = access.directory(access.directory(request.work().child("signals")).child(label)).child("medical-service");
            long insured = ProcedureOutputs.writeMedicalServiceLists(list, medical, config);
            list.unpersist();
            spells.unpersist();
            periods.unpersist();
            stage.done(signals.size(), insured, String.format(Locale.ROOT, "%d signals in %s; %,d insured reaching day %s in the "
                    + "week (medical service: %s)", signals.size(), folder.shown(), insured, config.procedure().longSickLeaveDays(),
                    medical.shown()));
            return new Result(week, folder, signals, insured, prescribers.fromClaimLines());
        }
    }

    /**
     * The latest procedure states carried by the monthly refresh ({@code WORK/state/procedure}): those of the week's
     * month, else of the month before; the prescribers under a step of the sick-leave theme.
     */
    static Map<String, ProcedureState> underProcedure(Store work, YearMonth month, Progress progress) throws IOException {
        for (YearMonth m : List.of(month, month.minusMonths(1))) {
            Store file = ProcedureTracking.stateFile(work, m);
            if (file.parent().isFile(file.name())) {
                Map<String, ProcedureState> out = new TreeMap<>();
                ProcedureTracking.ofTheme(ProcedureTracking.read(file), ProcedureTracking.SICK_LEAVE).values().stream()
                        .filter(ProcedureState::underProcedure).forEach(s -> out.put(s.prescriber(), s));
                progress.note("procedure states of " + m + ": " + file.shown());
                return out;
            }
        }
        progress.note("no procedure state for " + month + " or " + month.minusMonths(1) + " in " + work.shown()
                + " (atypie refresh carries them): no prescriber under procedure");
        return Map.of();
    }

    /** The latest {@code flux_month=YYYY-MM} partition of ER_PRS_F; empty when the table is not partitioned. */
    static Optional<YearMonth> latestFluxPartition(ExtractLayout layout) throws IOException {
        TreeSet<YearMonth> months = new TreeSet<>();
        String prefix = ExtractLayout.FLUX_PARTITION + "=";
        for (FileStatus f : layout.table(SndsTable.ER_PRS_F).list()) {
            String n = f.getPath().getName();
            if (f.isDirectory() && n.startsWith(prefix)) {
                try {
                    months.add(YearMonth.parse(n.substring(prefix.length())));
                } catch (java.time.format.DateTimeParseException e) {
                    // not a flux partition: the reader reports it
                }
            }
        }
        return months.isEmpty() ? Optional.empty() : Optional.of(months.last());
    }
}
