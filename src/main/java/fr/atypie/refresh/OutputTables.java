package fr.atypie.refresh;

import fr.atypie.atypie.MetricAssessment;
import fr.atypie.atypie.PrescriberSegment;
import fr.atypie.atypie.Segment;
import fr.atypie.atypie.TargetEntry;
import fr.atypie.atypie.Typology;
import fr.atypie.indicators.IndicatorDefinition;
import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.indicators.IndicatorValue;
import fr.atypie.indicators.TrendSavings;
import fr.atypie.indicators.scorecard.Scorecard;
import fr.atypie.publish.ColumnLabels;
import fr.atypie.snds.FluxWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The published tables: their columns (documented one per line in docs/analysts.md, with the same
 * French labels the CSV and XLSX headers use) and how results become rows. No table holds a
 * patient identifier; patient-count cells are hidden later by {@code SmallCells}.
 */
final class OutputTables {
    static final Columns INDICATORS = new Columns()
            .text("indicator", "Indicateur").text("label", "Libellé").text("unit", "Unité")
            .text("family", "Famille").bool("lower_is_better", "Plus bas = mieux")
            .text("cpg_indicator", "Indicateur CPG").text("level", "Niveau").text("territory", "Territoire")
            .text("window_month", "Fin de la fenêtre de 12 mois").text("status", "Statut")
            .number("numerator", "Numérateur").number("denominator", "Dénominateur").number("value", "Valeur")
            .count("patients", "Patients").number("previous_value", "Valeur 12 mois plus tôt")
            .number("change", "Évolution sur 12 mois").number("expected", "Attendu à structure régionale")
            .number("standardised_ratio", "Ratio standardisé (observé / attendu)")
            .number("ratio_lower", "IC 95 % bas").number("ratio_upper", "IC 95 % haut")
            .number("standardised_value", "Valeur standardisée").count("censored", "Arrêts censurés (en cours)");
    static final List<String> INDICATOR_MEASURES = List.of("numerator", "denominator", "value", "previous_value",
            "change", "expected", "standardised_ratio", "ratio_lower", "ratio_upper", "standardised_value", "censored");

    static final Columns TREND = new Columns()
            .text("series", "Série").text("label", "Libellé").text("level", "Niveau").text("territory", "Territoire")
            .text("month", "Mois de soins").number("observed", "Observé (EUR)").number("expected", "Tendance attendue (EUR)")
            .number("gap", "Écart attendu - observé corrigé (EUR)").count("patients", "Patients")
            .number("completeness", "Complétude estimée du mois (flux tardifs)");

    static final List<String> TREND_MEASURES = List.of("observed", "expected", "gap");

    static final Columns SCORECARD = new Columns()
            .text("dept", "Département").text("axis", "Axe").text("indicator", "Indicateur CPG").text("kind", "Type")
            .text("direction", "Sens").number("result", "Résultat").number("objective", "Objectif")
            .number("floor", "Socle").number("points", "Points").number("success", "Taux de réussite (%)")
            .text("source", "Source");

    static final Columns SCORE = new Columns()
            .text("dept", "Département").number("score", "Score CPG (%)").integer("rank", "Rang dans la région")
            .bool("complete", "Complet").text("missing", "Indicateurs manquants")
            .integer("previous_rank", "Rang le mois précédent").integer("rank_change", "Évolution du rang (+ = gagné)");

    static final Columns SEGMENTS = new Columns()
            .text("prescriber_id", "Prescripteur").text("dept", "Département").integer("specialty", "Spécialité")
            .text("specialty_group", "Groupe de spécialité").text("peer_group", "Groupe de pairs")
            .count("base_patients", "Patientèle (12 mois)").text("segment", "Segment").text("segment_label", "Libellé du segment")
            .text("action", "Action proposée").text("reason", "Motif").number("excess_amount", "Excédent estimé (EUR)")
            .text("main_theme", "Thème principal").integer("profile_type", "Type de profil")
            .text("profile_label", "Libellé du type de profil");

    static final Columns TYPOLOGY = new Columns()
            .integer("profile_type", "Type de profil").text("profile_label", "Libellé du type de profil")
            .count("prescribers", "Prescripteurs").number("silhouette", "Silhouette (qualité de la typologie)")
            .text("metric", "Mesure").number("centre_ratio", "Centre : ratio lissé moyen (géométrique)");

    static final Columns METRICS = new Columns()
            .text("prescriber_id", "Prescripteur").text("window_month", "Fin de la fenêtre de 12 mois")
            .text("dept", "Département").text("peer_group", "Groupe de pairs").count("base_patients", "Patientèle (12 mois)")
            .text("theme", "Thème").text("metric", "Mesure").text("kind", "Poids ou structure")
            .number("observed", "Observé").number("denominator", "Dénominateur").number("expected", "Attendu (pairs, même patientèle)")
            .number("ratio", "Ratio observé / attendu").number("ratio_lower", "IC 95 % bas").number("ratio_upper", "IC 95 % haut")
            .number("z", "z").number("z_adjusted", "z ajusté (surdispersion)").number("phi", "Surdispersion phi")
            .number("shrunk_ratio", "Ratio lissé (Bayes empirique)").number("percentile", "Percentile parmi les pairs")
            .number("excess_volume", "Excédent (volume)").number("excess_amount", "Excédent (EUR)")
            .count("numerator_patients", "Patients concernés").text("level", "Niveau")
            .number("expected_patients", "Patients attendus (numérateur)")
            .number("dispersion", "Dispersion intra-patientèle phi_w")
            .text("dispersion_group", "Pairs de l'estimation (groupe ou spécialité)")
            .integer("dispersion_peers", "Nombre de pairs de l'estimation")
            .number("p_value", "p unilatéral du z ajusté")
            .number("q_value", "q ajusté sur les indicateurs du thème (Benjamini-Hochberg)")
            .number("limit_95_lower", "Limite 95 % basse").number("limit_95_upper", "Limite 95 % haute")
            .number("limit_998_lower", "Limite 99,8 % basse").number("limit_998_upper", "Limite 99,8 % haute");
    /**
     * Hidden on secret rows: the observed count and every column it follows from (observed =
     * ratio × expected = expected + excess volume; z, intervals, the smoothed ratio, the
     * percentile and the q-value are functions of observed and expected; the funnel limits
     * 1 ± z·√(φ/E) give E back from φ; expected patients follow from the denominator).
     * Phi and the dispersion peers (the peer group's) stay.
     */
    static final List<String> METRIC_MEASURES = List.of("observed", "denominator", "expected", "ratio", "ratio_lower",
            "ratio_upper", "z", "z_adjusted", "shrunk_ratio", "percentile", "excess_volume", "excess_amount",
            "expected_patients", "p_value", "q_value", "limit_95_lower", "limit_95_upper", "limit_998_lower", "limit_998_upper");

    /** Action lists, in the order of the workbook sheets (XlsxExport.ACTION_SHEETS). */
    static final List<String> ACTIONS = List.of("Visites DAM", "Échanges confraternels", "MSO-MSAP", "Retour positif");

    static final Columns TARGETING = new Columns()
            .text("dept", "Département").text("action", "Action").integer("rank", "Rang")
            .bool("within_capacity", "Dans la capacité du mois").text("prescriber_id", "Prescripteur")
            .integer("specialty", "Spécialité").count("base_patients", "Patientèle (12 mois)")
            .text("segment_label", "Libellé du segment").number("excess_amount", "Excédent estimé (EUR)")
            .number("avoidable_amount", "Montant évitable attendu (EUR)")
            .number("expected_effect", "Effet attendu de l'action").text("effect_source", "Source de l'effet attendu")
            .text("drivers", "Principaux écarts")
            .count("driver_patients", "Patients concernés (écart principal)").text("reason", "Motif");

    static final List<Columns> ALL = List.of(INDICATORS, TREND, SCORECARD, SCORE, SEGMENTS, METRICS, TARGETING, TYPOLOGY);

    /**
     * The French headers of one table. Labels are per table: the same column name may mean a
     * different thing in two tables ({@code expected}: regional structure for indicators, trend for
     * the savings series, peers for prescribers), and its header must say which.
     */
    static ColumnLabels labels(Columns table) {
        return new ColumnLabels(table.labels());
    }

    private OutputTables() {}

    static Dataset<Row> indicators(SparkSession spark, List<IndicatorValue> values, IndicatorSettings settings,
                                   Optional<FluxWindow> flux) {
        Map<String, IndicatorDefinition> defs = settings.catalogue().stream()
                .collect(Collectors.toMap(IndicatorDefinition::name, d -> d));
        Map<String, TrendSavings.Series> series = settings.savings().series().stream()
                .collect(Collectors.toMap(TrendSavings.Series::name, s -> s));
        List<Object[]> rows = new ArrayList<>();
        for (IndicatorValue v : values) {
            IndicatorDefinition d = defs.get(v.indicator());
            TrendSavings.Series s = series.get(v.indicator());
            String status = flux.map(f -> f.isConsolidated(v.windowMonth()) ? "consolidé" : "provisoire").orElse("provisoire");
            rows.add(new Object[] {v.indicator(), d != null ? d.label() : s.label(), d != null ? d.unit() : "MEUR",
                d != null ? d.family().name().toLowerCase(Locale.ROOT).replace('_', '-') : TrendSavings.FAMILY,
                d != null ? d.lowerIsBetter() : Boolean.FALSE,
                (d != null ? d.cpgIndicator() : s.cpgIndicator()).orElse(null),
                v.level(), v.territory(), v.windowMonth().toString(), status, v.numerator(), v.denominator(), v.value(),
                v.patients(), v.previousValue(), v.change(), v.expected(), v.ratio(), v.ratioLower(), v.ratioUpper(),
                v.standardisedValue(), v.censored()});
        }
        return INDICATORS.dataset(spark, rows);
    }

    static Dataset<Row> trend(SparkSession spark, List<TrendSavings.TrendPoint> points, IndicatorSettings settings) {
        Map<String, String> labels = settings.savings().series().stream()
                .collect(Collectors.toMap(TrendSavings.Series::name, TrendSavings.Series::label));
        List<Object[]> rows = new ArrayList<>();
        for (TrendSavings.TrendPoint p : points) {
            rows.add(new Object[] {p.series(), labels.get(p.series()), p.level(), p.territory(), p.month().toString(),
                p.observed(), p.expected(), p.gap(), p.patients(), p.completeness()});
        }
        return TREND.dataset(spark, rows);
    }

    static Dataset<Row> scorecard(SparkSession spark, List<Scorecard.DepartmentScore> scores) {
        List<Object[]> rows = new ArrayList<>();
        for (Scorecard.DepartmentScore d : scores) {
            for (Scorecard.IndicatorScore i : d.indicators()) {
                rows.add(new Object[] {d.department(), i.axis(), i.indicator(), i.kind().name().toLowerCase(Locale.ROOT),
                    i.direction().name().toLowerCase(Locale.ROOT), i.result(), i.objective(), i.floor(), i.points(),
                    i.success() * 100, i.source().name().toLowerCase(Locale.ROOT)});
            }
        }
        return SCORECARD.dataset(spark, rows);
    }

    /** Scores with the rank of the previous month's window beside, and the places gained (previous − current). */
    static Dataset<Row> scores(SparkSession spark, List<Scorecard.DepartmentScore> scores, Map<String, Integer> previousRanks) {
        List<Object[]> rows = new ArrayList<>();
        for (Scorecard.DepartmentScore d : scores) {
            Integer previous = previousRanks.get(d.department());
            rows.add(new Object[] {d.department(), d.score() * 100, d.rank() == 0 ? null : d.rank(), d.complete(),
                String.join(", ", d.missing()), previous, previous == null || d.rank() == 0 ? null : previous - d.rank()});
        }
        return SCORE.dataset(spark, rows);
    }

    static Dataset<Row> segments(SparkSession spark, List<PrescriberSegment> segments, Typology.Result typology) {
        Map<Integer, String> labels = typology.clusters().stream()
                .collect(Collectors.toMap(Typology.Cluster::id, Typology.Cluster::label));
        List<Object[]> rows = new ArrayList<>();
        for (PrescriberSegment s : segments) {
            Integer type = typology.clusterOf().get(s.prescriber());
            rows.add(new Object[] {s.prescriber(), s.dept(), s.specialty(), s.specialtyGroup(), s.peerGroup(),
                s.basePatients(), s.segment().name(), s.segment().label(), s.segment().action(), s.reason(),
                s.excessAmount(), s.drivers().isEmpty() || s.segment() == Segment.CONFORMING ? null
                        : s.drivers().get(0).metric().theme(), type, type == null ? null : labels.get(type)});
        }
        return SEGMENTS.dataset(spark, rows);
    }

    static Dataset<Row> typology(SparkSession spark, Typology.Result typology) {
        List<Object[]> rows = new ArrayList<>();
        for (Typology.Cluster c : typology.clusters()) {
            for (var e : c.centre().entrySet()) {
                rows.add(new Object[] {c.id(), c.label(), c.size(), typology.silhouette(), e.getKey(), Math.exp(e.getValue())});
            }
        }
        return TYPOLOGY.dataset(spark, rows);
    }

    /** Last month's types, read back from its publication, so that types keep their numbers. */
    static List<Typology.Cluster> previousTypology(SparkSession spark, fr.atypie.fs.Store month, String file) {
        try {
            if (!month.isFile(file)) {
                return List.of();
            }
        } catch (java.io.IOException e) {
            return List.of();
        }
        Map<Integer, Typology.Cluster> byId = new java.util.TreeMap<>();
        for (Row r : spark.read().parquet(month.resolve(file).toString()).collectAsList()) {
            int id = r.getAs("profile_type");
            Typology.Cluster c = byId.computeIfAbsent(id, k -> new Typology.Cluster(id, r.getAs("profile_label"),
                    r.<Long>getAs("prescribers"), new java.util.TreeMap<>()));
            c.centre().put(r.getAs("metric"), Math.log(r.<Double>getAs("centre_ratio")));
        }
        return List.copyOf(byId.values());
    }

    static Dataset<Row> metrics(SparkSession spark, List<MetricAssessment> assessments) {
        List<Object[]> rows = new ArrayList<>();
        for (MetricAssessment a : assessments) {
            rows.add(new Object[] {a.prescriber(), a.window().toString(), a.dept(), a.peerGroup(), a.basePatients(),
                a.metric().theme(), a.metric().name(), a.metric().kind().name().toLowerCase(Locale.ROOT), a.observed(),
                a.denominator(), a.expected(), a.ratio(), a.ratioLower(), a.ratioUpper(), a.z(), a.zAdjusted(), a.phi(),
                a.shrunkRatio(), a.percentile(), a.excessVolume(), a.excessAmount(), a.numeratorPatients(),
                a.level().name(), a.funnel().expectedPatients(), a.funnel().dispersion(), a.funnel().dispersionGroup(),
                a.funnel().dispersionPeers(), a.funnel().pValue(), a.funnel().qValue(), a.funnel().lower95(), a.funnel().upper95(),
                a.funnel().lower998(), a.funnel().upper998()});
        }
        return METRICS.dataset(spark, rows);
    }

    static Dataset<Row> targeting(SparkSession spark, List<TargetEntry> entries, List<PrescriberSegment> conforming) {
        List<Object[]> rows = new ArrayList<>();
        for (TargetEntry e : entries) {
            PrescriberSegment s = e.prescriber();
            rows.add(new Object[] {e.dept(), e.action().label(), e.rank(), e.withinCapacity(), s.prescriber(), s.specialty(),
                s.basePatients(), s.segment().label(), s.excessAmount(), e.avoidableAmount(), e.effect(), e.effectSource(),
                drivers(s),
                s.drivers().isEmpty() ? null : s.drivers().get(0).numeratorPatients(), s.reason()});
        }
        int rank = 0;
        for (PrescriberSegment s : conforming) {
            rows.add(new Object[] {s.dept(), "Retour positif", ++rank, true, s.prescriber(), s.specialty(),
                s.basePatients(), s.segment().label(), 0.0, 0.0, null, null, drivers(s),
                s.drivers().isEmpty() ? null : s.drivers().get(0).numeratorPatients(), s.reason()});
        }
        return TARGETING.dataset(spark, rows);
    }

    /** "Arrêts de travail – Part des patients...: x1,9 ; Antibiotiques – ...: x1,3" (top 3). */
    static String drivers(PrescriberSegment s) {
        return s.drivers().stream().limit(3)
                .map(a -> String.format(Locale.FRANCE, "%s – %s : x%.2f (lissé x%.2f)", a.metric().themeLabel(),
                        a.metric().label(), a.ratio(), a.shrunkRatio()))
                .collect(Collectors.joining(" ; "));
    }
}
