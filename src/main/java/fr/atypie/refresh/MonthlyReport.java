package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;

import fr.atypie.atypie.Metric;
import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.Segment;
import fr.atypie.campaigns.PublishedEvaluation;
import fr.atypie.errors.InputError;
import fr.atypie.config.AtypieConfig;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.SmallCells;
import fr.atypie.indicators.IndicatorDefinition;
import fr.atypie.publish.PublishColumns;
import fr.atypie.publish.report.BarChart;
import fr.atypie.publish.report.Departments;
import fr.atypie.publish.report.FrenchFormat;
import fr.atypie.publish.report.HtmlReport;
import fr.atypie.publish.report.LineChart;
import fr.atypie.publish.report.ReportTable;
import fr.atypie.publish.report.SparklineMatrix;
import fr.atypie.quality.QualityReport;
import fr.atypie.quality.QualityOutputs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The month's self-contained HTML report for everyone in the coordination teams: key figures, the
 * department × CPG indicator matrix, indicators (consolidated beside provisional), savings against
 * the trend, prescriber counts per theme, segment sizes and data quality. It is built from the
 * published tables (small cells already hidden), so it shows nothing the exports do not, and it
 * holds aggregates only: no prescriber and no patient is named (the prescriber-level documents
 * are {@link PrescriberReports}, under {@code restricted/}).
 */
public final class MonthlyReport {
    /** The report's file name in the month's folder. */
    public static final String REPORT_FILE = "rapport.html";

    private MonthlyReport() {}

    /** Rows read, kept and quarantined of one SNDS table: what the report says of data quality. */
    record TableCounts(String table, long rowsIn, long kept, long quarantined) {
        static List<TableCounts> of(QualityReport q) {
            return q.tables().stream().map(t -> new TableCounts(t.table().name(), t.rowsIn(), t.kept(), t.quarantined()))
                    .toList();
        }
    }

    /**
     * Re-renders {@code rapport.html} and {@code restricted/rapport-prescripteurs.html} of a published
     * month from its published tables alone (the Parquet files and {@code quality/quality-report.json}),
     * with the builders the refresh uses, and replaces the published files atomically (written aside,
     * then renamed over them). The profile sheets, which need the campaign history, are left as published.
     *
     * @param publication the month's folder, {@code OUT/YYYY-MM}
     */
    public static Path render(SparkSession spark, AtypieConfig config, Path publication, YearMonth month) throws IOException {
        render(spark, config, Store.local(publication), month);
        return publication.resolve(REPORT_FILE);
    }

    /** As {@link #render(SparkSession, AtypieConfig, Path, YearMonth)}, the month on any file system ({@code hdfs://...}). */
    public static Store render(SparkSession spark, AtypieConfig config, Store publication, YearMonth month) throws IOException {
        String json = "quality/" + QualityOutputs.REPORT_JSON;
        for (String required : List.of("manifest.json", json)) {
            if (!publication.isFile(required)) {
                throw new InputError(publication.shown() + " is not a published month: " + required
                        + " is missing (run 'atypie refresh --month " + month + "' first)");
            }
        }
        Publisher.Tables published = new Publisher.Tables(read(spark, publication, "indicators"),
                read(spark, publication, "trend"), read(spark, publication, "scorecard"), read(spark, publication, "scores"),
                read(spark, publication, Publisher.RESTRICTED + "/segments"),
                read(spark, publication, Publisher.RESTRICTED + "/prescriber_metrics"),
                read(spark, publication, Publisher.RESTRICTED + "/targeting"),
                read(spark, publication, Publisher.RESTRICTED + "/typology"));
        List<TableCounts> quality = new ArrayList<>();
        for (Config t : ConfigFactory.parseString(publication.readText(json).orElseThrow()).getConfigList("tables")) {
            quality.add(new TableCounts(t.getString("table"), t.getLong("rows_in"), t.getLong("kept"), t.getLong("quarantined")));
        }
        HtmlReport report = build(config, month, published, quality, SmallCells.from(config.publish()).hiddenLabel(),
                PublishedEvaluation.readAll(publication.child(Publisher.EVALUATIONS)));
        String restricted = Publisher.RESTRICTED + "/" + RESTRICTED_REPORT_FILE;
        // Written aside, then renamed over the published file (atomic on a local disk and on HDFS).
        publication.writeTextAtomically(restricted, PrescriberReports.report(config, month, published,
                SmallCells.from(config.publish()).hiddenLabel()).render());
        RestrictedAccess.from(config.publish().restrictedGroup()).protect(publication.child(restricted));
        publication.writeTextAtomically(REPORT_FILE, report.render());
        return publication.child(REPORT_FILE);
    }

    private static Dataset<Row> read(SparkSession spark, Store publication, String table) throws IOException {
        if (!publication.isFile(table + ".parquet")) {
            throw new InputError(publication.shown() + ": published table " + table + ".parquet is missing");
        }
        return spark.read().parquet(publication.resolve(table + ".parquet").toString());
    }

    /**
     * The public report, from the published tables (small cells already hidden), the data-quality
     * counts and the month's copies of the campaign evaluations (none: no evaluation section): the
     * refresh and {@code atypie report} call this same builder, so they give the same bytes. It
     * holds aggregates only: counts of prescribers, never one prescriber (issue 18: the funnels
     * per prescriber are in {@link #RESTRICTED_REPORT_FILE} under {@code restricted/}), and a
     * secret cell shows no number at all.
     */
    static HtmlReport build(AtypieConfig config, YearMonth month, Publisher.Tables published, List<TableCounts> quality,
                            String hiddenLabel, List<PublishedEvaluation> evaluations) {
        YearMonth provisionalFrom = month.minusMonths(config.dcir().consolidationMonths() - 1L);
        HtmlReport r = new HtmlReport("atypie – " + config.region().name() + " – " + month,
                "Indicateurs CPG standardisés, atypie des prescripteurs et ciblage de l'accompagnement ; "
                        + "fenêtres de 12 mois glissants se terminant en " + month + " (mois de soins provisoires à partir de "
                        + FrenchFormat.month(provisionalFrom) + ").", hiddenLabel);

        Map<Segment, Integer> counts = new EnumMap<>(Segment.class);
        long prescribers = 0;
        for (Row row : published.segments().groupBy("segment").count().collectAsList()) {
            counts.put(Segment.valueOf(row.getString(0)), (int) row.getLong(1));
            prescribers += row.getLong(1);
        }
        Map<String, long[]> actions = new TreeMap<>();   // action → {within capacity, listed}
        for (Row row : published.targeting().groupBy("action", "within_capacity").count().collectAsList()) {
            long[] a = actions.computeIfAbsent(row.getString(0), k -> new long[2]);
            a[1] += row.getLong(2);
            if (!row.isNullAt(1) && row.getBoolean(1)) {
                a[0] += row.getLong(2);
            }
        }
        long rowsIn = quality.stream().mapToLong(TableCounts::rowsIn).sum();
        long quarantined = quality.stream().mapToLong(TableCounts::quarantined).sum();
        r.section("Chiffres clés");
        List<String[]> tiles = new ArrayList<>();
        tiles.add(new String[] {"Prescripteurs évalués", fmt(prescribers - counts.getOrDefault(Segment.NOT_ASSESSABLE, 0)),
            "sur " + fmt(prescribers) + " prescripteurs actifs"});
        for (String action : OutputTables.ACTIONS) {
            long[] a = actions.getOrDefault(action, new long[2]);
            tiles.add(new String[] {ACTION_TILES.get(action), fmt(a[0]),
                a[1] == a[0] ? "tous dans la capacité du mois" : fmt(a[1]) + " sur la liste, " + fmt(a[0]) + " dans la capacité"});
        }
        tiles.add(new String[] {"Lignes mises en quarantaine", fmt(quarantined),
            rowsIn == 0 ? "" : FrenchFormat.percent(100.0 * quarantined / rowsIn, 2) + " des " + fmt(rowsIn) + " lignes lues"});
        r.keyFigures(tiles);

        cpgMatrix(r, config, published);
        indicatorTables(r, config, month, published);
        departmentTrends(r, config, published);
        savings(r, config, published, provisionalFrom);
        prescriberCounts(r, config, month, published, counts);

        r.section("Qualité des données");
        r.paragraph("Lignes lues dans l'extrait, gardées et mises en quarantaine (règle de rejet et exemples dans "
                + "quality/quality-report.txt).");
        List<List<ReportTable.Cell>> q = new ArrayList<>();
        for (TableCounts t : quality) {
            q.add(List.of(ReportTable.Cell.of(t.table()), num(t.rowsIn()), num(t.kept()), num(t.quarantined()),
                    ReportTable.Cell.of(t.rowsIn() == 0 ? "–" : FrenchFormat.percent(100.0 * t.quarantined() / t.rowsIn(), 2))));
        }
        r.table(new ReportTable("Lignes par table SNDS", List.of("Table", "Lignes lues", "Gardées", "En quarantaine",
                "Part en quarantaine"), List.of(false, true, true, true, true), q));
        if (!evaluations.isEmpty()) {
            evaluations(r, evaluations);
        }
        r.footer("atypie – aucun identifiant de patient ni de prescripteur dans ce rapport ; cellules de moins de "
                + config.publish().smallCellThreshold() + " patients masquées (" + hiddenLabel + ") ; le détail par "
                + "prescripteur est dans restricted/" + RESTRICTED_REPORT_FILE + ".");
        return r;
    }

    /** French names of the CPG indicators the catalogue does not compute (entered or from other sources). */
    static final Map<String, String> CPG_LABELS = Map.ofEntries(
            Map.entry("axis-1-success", "Axe 1 : taux de réussite (saisi)"),
            Map.entry("axis-3-success", "Axe 3 : taux de réussite (saisi)"),
            Map.entry("axis-5-success", "Axe 5 : taux de réussite (saisi)"),
            Map.entry("ij-long-spells-reduction", "Réduction des arrêts de plus de 180 jours (%)"),
            Map.entry("ij-checked-before-180", "Arrêts contrôlés avant J180 (%)"),
            Map.entry("aat-dematerialised", "Avis d'arrêt de travail dématérialisés (%)"),
            Map.entry("drug-savings-gp", "Économies médicaments, prescripteurs de ville (MEUR)"),
            Map.entry("drug-savings-specialty", "Économies médicaments de spécialité (MEUR)"),
            Map.entry("lpp-physio-nurse-lab-imaging-savings", "Économies LPP, kinés, infirmiers, biologie, imagerie (MEUR)"),
            Map.entry("elderly-iatrogenics-savings", "Économies iatrogénie du sujet âgé (MEUR)"),
            Map.entry("day-surgery-rate", "Taux de chirurgie ambulatoire (%)"),
            Map.entry("hp-contacts", "Contacts avec les professionnels de santé"));

    /** The restricted report's file name, under {@code restricted/}. */
    public static final String RESTRICTED_REPORT_FILE = "rapport-prescripteurs.html";

    static final Map<String, String> ACTION_TILES = Map.of(
            "Visites DAM", "Visites DAM à faire ce mois",
            "Échanges confraternels", "Échanges confraternels proposés",
            "MSO-MSAP", "Candidats MSO/MSAP",
            "Retour positif", "Retours positifs à faire");

    /** Department × CPG indicator: success rate against the objective, coloured; score and rank. */
    private static void cpgMatrix(HtmlReport r, AtypieConfig config, Publisher.Tables published) {
        r.section("Tableau de bord CPG par département");
        r.paragraph("Taux de réussite de chaque indicateur du contrat par rapport à son objectif (100 % : objectif atteint), "
                + "résultat et objectif au survol. Score = Σ(taux de réussite de l'axe × points de l'axe) / 1 000 ; un "
                + "département n'a de score que si chaque indicateur du contrat a un résultat (mesuré ici ou saisi dans "
                + "conf/cpg.conf).");
        List<Row> cells = published.scorecard().orderBy("axis", "indicator", "dept").collectAsList();
        List<String> depts = new ArrayList<>(new TreeSet<>(cells.stream().map(c -> c.<String>getAs("dept")).toList()));
        Map<String, Map<String, Row>> byIndicator = new LinkedHashMap<>();
        for (Row c : cells) {
            byIndicator.computeIfAbsent(c.<String>getAs("indicator"), k -> new TreeMap<>()).put(c.getAs("dept"), c);
        }
        Map<String, Row> scores = new TreeMap<>();
        published.scores().collectAsList().forEach(s -> scores.put(s.getAs("dept"), s));
        List<String> headers = new ArrayList<>(List.of("Indicateur CPG"));
        depts.forEach(d -> headers.add(Departments.label(d)));
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        depts.forEach(d -> numeric.add(true));
        Map<String, String> labels = indicatorLabels(config);
        List<List<ReportTable.Cell>> rows = new ArrayList<>();
        for (var e : byIndicator.entrySet()) {
            List<ReportTable.Cell> row = new ArrayList<>(List.of(ReportTable.Cell.of(labels.getOrDefault(e.getKey(), e.getKey()))));
            for (String d : depts) {
                Row c = e.getValue().get(d);
                Double success = c == null ? null : c.getAs("success");
                if (success == null || c.isNullAt(c.fieldIndex("result"))) {
                    row.add(ReportTable.Cell.toned("–", "none", "pas de résultat"));
                    continue;
                }
                String tone = success >= 99.995 ? "good" : success >= 50 ? "mid" : "bad";
                String sign = tone.equals("good") ? " ✓" : tone.equals("bad") ? " ✗" : "";
                Double objective = c.getAs("objective");
                row.add(ReportTable.Cell.toned(FrenchFormat.number(success, 0) + " %" + sign, tone,
                        "résultat " + FrenchFormat.number(c.<Double>getAs("result"), 2)
                                + (objective == null ? "" : ", objectif " + FrenchFormat.number(objective, 2))));
            }
            rows.add(row);
        }
        List<ReportTable.Cell> score = new ArrayList<>(List.of(ReportTable.Cell.of("Score CPG (rang)")));
        for (String d : depts) {
            Row s = scores.get(d);
            boolean complete = s != null && !s.isNullAt(s.fieldIndex("complete")) && s.<Boolean>getAs("complete");
            score.add(ReportTable.Cell.of(!complete ? "incomplet"
                    : FrenchFormat.number(s.<Double>getAs("score"), 1) + " % (" + s.getAs("rank") + ")"));
        }
        rows.add(score);
        r.table(new ReportTable("Taux de réussite par indicateur et par département", headers, numeric, rows));
        r.toneLegend(List.of(new String[] {"good", "objectif atteint (✓)"}, new String[] {"mid", "50 à 99 %"},
                new String[] {"bad", "moins de 50 % (✗)"}, new String[] {"none", "sans résultat"}));
    }

    private static Map<String, String> indicatorLabels(AtypieConfig config) {
        Map<String, String> labels = new TreeMap<>(CPG_LABELS);
        for (IndicatorDefinition d : config.indicators().catalogue()) {
            labels.put(d.name(), d.label());
            d.cpgIndicator().ifPresent(c -> labels.putIfAbsent(c, d.label()));
        }
        for (TrendSavings.Series s : config.indicators().savings().series()) {
            labels.put(s.name(), s.label());
            s.cpgIndicator().ifPresent(c -> labels.put(c, s.label()));
        }
        return labels;
    }

    /**
     * Region: each indicator on the latest consolidated window beside the provisional one, with
     * why it matters; departments: the standardised ratio of the consolidated window, coloured
     * when its 95 % interval excludes 1 (worse or better than the region's structure predicts).
     */
    private static void indicatorTables(HtmlReport r, AtypieConfig config, YearMonth month, Publisher.Tables published) {
        List<Row> all = published.indicators().select("indicator", "label", "unit", "lower_is_better", "level", "territory",
                "window_month", "status", "value", "standardised_ratio", "ratio_lower", "ratio_upper", "change", "secret")
                .orderBy("indicator", "territory", "window_month").collectAsList();
        String consolidated = all.stream().filter(x -> "consolidé".equals(x.getAs("status")))
                .map(x -> x.<String>getAs("window_month")).max(String::compareTo).orElse(null);
        String current = month.toString();
        String region = config.region().code();
        Map<String, String> why = new TreeMap<>();
        config.indicators().catalogue().forEach(d -> why.put(d.name(), d.why()));
        Map<String, Map<String, Row>> byKey = new LinkedHashMap<>();   // indicator → territory|window → row
        Map<String, Row> first = new LinkedHashMap<>();
        TreeSet<String> depts = new TreeSet<>();
        for (Row x : all) {
            String ind = x.getAs("indicator");
            first.putIfAbsent(ind, x);
            byKey.computeIfAbsent(ind, k -> new TreeMap<>()).put(x.getAs("territory") + "|" + x.getAs("window_month"), x);
            if (!region.equals(x.getAs("territory"))) {
                depts.add(x.getAs("territory"));
            }
        }
        r.section("Indicateurs de la région");
        r.paragraph("Chaque indicateur sur la dernière fenêtre consolidée" + (consolidated == null ? " (aucune dans l'extrait)"
                : " (12 mois se terminant en " + FrenchFormat.month(YearMonth.parse(consolidated)) + ")")
                + " à côté de la fenêtre du mois (" + FrenchFormat.month(month) + "), encore provisoire : les flux de ses "
                + "derniers mois de soins continuent d'arriver, ses valeurs de volume sont sous-estimées. Ratio standardisé : "
                + "observé / attendu à structure régionale (âge, sexe, ALD).");
        List<List<ReportTable.Cell>> rows = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            Row f = first.get(e.getKey());
            Row c = consolidated == null ? null : e.getValue().get(region + "|" + consolidated);
            Row p = e.getValue().get(region + "|" + current);
            rows.add(List.of(ReportTable.Cell.of(f.getAs("label")), value(c), value(p), change(p, f),
                    ReportTable.Cell.of(why.getOrDefault(e.getKey(), "Économie par rapport à la tendance (voir plus bas)."))));
        }
        r.table(new ReportTable("Indicateurs de " + config.region().name(), List.of("Indicateur",
                "Fenêtre consolidée" + (consolidated == null ? "" : " " + consolidated), "Fenêtre " + current + " (provisoire)",
                "Évolution sur 12 mois", "Pourquoi"), List.of(false, true, true, true, false), rows));

        String window = consolidated == null ? current : consolidated;
        r.section("Indicateurs par département");
        r.paragraph("Ratio standardisé (observé / attendu à structure régionale) de chaque département sur la fenêtre "
                + window + (consolidated == null ? " (provisoire)" : " (consolidée)") + ". Coloré quand l'intervalle à 95 % "
                + "exclut 1 : moins favorable (▲ ou ▼ selon le sens de l'indicateur) ou plus favorable que la structure de sa "
                + "population ne le prédit. Valeur brute et intervalle au survol.");
        List<String> headers = new ArrayList<>(List.of("Indicateur"));
        depts.forEach(d -> headers.add(Departments.label(d)));
        List<Boolean> numeric = new ArrayList<>(List.of(false));
        depts.forEach(d -> numeric.add(true));
        List<List<ReportTable.Cell>> matrix = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            Row f = first.get(e.getKey());
            boolean lowerIsBetter = Boolean.TRUE.equals(f.getAs("lower_is_better"));
            List<ReportTable.Cell> row = new ArrayList<>(List.of(ReportTable.Cell.of(f.getAs("label"))));
            for (String d : depts) {
                row.add(ratio(e.getValue().get(d + "|" + window), lowerIsBetter));
            }
            if (row.stream().skip(1).allMatch(c -> "–".equals(c.text()))) {
                continue;   // not standardised (savings, spell cohorts): the region table has it
            }
            matrix.add(row);
        }
        r.table(new ReportTable("Ratio standardisé par département, fenêtre " + window, headers, numeric, matrix));
        r.toneLegend(List.of(new String[] {"bad", "moins favorable que l'attendu"},
                new String[] {"good", "plus favorable que l'attendu"}, new String[] {"none", "non différent de l'attendu"}));
    }

    /**
     * "Tendances par département": each indicator's 12-month value over every published window,
     * one sparkline per territory (the region first), on a scale shared by the indicator's row;
     * provisional windows shaded, secret values left out. Aggregates only, as published.
     */
    private static void departmentTrends(HtmlReport r, AtypieConfig config, Publisher.Tables published) {
        List<Row> all = published.indicators().where(col("family").notEqual(TrendSavings.FAMILY))
                .select("indicator", "label", "level", "territory", "window_month", "status", "value", "secret")
                .orderBy("indicator", "territory", "window_month").collectAsList();
        String region = config.region().code();
        TreeSet<String> windows = new TreeSet<>();
        TreeSet<String> depts = new TreeSet<>();
        TreeSet<String> provisional = new TreeSet<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Map<String, Row>> byKey = new LinkedHashMap<>();   // indicator → territory|window → row
        Set<String> departmental = new java.util.HashSet<>();
        for (Row x : all) {
            String ind = x.getAs("indicator");
            windows.add(x.getAs("window_month"));
            if ("provisoire".equals(x.getAs("status"))) {
                provisional.add(x.getAs("window_month"));
            }
            if (!region.equals(x.getAs("territory"))) {
                depts.add(x.getAs("territory"));
                departmental.add(ind);
            }
            labels.putIfAbsent(ind, x.getAs("label"));
            byKey.computeIfAbsent(ind, k -> new TreeMap<>()).put(x.getAs("territory") + "|" + x.getAs("window_month"), x);
        }
        if (departmental.isEmpty()) {
            return;
        }
        List<String> territories = new ArrayList<>(List.of(region));
        territories.addAll(depts);
        List<String> periods = new ArrayList<>(windows);
        int firstProvisional = provisional.isEmpty() ? periods.size() : periods.indexOf(provisional.first());
        r.section("Tendances par département");
        r.paragraph("Valeur de chaque indicateur sur 12 mois glissants, fenêtre par fenêtre de " + periods.get(0) + " à "
                + periods.get(periods.size() - 1) + ", pour la région puis chaque département : une ligne par indicateur, "
                + "à la même échelle sur la ligne (les niveaux se comparent d'un département à l'autre). Les fenêtres "
                + "grisées sont provisoires : leurs derniers mois de soins sont incomplets, une baisse finale y vient des "
                + "flux en retard. Un trou est une valeur masquée (moins de " + config.publish().smallCellThreshold()
                + " patients). Premières et dernières valeurs au survol, toutes dans le tableau de données.");
        List<String> columns = new ArrayList<>(List.of(config.region().name()));
        depts.forEach(d -> columns.add(Departments.label(d)));
        List<SparklineMatrix.Line> lines = new ArrayList<>();
        List<String> headers = new ArrayList<>(List.of("Indicateur", "Territoire"));
        periods.forEach(w -> headers.add(FrenchFormat.shortMonth(YearMonth.parse(w))));
        List<Boolean> numeric = new ArrayList<>(List.of(false, false));
        periods.forEach(w -> numeric.add(true));
        List<List<ReportTable.Cell>> data = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            if (!departmental.contains(e.getKey())) {
                continue;
            }
            List<List<Double>> cells = new ArrayList<>();
            for (int t = 0; t < territories.size(); t++) {
                List<Double> values = new ArrayList<>();
                List<ReportTable.Cell> row = new ArrayList<>(List.of(ReportTable.Cell.of(labels.get(e.getKey())),
                        ReportTable.Cell.of(columns.get(t))));
                for (String w : periods) {
                    Row x = e.getValue().get(territories.get(t) + "|" + w);
                    Double v = x == null || secret(x) ? null : x.<Double>getAs("value");
                    values.add(v);
                    row.add(x != null && secret(x) ? ReportTable.Cell.HIDDEN
                            : ReportTable.Cell.of(v == null ? "–" : FrenchFormat.number(v, 2)));
                }
                cells.add(values);
                data.add(row);
            }
            lines.add(new SparklineMatrix.Line(labels.get(e.getKey()), cells, 2));
        }
        r.chart(new SparklineMatrix("Indicateurs sur 12 mois glissants, par territoire", columns, periods, firstProvisional,
                        lines), null,
                new ReportTable("Tendances par département : données", headers, numeric, data));
    }

    private static ReportTable.Cell value(Row x) {
        if (x == null) {
            return ReportTable.Cell.of("–");
        }
        if (secret(x)) {
            return ReportTable.Cell.HIDDEN;
        }
        Double v = x.getAs("value");
        return ReportTable.Cell.of(v == null ? "–" : FrenchFormat.number(v, 2));
    }

    private static ReportTable.Cell change(Row x, Row f) {
        if (x == null) {
            return ReportTable.Cell.of("–");
        }
        if (secret(x)) {
            return ReportTable.Cell.HIDDEN;
        }
        Double c = x.getAs("change");
        return ReportTable.Cell.of(c == null ? "–" : (c > 0 ? "+" : "") + FrenchFormat.number(c, 2));
    }

    private static ReportTable.Cell ratio(Row x, boolean lowerIsBetter) {
        if (x == null) {
            return ReportTable.Cell.toned("–", "none", null);
        }
        if (secret(x)) {
            return ReportTable.Cell.HIDDEN;
        }
        Double sr = x.getAs("standardised_ratio");
        Double lo = x.getAs("ratio_lower");
        Double hi = x.getAs("ratio_upper");
        Double v = x.getAs("value");
        if (sr == null) {
            return ReportTable.Cell.toned("–", "none", null);
        }
        String tip = "valeur " + (v == null ? "–" : FrenchFormat.number(v, 2)) + (lo == null || hi == null ? ""
                : ", IC 95 % " + FrenchFormat.number(lo, 2) + " – " + FrenchFormat.number(hi, 2));
        boolean above = lo != null && lo > 1;
        boolean below = hi != null && hi < 1;
        if (!above && !below) {
            return ReportTable.Cell.toned(FrenchFormat.number(sr, 2), "none", tip);
        }
        boolean worse = lowerIsBetter ? above : below;
        return ReportTable.Cell.toned(FrenchFormat.number(sr, 2) + (above ? " ▲" : " ▼"), worse ? "bad" : "good", tip);
    }

    private static boolean secret(Row x) {
        int s = x.fieldIndex(PublishColumns.SECRET);
        return !x.isNullAt(s) && x.getBoolean(s);
    }

    /** Observed and expected savings series, provisional months shaded, each with its data table. */
    private static void savings(HtmlReport r, AtypieConfig config, Publisher.Tables published, YearMonth provisionalFrom) {
        r.section("Économies par rapport à la tendance");
        r.paragraph("Série observée et série attendue (" + switch (config.indicators().savings().method()) {
                    case PREVIOUS_YEAR_GROWTH -> "croissance de l'année précédente";
                    case LINEAR -> "tendance linéaire";
                } + ") côte à côte, région entière ; l'écart cumulé "
                + "sur la fenêtre est l'économie publiée (en MEUR) dans le tableau des indicateurs.");
        r.note("Les mois grisés sont provisoires (à partir de " + FrenchFormat.month(provisionalFrom) + ") : leurs soins ne "
                + "sont pas encore tous remboursés, la baisse de la série observée y vient des flux en retard, pas d'une économie.");
        for (TrendSavings.Series s : config.indicators().savings().series()) {
            List<Row> points = published.trend().where(col("series").equalTo(s.name())
                    .and(col("territory").equalTo(config.region().code()))).orderBy("month").collectAsList();
            if (points.isEmpty()) {
                continue;
            }
            List<YearMonth> months = new ArrayList<>();
            List<Double> observed = new ArrayList<>();
            List<Double> expected = new ArrayList<>();
            List<List<ReportTable.Cell>> data = new ArrayList<>();
            for (Row p : points) {
                YearMonth m = YearMonth.parse(p.getAs("month"));
                months.add(m);
                observed.add(p.getAs("observed"));
                expected.add(p.getAs("expected"));
                boolean hidden = secret(p);
                data.add(List.of(ReportTable.Cell.of(FrenchFormat.month(m) + (m.isBefore(provisionalFrom) ? "" : " (provisoire)")),
                        hidden ? ReportTable.Cell.HIDDEN : eur(p.getAs("observed")),
                        hidden ? ReportTable.Cell.HIDDEN : eur(p.getAs("expected")),
                        hidden ? ReportTable.Cell.HIDDEN : eur(p.getAs("gap"))));
            }
            r.chart(new LineChart(s.label(), "EUR par mois", months, List.of(
                    new LineChart.Series("Observé", observed, false),
                    new LineChart.Series("Tendance attendue", expected, true)), true, provisionalFrom), s.label(),
                    new ReportTable(s.label() + " : données", List.of("Mois de soins", "Observé (EUR)", "Tendance attendue (EUR)",
                            "Écart attendu − observé (EUR)"), List.of(false, true, true, true), data));
        }
    }

    /**
     * Prescribers in aggregate: per theme and measure, how many were judged and at which level;
     * segment sizes. The funnels that name them are in the restricted report.
     */
    private static void prescriberCounts(HtmlReport r, AtypieConfig config, YearMonth month, Publisher.Tables published,
                                         Map<Segment, Integer> counts) {
        r.section("Prescripteurs : atypie par thème");
        r.paragraph("Nombre de prescripteurs évalués par mesure et leur niveau, à patientèle comparable (pairs de même "
                + "spécialité et niveau d'activité, standardisation indirecte), limites corrigées de la surdispersion et "
                + "ratio lissé (Bayes empirique). Les entonnoirs par prescripteur sont dans le rapport restreint "
                + "(restricted/" + RESTRICTED_REPORT_FILE + ").");
        Map<String, Metric> metricOf = new TreeMap<>();
        config.atypie().metrics().forEach(m -> metricOf.put(m.theme() + "/" + m.name(), m));
        Map<String, long[]> byMetric = new TreeMap<>();
        List<MetricAssessment.Level> levels = List.of(MetricAssessment.Level.STRONG, MetricAssessment.Level.ATYPICAL,
                MetricAssessment.Level.GAIN_POTENTIAL, MetricAssessment.Level.NEUTRAL, MetricAssessment.Level.CONFORMING);
        for (Row x : published.metrics().where(col("window_month").equalTo(month.toString())
                        .and(col("level").notEqual(MetricAssessment.Level.NOT_JUDGED.name())))
                .groupBy("theme", "metric", "level").count().collectAsList()) {
            long[] n = byMetric.computeIfAbsent(x.getString(0) + "/" + x.getString(1), k -> new long[levels.size() + 1]);
            n[levels.indexOf(MetricAssessment.Level.valueOf(x.getString(2)))] += x.getLong(3);
            n[levels.size()] += x.getLong(3);
        }
        List<List<ReportTable.Cell>> rows = new ArrayList<>();
        for (var e : byMetric.entrySet()) {
            Metric m = metricOf.get(e.getKey());
            List<ReportTable.Cell> row = new ArrayList<>();
            row.add(ReportTable.Cell.of(m == null ? e.getKey() : m.themeLabel() + " – " + m.label()));
            row.add(num(e.getValue()[levels.size()]));
            for (int i = 0; i < levels.size(); i++) {
                row.add(num(e.getValue()[i]));
            }
            rows.add(row);
        }
        r.table(new ReportTable("Prescripteurs évalués par mesure et par niveau", List.of("Thème – mesure", "Évalués",
                "Atypie forte", "Atypiques", "Potentiel de gain", "Dans la norme", "Conformes"),
                List.of(false, true, true, true, true, true, true), rows));

        r.section("Segments et actions");
        List<BarChart.Bar> bars = new ArrayList<>();
        List<List<ReportTable.Cell>> data = new ArrayList<>();
        for (Segment s : Segment.values()) {
            int n = counts.getOrDefault(s, 0);
            bars.add(new BarChart.Bar(s.label() + " (" + s.action() + ")", (double) n));
            data.add(List.of(ReportTable.Cell.of(s.label()), ReportTable.Cell.of(s.action()), num(n)));
        }
        r.chart(new BarChart("Prescripteurs par segment", "Prescripteurs", bars, 0, "< 10"),
                "Les listes d'action par département sont dans restricted/workbooks/.",
                new ReportTable("Prescripteurs par segment : données", List.of("Segment", "Action", "Prescripteurs"),
                        List.of(false, false, true), data));
    }

    private static ReportTable.Cell num(long n) {
        return ReportTable.Cell.of(fmt(n));
    }

    private static ReportTable.Cell eur(Double v) {
        return ReportTable.Cell.of(v == null ? "–" : FrenchFormat.number(v, 0));
    }

    // French labels of the evaluation measures, windows and in-time placebo statuses.
    static final Map<String, String> MEASURES = Map.of(
            "ij_patient_share", "Part des patients actifs ayant perçu des IJ (%, sur la fenêtre)",
            "new_spell_share", "Part des patients débutant un arrêt (%, par mois)",
            "ij_days_per_ij_patient", "Jours d'IJ par patient indemnisé (sur la fenêtre)",
            "ij_days_per_patient", "Jours d'IJ par patient et par mois",
            "other_ij_days_per_patient", "Jours d'IJ prescrits par d'autres (contournement)");
    static final Map<String, String> STATUSES = Map.of(
            "ok", "calculé", "procedure_window", "sans objet", "too_few_months", "extrait trop court",
            "reaches_m0", "fenêtre atteignant M0", "no_match", "aucun témoin apparié", "no_estimate", "non estimable",
            "not_computed", "non calculé");

    static String window(String w) {
        return switch (w) {
            case "anticipation" -> "Anticipation (avant M0)";
            case "rebound" -> "Rebond (après la fin de procédure)";
            default -> w.matches("\\d+-\\d+") ? "M+" + w.replace("-", " à M+") : w;
        };
    }

    /**
     * "Évaluation des campagnes": per campaign, Δ with its 95 % interval per measure and window,
     * treated and control prescribers, both placebos, and the cost per contact. Secret rows (fewer
     * patients than the threshold) are empty in the files and shown as hidden.
     */
    static void evaluations(HtmlReport r, List<PublishedEvaluation> evaluations) {
        r.section("Évaluation des campagnes");
        r.paragraph("Différence de différences contre des prescripteurs témoins jamais contactés, appariés sur le niveau "
                + "et la tendance avant M0 : Δ = (contactés après − avant) − (témoins après − avant), intervalle bootstrap "
                + "à 95 %. Le placebo (prescripteurs tirés au hasard) et le placebo temporel (M0 avancé, données antérieures "
                + "à M0) doivent donner un Δ proche de 0. Évaluations publiées par atypie evaluate (evaluations/).");
        for (PublishedEvaluation e : evaluations) {
            if (e.problem().isPresent()) {
                r.note("Campagne " + e.campaign() + " : évaluation illisible (" + e.problem().get()
                        + ") ; relancer atypie evaluate.");
                continue;
            }
            List<List<ReportTable.Cell>> rows = new ArrayList<>();
            for (PublishedEvaluation.Effect x : e.effects()) {
                rows.add(List.of(ReportTable.Cell.of(MEASURES.getOrDefault(x.measure(), x.measure())),
                        ReportTable.Cell.of(window(x.window())), cell(x.did(), x.secret()), cell(x.ciLow(), x.secret()),
                        cell(x.ciHigh(), x.secret()), ReportTable.Cell.of(Integer.toString(x.treated())),
                        ReportTable.Cell.of(Integer.toString(x.controls())), cell(x.placeboDid(), x.secret()),
                        cell(x.timePlaceboDid(), x.secret()),
                        ReportTable.Cell.of(STATUSES.getOrDefault(x.timePlaceboStatus(), x.timePlaceboStatus()))));
            }
            r.table(new ReportTable("Campagne " + e.campaign() + " : effets", List.of("Mesure", "Fenêtre", "Δ",
                    "IC 95 % bas", "IC 95 % haut", "Contactés", "Témoins", "Δ placebo", "Δ placebo temporel",
                    "Placebo temporel"), List.of(false, false, true, true, true, true, true, true, true, false), rows));
            if (!e.costs().isEmpty()) {
                List<List<ReportTable.Cell>> costs = new ArrayList<>();
                for (PublishedEvaluation.Cost c : e.costs()) {
                    costs.add(List.of(ReportTable.Cell.of(window(c.window())), ReportTable.Cell.of(Integer.toString(c.contacts())),
                            cell(c.staffDays(), false), cell(c.netDaysPerContact(), c.secret()),
                            cell(c.netEurosPerContact(), c.secret())));
                }
                r.table(new ReportTable("Campagne " + e.campaign() + " : coût et effet par contact", List.of("Fenêtre",
                        "Contacts", "Jours de personnel", "Jours d'IJ évités nets par contact", "EUR évités nets par contact"),
                        List.of(false, true, true, true, true), costs));
            }
        }
    }

    /** A number with 3 decimals (French), "–" when undefined, hidden when secret. */
    private static ReportTable.Cell cell(double v, boolean secret) {
        if (secret) {
            return ReportTable.Cell.HIDDEN;
        }
        return ReportTable.Cell.of(Double.isFinite(v) ? String.format(Locale.FRANCE, "%.3f", v) : "–");
    }

    private static String fmt(long n) {
        return String.format(Locale.FRANCE, "%,d", n);
    }
}
