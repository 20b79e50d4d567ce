package fr.atypie.refresh;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import fr.atypie.campaigns.PublishedEvaluation;
import fr.atypie.publish.ColumnLabels;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.MonthlyRelease;
import fr.atypie.publish.MonthlyRelease.Secrecy;
import fr.atypie.publish.PublishColumns;
import fr.atypie.publish.SmallCells;
import fr.atypie.publish.XlsxExport;
import fr.atypie.quality.QualityOutputs;
import java.io.IOException;
import java.nio.file.Files;
import fr.atypie.fs.Store;
import fr.atypie.fs.VersionedFolders;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes one month's tables into the release. Layout of {@code <out>/<YYYY-MM>/}: aggregate
 * tables at the top (Parquet + CSV), prescriber-level tables under {@code restricted/} (medical
 * service and coordination teams only), one workbook per department under
 * {@code restricted/workbooks/}, the data-quality report under {@code quality/}, the HTML report
 * and {@code manifest.json}. Small cells are hidden here, then checked again by every export.
 */
final class Publisher {
    record Tables(Dataset<Row> indicators, Dataset<Row> trend, Dataset<Row> scorecard, Dataset<Row> scores,
                  Dataset<Row> segments, Dataset<Row> metrics, Dataset<Row> targeting, Dataset<Row> typology) {}

    static final String RESTRICTED = "restricted";
    /** Folder of the plain CSV files, beside the French-Excel ones. */
    static final String PLAIN = "plain";
    static final Secrecy INDICATORS = new Secrecy(List.of("patients"), OutputTables.INDICATOR_MEASURES);
    static final Secrecy TREND = new Secrecy(List.of("patients"), OutputTables.TREND_MEASURES);
    static final Secrecy SEGMENTS = new Secrecy(List.of("base_patients"), List.of());
    /** Every column from which a hidden observed count follows (observed = ratio × expected, z, intervals...). */
    static final Secrecy METRICS = new Secrecy(List.of("numerator_patients"), OutputTables.METRIC_MEASURES);
    static final Secrecy TARGETING = new Secrecy(List.of("driver_patients"), List.of());

    private Publisher() {}

    /** The tables with small cells hidden: what is published, and what the report shows. */
    static Tables hideSmallCells(Tables t, SmallCells cells) {
        return hideSmallCells(t, cells, AdditiveSets.Suppression.NONE);
    }

    /**
     * The tables with small cells hidden, and the complementary cells of {@code complements}
     * (computed by {@link AdditiveSets} on the same values) hidden the same way.
     */
    static Tables hideSmallCells(Tables t, SmallCells cells, AdditiveSets.Suppression complements) {
        Dataset<Row> indicators = flag(t.indicators(), "indicator", "window_month", complements.indicators());
        if (!complements.previousValues().isEmpty()) {
            Column shown = key("indicator", "window_month").isin(complements.previousValues().toArray());
            for (String c : List.of("previous_value", "change")) {
                indicators = indicators.withColumn(c, when(shown, lit(null).cast("double")).otherwise(col(c)));
            }
        }
        return new Tables(hide(cells, indicators, INDICATORS),
                hide(cells, flag(t.trend(), "series", "month", complements.trend()), TREND), t.scorecard(), t.scores(),
                hide(cells, t.segments(), SEGMENTS), hide(cells, t.metrics(), METRICS), hide(cells, t.targeting(), TARGETING),
                t.typology());
    }

    /** Marks the rows of {@code keys} secret (SmallCells then blanks them like small ones). */
    private static Dataset<Row> flag(Dataset<Row> table, String name, String month, java.util.Set<String> keys) {
        Column listed = keys.isEmpty() ? lit(false) : key(name, month).isin(keys.toArray());
        return table.withColumn(PublishColumns.SECRET, listed);
    }

    private static Column key(String name, String month) {
        return concat_ws("|", col(name), col("territory"), col(month));
    }

    private static Dataset<Row> hide(SmallCells cells, Dataset<Row> table, Secrecy s) {
        return cells.hide(table, s.patientCounts(), s.measures()).persist();
    }

    /** Why a department's action list may be empty: written under the sheet's header. */
    static final List<String> EMPTY_NOTES = List.of(
            "Aucune visite DAM ce mois-ci dans ce département : aucun prescripteur au centre de la distribution avec un "
                    + "potentiel de gain, ou tous ont été contactés récemment (historique des campagnes).",
            "Aucun échange confraternel ce mois-ci dans ce département : aucun prescripteur atypique (z ajusté et ratio "
                    + "lissé au-delà des seuils), ou tous ont été contactés récemment.",
            "Aucun candidat MSO-MSAP dans ce département : la mise sous objectifs ne se propose qu'après une atypie forte "
                    + "et durable sur un thème à procédure (arrêts de travail, transports).",
            "Aucun retour positif ce mois-ci dans ce département : aucun prescripteur conforme à ses pairs sur chaque "
                    + "thème évalué.");

    /**
     * The workbooks' "Lisez-moi" sheet: month, window and its status, thresholds, what each sheet
     * and column means (the first line is followed by the department).
     */
    static List<String[]> readMe(fr.atypie.config.AtypieConfig config, java.time.YearMonth month) {
        var th = config.atypie().thresholds();
        java.time.YearMonth first = month.minusMonths(config.indicators().windowMonths() - 1L);
        java.time.YearMonth provisional = month.minusMonths(config.dcir().consolidationMonths() - 1L);
        List<String[]> l = new ArrayList<>();
        l.add(new String[] {"Classeur", "Listes d'accompagnement des prescripteurs, région " + config.region().name() + " (atypie), "
                + "mois de publication " + month + ". Diffusion restreinte : service médical et équipes de coordination."});
        l.add(new String[] {"Fenêtre", "12 mois de soins glissants, de " + first + " à " + month + "."});
        l.add(new String[] {"Statut", "Provisoire : les mois de soins à partir de " + provisional + " ne sont pas consolidés (les "
                + "flux continuent d'arriver pendant " + config.dcir().consolidationMonths() + " mois) ; les volumes récents "
                + "sont sous-estimés."});
        l.add(new String[] {"Comparaison aux pairs", "Chaque prescripteur est comparé aux prescripteurs de même groupe de "
                + "spécialité et de même niveau d'activité de la région, sur sa propre patientèle (standardisation indirecte "
                + "sur l'âge, le sexe et l'ALD) : ratio observé / attendu, z corrigé de la surdispersion, ratio lissé "
                + "(Bayes empirique) pour ne pas signaler les petites patientèles par hasard."});
        l.add(new String[] {"Seuils", String.format(java.util.Locale.FRANCE, "Atypique : z ajusté ≥ %.2f et ratio lissé ≥ %.2f ; "
                + "atypie forte : z ajusté ≥ %.2f et ratio lissé ≥ %.2f ; potentiel de gain : ratio lissé > %.2f et excédent "
                + "≥ %.0f EUR ; conforme : ratio lissé ≤ %.2f ; au moins %d patients pour être évalué.", th.atypicalZ(),
                th.atypicalRatio(), th.strongZ(), th.strongRatio(), th.gainRatio(), th.gainMinExcessAmount(),
                th.conformingRatio(), config.atypie().minPatients())});
        l.add(new String[] {"Secret statistique", "Toute valeur calculée sur moins de " + config.publish().smallCellThreshold()
                + " patients est masquée (« < " + config.publish().smallCellThreshold() + " »)."});
        for (int i = 0; i < OutputTables.ACTIONS.size(); i++) {
            l.add(new String[] {"Onglet « " + XlsxExport.ACTION_SHEETS.get(i) + " »", SHEET_MEANING.get(i)});
        }
        Columns columns = OutputTables.TARGETING;
        for (var e : columns.labels().entrySet()) {
            if (!e.getKey().equals("dept") && !e.getKey().equals("action")) {
                l.add(new String[] {"Colonne « " + e.getValue() + " »", COLUMN_MEANING.getOrDefault(e.getKey(), e.getValue() + ".")});
            }
        }
        l.add(new String[] {"Profils", "Une fiche d'une page par prescripteur de la liste du mois, dans la capacité : restricted/profils/index.html."});
        return l;
    }

    static final List<String> SHEET_MEANING = List.of(
            "Prescripteurs au centre de la distribution avec un potentiel de gain : visite du délégué de l'assurance maladie, "
                    + "dans l'ordre du montant évitable attendu, jusqu'à la capacité du mois.",
            "Prescripteurs atypiques : échange confraternel avec un médecin-conseil.",
            "Prescripteurs fortement et durablement atypiques sur un thème à procédure : mise sous observation puis "
                    + "MSO/MSAP (art. L162-1-15 du code de la sécurité sociale).",
            "Prescripteurs conformes à leurs pairs sur chaque thème : retour positif.");

    static final java.util.Map<String, String> COLUMN_MEANING = java.util.Map.ofEntries(
            java.util.Map.entry("rank", "Ordre de priorité dans la liste du département (1 = le premier à contacter)."),
            java.util.Map.entry("within_capacity", "Oui quand le rang tient dans la capacité mensuelle de l'équipe du département."),
            java.util.Map.entry("prescriber_id", "Identifiant du prescripteur (numéro PS)."),
            java.util.Map.entry("specialty", "Spécialité du prescripteur (nomenclature IR_SPE_V)."),
            java.util.Map.entry("base_patients", "Patients distincts vus par le prescripteur sur les 12 mois."),
            java.util.Map.entry("segment_label", "Marche de l'échelle d'accompagnement retenue pour le prescripteur."),
            java.util.Map.entry("excess_amount", "Dépense au-delà de l'attendu à patientèle comparable, sur ses écarts (EUR, 12 mois)."),
            java.util.Map.entry("avoidable_amount", "Excédent × effet attendu de l'action : ce que l'action peut faire économiser (EUR)."),
            java.util.Map.entry("expected_effect", "Part de l'excédent que l'action évite en moyenne (0,029 = 2,9 %)."),
            java.util.Map.entry("effect_source", "D'où vient cet effet : l'évaluation d'une campagne de la région (atypie evaluate), "
                    + "sinon l'évaluation publiée citée dans la configuration."),
            java.util.Map.entry("drivers", "Les trois principaux écarts : thème – mesure, ratio observé / attendu et ratio lissé."),
            java.util.Map.entry("driver_patients", "Patients concernés par l'écart principal (masqué sous le seuil de secret)."),
            java.util.Map.entry("reason", "Pourquoi ce segment, en clair."));

    static void write(MonthlyRelease release, Tables t, Path qualityDir) throws IOException {
        write(release, t, Store.local(qualityDir), List.of());
    }

    static void write(MonthlyRelease release, Tables t, Store qualityDir, List<String[]> readMe) throws IOException {
        // Owner-only (or the configured group) before the first prescriber-level file is written.
        release.restrictedFolder(RESTRICTED);
        table(release, "indicators", t.indicators(), OutputTables.INDICATORS, INDICATORS, List.of("indicator", "level", "territory", "window_month"));
        table(release, "trend", t.trend(), OutputTables.TREND, TREND, List.of("series", "level", "territory", "month"));
        table(release, "scorecard", t.scorecard(), OutputTables.SCORECARD, Secrecy.NO_PATIENT_COUNTS, List.of("dept", "axis", "indicator"));
        table(release, "scores", t.scores(), OutputTables.SCORE, Secrecy.NO_PATIENT_COUNTS, List.of("dept"));
        table(release, RESTRICTED + "/segments", t.segments(), OutputTables.SEGMENTS, SEGMENTS, List.of("dept", "prescriber_id"));
        table(release, RESTRICTED + "/prescriber_metrics", t.metrics(), OutputTables.METRICS, METRICS, List.of("prescriber_id", "theme", "metric"));
        table(release, RESTRICTED + "/targeting", t.targeting(), OutputTables.TARGETING, TARGETING, List.of("dept", "action", "rank"));
        table(release, RESTRICTED + "/typology", t.typology(), OutputTables.TYPOLOGY, Secrecy.NO_PATIENT_COUNTS, List.of("profile_type", "metric"));

        List<XlsxExport.Sheet> sheets = new ArrayList<>();
        for (int i = 0; i < OutputTables.ACTIONS.size(); i++) {
            sheets.add(new XlsxExport.Sheet(XlsxExport.ACTION_SHEETS.get(i),
                    t.targeting().where(col("action").equalTo(OutputTables.ACTIONS.get(i))).drop("action"), List.of("rank"),
                    EMPTY_NOTES.get(i)));
        }
        release.xlsxPerDepartment(RESTRICTED + "/workbooks", "ciblage", "dept", sheets, TARGETING,
                OutputTables.labels(OutputTables.TARGETING), readMe);


        Path quality = Files.createDirectories(release.staging().resolve("quality"));
        for (String f : List.of(QualityOutputs.REPORT_JSON, QualityOutputs.REPORT_TEXT)) {
            copyIn(qualityDir, f, quality.resolve(f));
        }
    }

    /** Folder of the campaign evaluations, in the output root ({@code atypie evaluate}) and in a month's publication. */
    static final String EVALUATIONS = "evaluations";

    /**
     * Copies the campaign evaluations published so far ({@code OUT/evaluations/<id>/effects.csv},
     * {@code cost.csv} and {@code contacts.csv}) into the month's publication and returns them as read from there: the
     * month's report shows them, and {@code atypie report} re-renders it from the same copies.
     */
    static List<PublishedEvaluation> evaluations(MonthlyRelease release, Path out) throws IOException {
        return evaluations(release, Store.local(out));
    }

    /** As above, {@code out} on any file system: the files are copied into the (local) staging folder. */
    static List<PublishedEvaluation> evaluations(MonthlyRelease release, Store out) throws IOException {
        Path target = release.staging().resolve(EVALUATIONS);
        for (PublishedEvaluation e : PublishedEvaluation.readAll(out.child(EVALUATIONS))) {
            Store from = VersionedFolders.resolve(out.child(EVALUATIONS), e.campaign()).orElseThrow();
            Path to = Files.createDirectories(target.resolve(e.campaign()));
            for (String f : PublishedEvaluation.FILES) {
                if (from.isFile(f)) {
                    copyIn(from, f, to.resolve(f));
                }
            }
        }
        return PublishedEvaluation.readAll(target);
    }

    /** Copies {@code name} of {@code from} (any file system) to the local file {@code to}, replacing it. */
    static void copyIn(Store from, String name, Path to) throws IOException {
        Files.deleteIfExists(to);
        from.fs().copyToLocalFile(false, from.resolve(name), new org.apache.hadoop.fs.Path(to.toUri()), true);
    }

    /** {@code <name>.parquet} (one file, rows sorted) and {@code <name>.csv}; both byte-identical on re-run. */
    static void table(MonthlyRelease release, String name, Dataset<Row> table, Columns columns, Secrecy secrecy,
                              List<String> sortKeys) throws IOException {
        ColumnLabels labels = OutputTables.labels(columns);
        ExportTable rows = release.checkedRows(name + ".csv", table, secrecy, sortKeys);
        release.parquet(name + ".parquet", table, rows, sortKeys);
        release.csv(name + ".csv", rows, labels);
        // The same table for SAS, R and pandas: plain/<name>.csv beside it (snake_case names, '.' decimals).
        int slash = name.lastIndexOf('/');
        release.plainCsv(name.substring(0, slash + 1) + PLAIN + "/" + name.substring(slash + 1) + ".csv", rows);
        // The published contract: the table's Avro schema, each field's label, definition, unit and population.
        String simple = name.substring(name.lastIndexOf('/') + 1);
        release.text("schemas/" + simple + ".avsc", FieldDocs.schema(simple, table.schema(), labels.labels()).toString(true) + "\n");
    }
}
