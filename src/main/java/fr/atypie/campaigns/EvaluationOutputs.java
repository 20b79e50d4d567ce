package fr.atypie.campaigns;

import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.ReportTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes {@code OUT/evaluations/<campaign>/}: effects.parquet and effects.csv, balance.csv,
 * contacts.csv, cost.csv and report.html. Files are written in a staging folder beside it, then
 * the folder is swapped in, so readers never see half an evaluation. Only prescriber-group
 * aggregates: no patient identifier and no patient count is written.
 */
public final class EvaluationOutputs {
    public static final String EFFECTS = "effects";
    public static final String BALANCE = "balance.csv";
    public static final String CONTACTS = "contacts.csv";
    public static final String COST = "cost.csv";
    public static final String REPORT = "report.html";

    // Column names of the evaluation tables.
    public static final String MEASURE = "measure";
    public static final String WINDOW = "window";
    public static final String TREATED_BEFORE = "treated_before";
    public static final String TREATED_AFTER = "treated_after";
    public static final String CONTROL_BEFORE = "control_before";
    public static final String CONTROL_AFTER = "control_after";
    public static final String DID = "did";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String N_TREATED = "n_treated";
    public static final String N_CONTROLS = "n_controls";
    public static final String PLACEBO_DID = "placebo_did";
    public static final String PLACEBO_CI_LOW = "placebo_ci_low";
    public static final String PLACEBO_CI_HIGH = "placebo_ci_high";
    public static final String TIME_PLACEBO_DID = "time_placebo_did";
    public static final String TIME_PLACEBO_CI_LOW = "time_placebo_ci_low";
    public static final String TIME_PLACEBO_CI_HIGH = "time_placebo_ci_high";
    public static final String TIME_PLACEBO_STATUS = "time_placebo_status";
    public static final String SECRET = "secret";
    public static final String COVARIATE = "covariate";
    public static final String TREATED_MEAN = "treated_mean";
    public static final String CANDIDATE_MEAN = "candidate_mean";
    public static final String CONTROL_MEAN = "control_mean";
    public static final String SMD_BEFORE = "smd_before_matching";
    public static final String SMD_AFTER = "smd_after_matching";
    public static final String BALANCED = "balanced";
    public static final String ACTION = "action";
    public static final String CONTACTS_COUNT = "contacts";
    public static final String DAYS_PER_CONTACT = "staff_days_per_contact";
    public static final String STAFF_DAYS = "staff_days";
    public static final String AVOIDED_DAYS = "avoided_ij_days";
    public static final String CIRCUMVENTED_DAYS = "circumvented_ij_days";
    public static final String NET_DAYS = "net_avoided_ij_days";
    public static final String EUROS_PER_DAY = "euros_per_ij_day";
    public static final String NET_EUROS = "net_avoided_euros";
    public static final String NET_DAYS_PER_CONTACT = "net_avoided_ij_days_per_contact";
    public static final String NET_EUROS_PER_CONTACT = "net_avoided_euros_per_contact";

    private EvaluationOutputs() {}

    /** A small table: columns with Spark types, rows in output order. */
    record Table(List<StructField> fields, List<List<Object>> rows) {
        StructType schema() {
            return new StructType(fields.toArray(StructField[]::new));
        }
    }

    /** The effects header, in order: the monthly report reads the published effects.csv by it. */
    public static final List<String> EFFECTS_COLUMNS = List.of(MEASURE, WINDOW, TREATED_BEFORE, TREATED_AFTER,
            CONTROL_BEFORE, CONTROL_AFTER, DID, CI_LOW, CI_HIGH, N_TREATED, N_CONTROLS, PLACEBO_DID, PLACEBO_CI_LOW,
            PLACEBO_CI_HIGH, TIME_PLACEBO_DID, TIME_PLACEBO_CI_LOW, TIME_PLACEBO_CI_HIGH, TIME_PLACEBO_STATUS, SECRET);

    /**
     * Effects, one row per measure × window. A row resting on fewer than {@code smallCellThreshold}
     * patients (any group × period mean, placebos included) is secret: its means and estimates are
     * left empty, the prescriber counts and the status stay.
     */
    static Table effects(CampaignEvaluation.Result r, int smallCellThreshold) {
        List<StructField> f = List.of(str(MEASURE), str(WINDOW), dbl(TREATED_BEFORE), dbl(TREATED_AFTER),
                dbl(CONTROL_BEFORE), dbl(CONTROL_AFTER), dbl(DID), dbl(CI_LOW), dbl(CI_HIGH), integer(N_TREATED),
                integer(N_CONTROLS), dbl(PLACEBO_DID), dbl(PLACEBO_CI_LOW), dbl(PLACEBO_CI_HIGH), dbl(TIME_PLACEBO_DID),
                dbl(TIME_PLACEBO_CI_LOW), dbl(TIME_PLACEBO_CI_HIGH), str(TIME_PLACEBO_STATUS),
                DataTypes.createStructField(SECRET, DataTypes.BooleanType, false));
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignEvaluation.Effect e : r.effects()) {
            boolean secret = e.patients() < smallCellThreshold;
            List<Object> row = new ArrayList<>(List.of(e.measure().code(), e.window(), e.treatedBefore(), e.treatedAfter(),
                    e.controlBefore(), e.controlAfter(), e.did(), e.ciLow(), e.ciHigh(), e.treated(), e.controls(),
                    e.placeboDid(), e.placeboLow(), e.placeboHigh(), e.timePlaceboDid(), e.timePlaceboLow(),
                    e.timePlaceboHigh(), e.timePlaceboStatus().code(), secret));
            if (secret) {
                row.replaceAll(v -> v instanceof Double ? Double.NaN : v);
            }
            rows.add(List.copyOf(row));
        }
        return new Table(f, rows);
    }

    static Table balance(CampaignEvaluation.Result r) {
        List<StructField> f = List.of(str(COVARIATE), dbl(TREATED_MEAN), dbl(CANDIDATE_MEAN), dbl(CONTROL_MEAN),
                dbl(SMD_BEFORE), dbl(SMD_AFTER), DataTypes.createStructField(BALANCED, DataTypes.BooleanType, false));
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignEvaluation.Balance b : r.balance()) {
            rows.add(List.of(b.covariate(), b.treatedMean(), b.candidateMean(), b.controlMean(), b.smdBeforeMatching(),
                    b.smdAfterMatching(), b.balanced()));
        }
        return new Table(f, rows);
    }

    static Table contacts(CampaignEvaluation.Result r) {
        List<StructField> f = List.of(str(ACTION), integer(CONTACTS_COUNT), dbl(DAYS_PER_CONTACT), dbl(STAFF_DAYS));
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignEvaluation.ContactCost c : r.contacts()) {
            rows.add(List.of(c.action().name(), c.contacts(), c.daysPerContact(), c.staffDays()));
        }
        return new Table(f, rows);
    }

    /** The cost header, in order: the monthly report reads the published cost.csv by it. */
    public static final List<String> COST_COLUMNS = List.of(WINDOW, CONTACTS_COUNT, STAFF_DAYS, AVOIDED_DAYS,
            CIRCUMVENTED_DAYS, NET_DAYS, EUROS_PER_DAY, NET_EUROS, NET_DAYS_PER_CONTACT, NET_EUROS_PER_CONTACT, SECRET);

    /**
     * Cost per after window. Avoided days come from the Δ of own and others' IJ days: when either
     * effect row is secret, so are the window's days and euros (contacts and staff days stay).
     */
    static Table cost(CampaignEvaluation.Result r, int smallCellThreshold) {
        List<StructField> f = List.of(str(WINDOW), integer(CONTACTS_COUNT), dbl(STAFF_DAYS), dbl(AVOIDED_DAYS),
                dbl(CIRCUMVENTED_DAYS), dbl(NET_DAYS), dbl(EUROS_PER_DAY), dbl(NET_EUROS), dbl(NET_DAYS_PER_CONTACT),
                dbl(NET_EUROS_PER_CONTACT), DataTypes.createStructField(SECRET, DataTypes.BooleanType, false));
        List<List<Object>> rows = new ArrayList<>();
        for (CampaignEvaluation.Savings s : r.savings()) {
            boolean secret = r.effects().stream().anyMatch(e -> e.window().equals(s.window())
                    && (e.measure() == CampaignMeasure.IJ_DAYS_PER_PATIENT || e.measure() == CampaignMeasure.OTHER_IJ_DAYS_PER_PATIENT)
                    && e.patients() < smallCellThreshold);
            rows.add(List.of(s.window(), s.contacts(), s.staffDays(), secret ? Double.NaN : s.avoidedDays(),
                    secret ? Double.NaN : s.circumventedDays(), secret ? Double.NaN : s.netAvoidedDays(),
                    secret ? Double.NaN : s.eurosPerDay(), secret ? Double.NaN : s.netAvoidedEuros(),
                    secret ? Double.NaN : s.netDaysPerContact(), secret ? Double.NaN : s.netEurosPerContact(), secret));
        }
        return new Table(f, rows);
    }

    /**
     * Writes the evaluation folder; returns it. A previous evaluation of the campaign is replaced whole.
     *
     * @param smallCellThreshold atypie.publish.small-cell-threshold: effects on fewer patients are hidden
     */
    public static Path write(SparkSession spark, CampaignEvaluation.Result r, Path out, int smallCellThreshold)
            throws IOException {
        Path root = out.resolve("evaluations");
        Path target = root.resolve(r.campaign());
        Path staging = root.resolve("." + r.campaign() + ".staging");
        Path old = root.resolve("." + r.campaign() + ".previous");
        deleteTree(staging);
        deleteTree(old);
        Files.createDirectories(staging);
        Table effects = effects(r, smallCellThreshold);
        parquet(spark, effects, staging.resolve(EFFECTS + ".parquet"));
        writeFiles(r, effects, smallCellThreshold, staging);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        return target;
    }

    /**
     * As {@link #write(SparkSession, CampaignEvaluation.Result, Path, int)}, {@code out} on any file system.
     * On HDFS the staging folder is there too: Spark writes the Parquet file into it, the CSV and HTML
     * files (rendered locally) are copied in, and two renames swap it in. On an object store, where a
     * rename copies object by object, the folder is written once as an immutable version
     * {@code evaluations/versions/<campaign>/<version>}, then one PUT of the pointer
     * {@code evaluations/<campaign>.current} publishes it ({@link VersionedFolders}); returns the version.
     */
    public static Store write(SparkSession spark, CampaignEvaluation.Result r, Store out, int smallCellThreshold)
            throws IOException {
        if (out.localPath().isPresent()) {
            return Store.local(write(spark, r, out.localPath().get(), smallCellThreshold));
        }
        FileSystem fs = out.fs();
        Store root = out.child("evaluations");
        if (!out.renamesAtomically()) {
            // Uploads of an evaluation of this campaign killed before its pointer moved.
            VersionedFolders.deleteOrphans(root, r.campaign());
            String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
            Store version = root.child(VersionedFolders.newVersion(root, r.campaign(), runId)).mkdirs();
            fill(spark, r, version, smallCellThreshold);
            VersionedFolders.deleteSuperseded(root, r.campaign(), VersionedFolders.switchTo(root, r.campaign(), root.relative(version.root())));
            return version;
        }
        Store target = root.child(r.campaign());
        Store staging = root.child("." + r.campaign() + ".staging");
        Store old = root.child("." + r.campaign() + ".previous");
        staging.delete();
        old.delete();
        staging.mkdirs();
        fill(spark, r, staging, smallCellThreshold);
        if (fs.exists(target.root())) {
            rename(fs, target.root(), old.root());
        }
        rename(fs, staging.root(), target.root());
        old.delete();
        return target;
    }

    /** Writes an evaluation's files into {@code staging}, an empty folder on a Hadoop file system. */
    private static void fill(SparkSession spark, CampaignEvaluation.Result r, Store staging, int smallCellThreshold)
            throws IOException {
        FileSystem fs = staging.fs();
        Table effects = effects(r, smallCellThreshold);
        // Spark's own write, on the shared file system: the part file is then renamed to effects.parquet.
        org.apache.hadoop.fs.Path tmp = staging.resolve(EFFECTS + ".parquet.tmp");
        List<Row> rows = effects.rows().stream().map(x -> RowFactory.create(x.toArray())).toList();
        spark.createDataFrame(rows, effects.schema()).coalesce(1).write().parquet(tmp.toString());
        FileStatus part = java.util.Arrays.stream(fs.listStatus(tmp)).filter(f -> f.getPath().getName().startsWith("part-")
                        && f.getPath().getName().endsWith(".parquet")).findFirst()
                .orElseThrow(() -> new IllegalStateException("Spark wrote no Parquet part for " + r.campaign()));
        rename(fs, part.getPath(), staging.resolve(EFFECTS + ".parquet"));
        fs.delete(tmp, true);
        Path local = Files.createTempDirectory("atypie-evaluation-");
        try {
            writeFiles(r, effects, smallCellThreshold, local);
            try (Stream<Path> files = Files.list(local)) {
                for (Path f : files.sorted().toList()) {
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), staging.resolve(f.getFileName().toString()));
                }
            }
        } finally {
            deleteTree(local);
        }
    }

    private static void rename(FileSystem fs, org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    /** The CSV files and the report, into the local folder {@code dir}. */
    private static void writeFiles(CampaignEvaluation.Result r, Table effects, int smallCellThreshold, Path dir) throws IOException {
        csv(effects, dir.resolve(EFFECTS + ".csv"));
        csv(balance(r), dir.resolve(BALANCE));
        csv(contacts(r), dir.resolve(CONTACTS));
        Table cost = cost(r, smallCellThreshold);
        csv(cost, dir.resolve(COST));
        report(r, effects, cost).write(dir.resolve(REPORT));
    }

    /** Comma-separated, '.' decimals, full precision, empty cell for NaN. */
    static void csv(Table t, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", t.fields().stream().map(StructField::name).toList())).append('\n');
        for (List<Object> row : t.rows()) {
            List<String> cells = new ArrayList<>();
            for (Object v : row) {
                cells.add(v instanceof Double d ? (Double.isFinite(d) ? Double.toString(d) : "") : String.valueOf(v));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** One Parquet file (not Spark's folder of parts), rows in the table's order. */
    static void parquet(SparkSession spark, Table t, Path file) throws IOException {
        List<Row> rows = t.rows().stream().map(r -> RowFactory.create(r.toArray())).toList();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        spark.createDataFrame(rows, t.schema()).coalesce(1).write().parquet(tmp.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            Path part = files.filter(f -> f.getFileName().toString().startsWith("part-")
                            && f.getFileName().toString().endsWith(".parquet")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Spark wrote no Parquet part for " + file));
            Files.move(part, file);
        }
        deleteTree(tmp);
    }

    static HtmlReport report(CampaignEvaluation.Result r, Table effects, Table cost) {
        HtmlReport h = new HtmlReport("Évaluation de la campagne " + r.campaign(),
                "M0 " + r.m0() + " — différence de différences contre des prescripteurs témoins appariés", "n < 10");
        h.section("Synthèse");
        h.keyFigures(List.of(
                new String[] {"Prescripteurs contactés", Integer.toString(r.contacted())},
                new String[] {"Contactés évaluables", Integer.toString(r.eligibleTreated())},
                new String[] {"Appariés", Long.toString(r.pairs().stream().map(p -> p.treated()).distinct().count())},
                new String[] {"Témoins possibles (jamais contactés)", Integer.toString(r.candidates())}));
        h.paragraph("Chaque prescripteur contacté est évalué à partir de son propre mois de contact (temps de l'événement), "
                + "ses témoins sur les mêmes mois ; témoins appariés sur la part de patients indemnisés, les jours d'IJ par "
                + "patient, la taille de patientèle, la structure de patientèle (âge, sexe, ALD) et la tendance avant contact. "
                + "Δ = (traités après − avant) − (témoins après − avant) ; intervalle bootstrap à 95 % "
                + "(ensembles appariés rééchantillonnés : un prescripteur contacté avec ses témoins, graine fixe). "
                + "Le placebo applique la même méthode "
                + "à des prescripteurs jamais contactés tirés au hasard : son effet doit être nul. Le placebo temporel "
                + "évalue les mêmes prescripteurs comme si M0 était " + r.placeboM0() + ", sur les seules données "
                + "antérieures à M0 : son effet doit aussi être nul. Les lignes reposant sur moins de "
                + "patients que le seuil de secret statistique sont vides (secret = true).");
        r.notes().forEach(h::note);
        h.section("Effets");
        h.table(table("Effets par mesure et fenêtre", effects));
        h.section("Équilibre de l'appariement");
        h.table(table("Différences moyennes standardisées (< 0,1 attendu après appariement)", balance(r)));
        h.section("Coût et effet par contact");
        h.table(table("Contacts", contacts(r)));
        h.table(table("Journées d'IJ évitées", cost));
        return h;
    }

    private static ReportTable table(String caption, Table t) {
        List<String> headers = t.fields().stream().map(StructField::name).toList();
        List<Boolean> numeric = t.fields().stream().map(f -> f.dataType() instanceof NumericType).toList();
        List<List<ReportTable.Cell>> rows = new ArrayList<>();
        for (List<Object> row : t.rows()) {
            rows.add(row.stream().map(v -> ReportTable.Cell.of(v instanceof Double d
                    ? (Double.isFinite(d) ? String.format(Locale.FRANCE, "%.3f", d) : "–") : String.valueOf(v))).toList());
        }
        return new ReportTable(caption, headers, numeric, rows);
    }

    private static StructField str(String name) {
        return DataTypes.createStructField(name, DataTypes.StringType, false);
    }

    private static StructField dbl(String name) {
        return DataTypes.createStructField(name, DataTypes.DoubleType, true);
    }

    private static StructField integer(String name) {
        return field(name, DataTypes.IntegerType);
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, false);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
