package fr.atypie.refresh;

import static fr.atypie.events.EventColumns.PATIENT;

import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.TargetEntry;
import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.campaigns.CampaignHistory;
import fr.atypie.config.AtypieConfig;
import fr.atypie.events.EventColumns;
import fr.atypie.procedure.Contact;
import fr.atypie.procedure.ContactStore;
import fr.atypie.procedure.FollowUp;
import fr.atypie.procedure.LegalCriterion;
import fr.atypie.procedure.LongSickLeave;
import fr.atypie.procedure.ProcedureSettings;
import fr.atypie.procedure.ProcedureState;
import fr.atypie.procedure.ProcedureTracking;
import fr.atypie.procedure.SickLeaveVolumes;
import fr.atypie.procedure.TrendAtypie;
import fr.atypie.indicators.Windows;
import fr.atypie.publish.ColumnLabels;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.CsvExport;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.MonthlyRelease.Secrecy;
import fr.atypie.publish.XlsxExport;
import java.io.IOException;
import java.nio.file.Files;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileStatus;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The procedure of art. L162-1-15 and the signals beside it, for the refresh month (package
 * {@code fr.atypie.procedure}): the crude legal criterion, the procedure state carried from last
 * month, its monthly follow-up, trend atypie, and the insured reaching day 60/90 of a sick leave.
 * Five restricted tables are published, with the follow-up's workbooks per department; the
 * nominative day-60/90 list goes to the medical service's folder of the working area
 * ({@code WORK/<YYYY-MM>/medical-service/}), never to the publication.
 */
final class ProcedureOutputs {
    static final Columns LEGAL = new Columns()
            .text("prescriber_id", "Prescripteur").text("dept", "Département").text("peer_group", "Groupe de pairs")
            .count("base_patients", "Patientèle (12 mois)").text("measure", "Mesure légale")
            .text("measure_label", "Libellé de la mesure").text("scope", "Comparaison (région ou caisse)")
            .number("value", "Valeur (12 mois)").integer("peers", "Médecins comparés")
            .number("peer_mean", "Moyenne des médecins d'activité comparable").number("peer_sd", "Écart-type des médecins comparés")
            .number("ratio", "Rapport à la moyenne").number("excess", "Excédent sur la moyenne").number("z", "z brut")
            .bool("meets", "Critère légal rempli").count("patients", "Patients en arrêt");
    // The peers' mean and SD leave the doctor out: with the group's other rows they would give the value back.
    static final List<String> LEGAL_MEASURES = List.of("value", "peer_mean", "peer_sd", "ratio", "excess", "z");

    static final Columns STATE = new Columns()
            .text("prescriber_id", "Prescripteur").text("dept", "Département").text("theme", "Thème")
            .text("month", "Mois").text("step", "Étape").text("step_label", "Libellé de l'étape")
            .text("since", "Depuis").text("until", "Jusqu'à").bool("criterion_met", "Critère légal rempli ce mois")
            .bool("persisted", "Critère persistant après l'étape").number("ij_days", "Jours d'IJ prescrits (12 mois)")
            .number("objective", "Objectif MSO (jours d'IJ, 12 mois)").bool("changed", "Étape changée ce mois")
            .bool("improved", "Amélioré après contact (retour positif)").text("reason", "Motif")
            .text("next_step", "Prochaine étape").count("patients", "Patients en arrêt");
    /** The procedure states' table under {@code restricted/}: the profile sheets read it back. */
    static final String STATE_TABLE = "procedure_state";
    // Reasons quote IJ days and objectives.
    static final List<String> STATE_MEASURES = List.of("ij_days", "objective", "reason");

    static final Columns TREND = new Columns()
            .text("prescriber_id", "Prescripteur").text("dept", "Département")
            .number("spells_now", "Arrêts prescrits (12 derniers mois)").number("spells_before", "Arrêts prescrits (12 mois précédents)")
            .number("ij_days_now", "Jours d'IJ (12 derniers mois)").number("ij_days_before", "Jours d'IJ (12 mois précédents)")
            .number("growth", "Croissance propre (rapport)").number("region_growth", "Croissance régionale (rapport)")
            .number("relative_growth", "Croissance rapportée à la région").number("trend_z", "z de tendance")
            .bool("flagged", "Entretien d'alerte proposé").text("reason", "Motif").count("patients", "Patients en arrêt");
    static final List<String> TREND_MEASURES = List.of("spells_now", "spells_before", "ij_days_now", "ij_days_before",
            "growth", "relative_growth", "trend_z", "reason");

    static final Columns LONG_LEAVE = new Columns()
            .text("dept", "Département").integer("day", "Jour d'arrêt atteint").text("month", "Mois")
            .count("insured", "Assurés atteignant ce jour dans le mois");

    static final Columns FOLLOW_UP = new Columns()
            .text("prescriber_id", "Prescripteur").text("dept", "Département").text("theme", "Thème")
            .text("current_step", "Étape en cours").text("current_since", "Étape en cours depuis")
            .text("current_until", "Étape en cours jusqu'à").text("month", "Mois suivi")
            .text("step", "Étape ce mois-là").text("step_label", "Libellé de l'étape ce mois-là")
            .bool("criterion_met", "Critère légal rempli ce mois-là").number("ij_days", "Jours d'IJ prescrits (12 mois)")
            .number("objective", "Objectif MSO (jours d'IJ, 12 mois)").number("gap", "Écart à l'objectif (jours d'IJ)")
            .number("gap_percent", "Écart à l'objectif (%)")
            .number("anticipation", "Anticipation : variation des jours d'IJ avant l'observation")
            .number("anticipation_percent", "Anticipation (%)")
            .number("rebound", "Rebond : variation des jours d'IJ depuis la fin de la procédure")
            .number("rebound_percent", "Rebond (%)")
            .count("patients", "Patients en arrêt (mois publié)");
    static final String FOLLOW_UP_TABLE = "procedure_follow_up";
    // Measured on the prescriber's patients: hidden with them (the month's count stands for the past months').
    static final List<String> FOLLOW_UP_MEASURES = List.of("ij_days", "objective", "gap", "gap_percent", "anticipation",
            "anticipation_percent", "rebound", "rebound_percent");
    /** The follow-up workbooks' prefix, beside the action lists' ({@code ciblage-<dept>.xlsx}). */
    static final String FOLLOW_UP_WORKBOOK = "suivi";
    static final String FOLLOW_UP_SHEET = "Suivi mensuel";

    static final List<Columns> ALL = List.of(LEGAL, STATE, TREND, LONG_LEAVE, FOLLOW_UP);

    /** What the refresh reports, and the contact store to write once the month is published. */
    record Result(int met, int concerned, int changed, int trendFlagged, long longLeave, ContactStore store, Store storeFile,
                  String note) {}

    private ProcedureOutputs() {}

    static Result run(SparkSession spark, AtypieConfig config, Store work, Dataset<Row> periods, Dataset<Row> spells,
                      Windows windows, YearMonth month, List<MetricAssessment> ofMonth, List<TargetEntry> entries,
                      CampaignHistory history, MonthlyRelease release) throws IOException {
        ProcedureSettings settings = config.procedure();
        // Read three times below (two windows, the day-60/90 list).
        spells = spells.persist();
        int length = config.indicators().windowMonths();
        Map<String, MetricAssessment> bases = new TreeMap<>();
        ofMonth.forEach(a -> bases.putIfAbsent(a.prescriber(), a));

        // 1. Legal criterion, crude, on the prescribers with a patient base this month.
        Map<String, Row> now = byPrescriber(SickLeaveVolumes.byPrescriber(periods, spells, month, length));
        List<LegalCriterion.PrescriberVolume> volumes = new ArrayList<>();
        for (MetricAssessment a : bases.values()) {
            Row r = now.get(a.prescriber());
            volumes.add(new LegalCriterion.PrescriberVolume(a.prescriber(), a.dept(), a.peerGroup(), a.basePatients(),
                    r == null ? 0 : r.getLong(1), r == null ? 0 : r.getDouble(2), r == null ? 0 : r.getLong(3)));
        }
        // 2. The criterion on these volumes, then the states from last month's and the contact store (with the
        // campaign history's lines).
        Store storeFile = ProcedureTracking.contactStore(work);
        ContactStore stored = ContactStore.read(storeFile);
        ProcedureTracking.Month procedure = ProcedureTracking.run(work, month, volumes, stored.withHistory(history), settings);
        List<LegalCriterion.Reading> readings = procedure.readings();
        Map<String, LegalCriterion.Reading> met = procedure.met();
        Map<String, ProcedureState> previous = procedure.previous();
        List<ProcedureState> states = procedure.states();
        List<Object[]> legal = new ArrayList<>();
        for (LegalCriterion.Reading r : readings) {
            LegalCriterion.PrescriberVolume v = r.volume();
            legal.add(new Object[] {v.prescriber(), v.dept(), v.peerGroup(), v.basePatients(), r.measure().code(),
                r.measure().label(), r.scope().name().toLowerCase(java.util.Locale.ROOT), r.value(), r.peers(), r.peerMean(),
                r.peerSd(), r.ratio(), r.excess(), r.z(), r.meets(), v.patients()});
        }

        List<Object[]> state = new ArrayList<>();
        for (ProcedureState s : states) {
            MetricAssessment a = bases.get(s.prescriber());
            Row r = now.get(s.prescriber());
            state.add(new Object[] {s.prescriber(), a == null ? null : a.dept(), s.theme(), s.month().toString(), s.step().name(),
                s.step().label(), s.since().map(YearMonth::toString).orElse(null), s.until().map(YearMonth::toString).orElse(null),
                s.criterion(), s.persisted(), s.ijDays(), s.objective(), s.changed(), s.improved(), s.reason(), s.nextStep(),
                r == null ? 0L : r.getLong(3)});
        }
        // The monthly follow-up: this month's states and those the earlier months stored.
        List<Object[]> followUp = new ArrayList<>();
        // Anticipation and rebound over the windows the campaign evaluation uses (atypie.campaigns).
        Map<String, Double> ijDaysNow = new TreeMap<>();
        now.forEach((p, r) -> ijDaysNow.put(p, r.getDouble(2)));
        // A prescriber with a patient base and no sick leave prescribed in the window: 0 days, as the criterion reads it.
        volumes.forEach(v -> ijDaysNow.putIfAbsent(v.prescriber(), v.ijDays()));
        FollowUp.Windows around = new FollowUp.Windows(config.campaigns().anticipationMonths(),
                config.campaigns().reboundMonths());
        for (FollowUp.Row f : FollowUp.rows(month, states, FollowUp.earlier(work, month), ijDaysNow, around)) {
            MetricAssessment a = bases.get(f.prescriber());
            Row r = now.get(f.prescriber());
            followUp.add(new Object[] {f.prescriber(), a == null ? null : a.dept(), f.theme(), f.currentStep().name(),
                f.currentSince().toString(), f.currentUntil() == null ? null : f.currentUntil().toString(),
                f.month().toString(), f.step().name(), f.step().label(), f.criterion(), f.ijDays(), f.objective(), f.gap(),
                f.gapPercent(), f.anticipation(), f.anticipationPercent(), f.rebound(), f.reboundPercent(),
                r == null ? 0L : r.getLong(3)});
        }
        List<Contact> proposals = new ArrayList<>();
        for (TargetEntry e : entries) {
            if (e.withinCapacity() && !e.prescriber().drivers().isEmpty()) {
                Action action = switch (e.action()) {
                    case DAM -> Action.DAM;
                    case EC -> Action.EC;
                    case MSO_MSAP -> Action.OBSERVATION;
                };
                proposals.add(new Contact(e.prescriber().prescriber(), e.prescriber().drivers().get(0).metric().theme(),
                        action, month, Contact.Outcome.PROPOSED, "ciblage " + month));
            }
        }
        proposals.addAll(ProcedureTracking.proposals(states, previous, month));

        // 3. Trend atypie: the month's window against the one 12 months earlier, when the extract holds it.
        List<Object[]> trend = new ArrayList<>();
        int flagged = 0;
        String note = "";
        YearMonth before = month.minusMonths(12);
        if (before.isBefore(windows.firstWindowMonth())) {
            note = "trend atypie needs the 12-month window ending " + before + ", before the first complete window "
                    + windows.firstWindowMonth() + ": not computed";
        } else {
            Map<String, Row> past = byPrescriber(SickLeaveVolumes.byPrescriber(periods, spells, before, length));
            List<TrendAtypie.Volumes> tv = new ArrayList<>();
            for (MetricAssessment a : bases.values()) {
                Row n = now.get(a.prescriber());
                Row p = past.get(a.prescriber());
                tv.add(new TrendAtypie.Volumes(a.prescriber(), a.dept(), n == null ? 0 : n.getLong(1), p == null ? 0 : p.getLong(1),
                        n == null ? 0 : n.getDouble(2), p == null ? 0 : p.getDouble(2), n == null ? 0 : n.getLong(3)));
            }
            for (TrendAtypie.Signal s : TrendAtypie.assess(tv, settings.trend())) {
                TrendAtypie.Volumes v = s.volumes();
                flagged += s.flagged() ? 1 : 0;
                trend.add(new Object[] {v.prescriber(), v.dept(), (double) v.spellsNow(), (double) v.spellsBefore(), v.daysNow(),
                    v.daysBefore(), s.growth(), s.regionGrowth(), s.relativeGrowth(), s.z(), s.flagged(), s.reason(), v.patients()});
            }
        }

        // 4. Insured reaching day 60/90: nominative list to the medical service's folder, counts published.
        Dataset<Row> list = LongSickLeave.list(spells, month, settings.longSickLeaveDays()).persist();
        long listed = writeMedicalServiceLists(list, work.child(month.toString()).child("medical-service"), config);
        List<Object[]> counts = new ArrayList<>();
        for (Row r : LongSickLeave.counts(list).collectAsList()) {
            counts.add(new Object[] {r.getString(0), r.getInt(1), month.toString(), r.getLong(2)});
        }
        list.unpersist();
        spells.unpersist();

        String restricted = Publisher.RESTRICTED + "/";
        table(release, restricted + "legal_criterion", LEGAL.dataset(spark, legal), LEGAL,
                new Secrecy(List.of("patients"), LEGAL_MEASURES), List.of("prescriber_id", "measure", "scope"));
        table(release, restricted + STATE_TABLE, STATE.dataset(spark, state), STATE,
                new Secrecy(List.of("patients"), STATE_MEASURES), List.of("prescriber_id", "theme"));
        publishFollowUp(release, FOLLOW_UP.dataset(spark, followUp), readMe(month, settings.steps(), around,
                config.publish().smallCellThreshold()));
        table(release, restricted + "trend_atypie", TREND.dataset(spark, trend), TREND,
                new Secrecy(List.of("patients"), TREND_MEASURES), List.of("prescriber_id"));
        table(release, restricted + "long_sick_leave", LONG_LEAVE.dataset(spark, counts), LONG_LEAVE,
                new Secrecy(List.of("insured"), List.of()), List.of("dept", "day"));
        int changed = (int) states.stream().filter(ProcedureState::changed).count();
        return new Result(met.size(), states.size(), changed, flagged, listed, stored.withProposals(proposals), storeFile, note);
    }

    /** One CSV per department ({@code arrets-longs-<dept>.csv}): pseudonyms inside, restricted working area. */
    static long writeMedicalServiceLists(Dataset<Row> list, Store folder, AtypieConfig config) throws IOException {
        // Pseudonyms inside: restricted before the first list is written, like the rest of the working area.
        RestrictedAccess access = RestrictedAccess.from(config.publish().restrictedGroup());
        access.directory(folder);
        // A re-run replaces the month's lists: no department's list of an earlier run is left behind.
        for (FileStatus f : folder.list()) {
            String n = f.getPath().getName();
            if (n.startsWith("arrets-longs-") && n.endsWith(".csv")) {
                folder.fs().delete(f.getPath(), false);
            }
        }
        ColumnLabels labels = new ColumnLabels(Map.of(EventColumns.DEPT, "Département", PATIENT, "Assuré (pseudonyme)",
                EventColumns.START_DATE, "Début de l'arrêt", LongSickLeave.DAY, "Jour atteint",
                LongSickLeave.DAY_DATE, "Date du jour atteint", "duration_days", "Durée à ce jour (jours)",
                "censored", "En cours", "initial_prescriber_id", "Prescripteur initial"));
        long n = 0;
        List<String> depts = list.select(EventColumns.DEPT).distinct().orderBy(EventColumns.DEPT).collectAsList()
                .stream().map(r -> r.getString(0)).toList();
        for (String d : depts) {
            String name = "arrets-longs-" + (d == null ? "inconnu" : d) + ".csv";
            Dataset<Row> rows = list.where(d == null ? org.apache.spark.sql.functions.col(EventColumns.DEPT).isNull()
                    : org.apache.spark.sql.functions.col(EventColumns.DEPT).equalTo(d));
            n += writeCsv(folder, name, rows, List.of(LongSickLeave.DAY, LongSickLeave.DAY_DATE, PATIENT), labels, config);
        }
        access.protect(folder);
        return n;
    }

    /**
     * One CSV in the publication's dialect ({@code atypie.publish.csv}) into {@code folder} on any file system: the CSV
     * writer writes local files, so a remote folder gets a local rendering copied in. Returns the data rows.
     */
    static long writeCsv(Store folder, String name, Dataset<Row> rows, List<String> sortKeys, ColumnLabels labels,
                         AtypieConfig config) throws IOException {
        Path local = folder.localPath().orElse(null);
        Path rendered = local != null ? local : Files.createTempDirectory("atypie-restricted-");
        long n = new CsvExport(config.publish().csv(), labels).write(name, rows, sortKeys, rendered.resolve(name));
        if (local == null) {
            folder.fs().copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(rendered.resolve(name).toUri()),
                    folder.resolve(name));
            Files.deleteIfExists(rendered);
        }
        return n;
    }

    private static Map<String, Row> byPrescriber(Dataset<Row> volumes) {
        Map<String, Row> out = new TreeMap<>();
        volumes.collectAsList().forEach(r -> out.put(r.getString(0), r));
        return out;
    }

    static void table(MonthlyRelease release, String name, Dataset<Row> table, Columns columns, Secrecy secrecy,
                              List<String> sortKeys) throws IOException {
        Dataset<Row> hidden = release.smallCells().hide(table, secrecy.patientCounts(), secrecy.measures()).persist();
        write(release, name, hidden, columns, secrecy, sortKeys);
        hidden.unpersist();
    }

    /**
     * The follow-up table, then one workbook per department ({@code restricted/workbooks/suivi-<dept>.xlsx}, one
     * sheet) from the same hidden rows: its own workbooks, so the action lists' workbooks (written before the
     * procedure is run) stay as they are. A prescriber with no department this month goes to {@code suivi-inconnu}.
     */
    static void publishFollowUp(MonthlyRelease release, Dataset<Row> table, List<String[]> readMe) throws IOException {
        Secrecy secrecy = new Secrecy(List.of("patients"), FOLLOW_UP_MEASURES);
        List<String> order = List.of("prescriber_id", "theme", "month");
        Dataset<Row> hidden = release.smallCells().hide(table, secrecy.patientCounts(), secrecy.measures()).persist();
        write(release, Publisher.RESTRICTED + "/" + FOLLOW_UP_TABLE, hidden, FOLLOW_UP, secrecy, order);
        Dataset<Row> sheet = hidden.withColumn("dept", org.apache.spark.sql.functions.coalesce(
                org.apache.spark.sql.functions.col("dept"), org.apache.spark.sql.functions.lit("inconnu")));
        release.xlsxPerDepartment(Publisher.RESTRICTED + "/workbooks", FOLLOW_UP_WORKBOOK, "dept",
                List.of(new XlsxExport.Sheet(FOLLOW_UP_SHEET, sheet, order)), secrecy, OutputTables.labels(FOLLOW_UP), readMe);
        hidden.unpersist();
    }

    /** The follow-up workbooks' "Lisez-moi" sheet (the first line is followed by the department). */
    static List<String[]> readMe(YearMonth month, ProcedureSettings.Steps steps, FollowUp.Windows around, int smallCells) {
        return List.of(
                new String[] {"Classeur", "Suivi mensuel des prescripteurs en période d'observation, MSO, MSAP ou pénalité "
                        + "proposée (procédure de l'art. L162-1-15, arrêts de travail), mois de publication " + month
                        + ". Diffusion restreinte : service médical et équipes de coordination."},
                new String[] {"Lignes", "Pour chaque prescripteur suivi, un mois par ligne depuis le début de l'étape précédant "
                        + "son étape en cours (l'EC avant l'observation, l'observation avant la MSO...) jusqu'à " + month
                        + " ; un mois sans calcul de la procédure n'a pas de ligne."},
                new String[] {"Jours d'IJ", "Jours d'IJ prescrits sur les 12 mois se terminant le mois de la ligne, tels que "
                        + "mesurés ce mois-là."},
                new String[] {"Objectif", String.format(java.util.Locale.FRANCE, "Pendant la MSO (%d mois) : jours d'IJ sur 12 mois "
                        + "à ne pas dépasser, fixés à la proposition (%.0f %% de moins). Écart : jours mesurés moins objectif "
                        + "(négatif : objectif tenu) et en %% de l'objectif.", steps.msoMonths(), 100 * steps.msoReduction())},
                new String[] {"Anticipation", "Variation des jours d'IJ sur 12 mois pendant les " + around.anticipationMonths()
                        + " mois précédant le début de l'observation (négative : baisse avant la procédure), en jours et en %."},
                new String[] {"Rebond", "Un prescripteur dont la procédure est close reste suivi " + around.reboundMonths()
                        + " mois (étape en cours « NONE ») : variation des jours d'IJ sur 12 mois depuis le dernier mois de la "
                        + "procédure (positive : reprise après la procédure), en jours et en %."},
                new String[] {"Secret statistique", "Les jours d'IJ, l'objectif, l'écart, l'anticipation et le rebond sont masqués pour un prescripteur "
                        + "dont moins de " + smallCells + " patients sont en arrêt sur les 12 mois du mois publié."});
    }

    /** {@code <name>.parquet} and {@code .csv} of an already hidden table, and its Avro contract. */
    private static void write(MonthlyRelease release, String name, Dataset<Row> hidden, Columns columns, Secrecy secrecy,
                              List<String> sortKeys) throws IOException {
        ColumnLabels labels = OutputTables.labels(columns);
        ExportTable rows = release.checkedRows(name + ".csv", hidden, secrecy, sortKeys);
        release.parquet(name + ".parquet", hidden, rows, sortKeys);
        release.csv(name + ".csv", rows, labels);
        // The published contract: the table's Avro schema, each field's label, definition, unit and population.
        String simple = name.substring(name.lastIndexOf('/') + 1);
        release.text("schemas/" + simple + ".avsc", FieldDocs.schema(simple, hidden.schema(), labels.labels()).toString(true) + "\n");
    }
}
