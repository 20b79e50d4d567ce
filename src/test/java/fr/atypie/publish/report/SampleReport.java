package fr.atypie.publish.report;

import fr.atypie.publish.ColumnLabels;
import fr.atypie.publish.ExportTable;
import fr.atypie.publish.SmallCells;
import fr.atypie.testing.SharedSpark;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A report like the monthly one, on hand-made figures with planted outliers. */
final class SampleReport {
    private SampleReport() {}

    static final FunnelPlot.Limits L95 = FunnelPlot.Limits.poisson(1.96);
    static final FunnelPlot.Limits L998 = FunnelPlot.Limits.poisson(3.09);

    /** Occitanie's departments; 34 planted high (SR 1.5 at E 100), 31 planted low (SR 0.8 at E 400). */
    static final List<FunnelPlot.Point> POINTS = List.of(
            new FunnelPlot.Point("09", 20, 1.15),
            new FunnelPlot.Point("11", 60, 1.05),
            new FunnelPlot.Point("12", 45, 0.92),
            new FunnelPlot.Point("30", 150, 1.08),
            new FunnelPlot.Point("31", 400, 0.80),
            new FunnelPlot.Point("32", 30, 1.22),
            new FunnelPlot.Point("34", 100, 1.50),
            new FunnelPlot.Point("46", 25, 0.85),
            new FunnelPlot.Point("48", 12, 1.30),
            new FunnelPlot.Point("65", 40, 1.02),
            new FunnelPlot.Point("66", 85, 1.25),
            new FunnelPlot.Point("81", 70, 0.97),
            new FunnelPlot.Point("82", 50, 1.10));

    static FunnelPlot funnel() {
        return new FunnelPlot("Arrêts de travail prescrits : ratio standardisé par département",
                "Nombre attendu d'arrêts (E)", "Ratio observé / attendu (SR)", POINTS, L95, L998);
    }

    static LineChart line() {
        List<YearMonth> months = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            months.add(YearMonth.of(2023, 1).plusMonths(i));
            observed.add(i == 17 ? null : 1000 + 40 * Math.sin(i / 2.0) + 6 * i);   // last month not consolidated
            expected.add(1000 + 5.0 * i);
        }
        return new LineChart("Jours d'IJ maladie indemnisés, Occitanie (milliers)", "Milliers de jours", months,
                List.of(new LineChart.Series("Observé", observed, false),
                        new LineChart.Series("Tendance attendue", expected, true)), false, YearMonth.of(2024, 1));
    }

    static BarChart bars() {
        return new BarChart("Prescripteurs par segment", "Nombre de médecins généralistes", List.of(
                new BarChart.Bar("Conforme aux pairs", 2840.0),
                new BarChart.Bar("Écart modéré (visite DAM)", 512.0),
                new BarChart.Bar("Atypie forte (échange confraternel)", 96.0),
                new BarChart.Bar("Atypie persistante (MSO-MSAP)", null),
                new BarChart.Bar("Pratique exemplaire (retour positif)", 141.0)), 0, "< 10");
    }

    static ExportTable table() {
        StructType schema = new StructType()
                .add("dept", DataTypes.StringType)
                .add("n_patients", DataTypes.LongType)
                .add("sr", DataTypes.DoubleType)
                .add("share", DataTypes.DoubleType)
                .add("secret", DataTypes.BooleanType);
        List<Row> rows = List.of(
                RowFactory.create("31", 48211L, 0.8, 61.25, false),
                RowFactory.create("34", 39950L, 1.5, 58.1, false),
                RowFactory.create("48", 7L, 1.3, 55.0, false));
        SmallCells cells = new SmallCells(10);
        var hidden = cells.hide(SharedSpark.get().createDataFrame(rows, schema), List.of("n_patients"), List.of("sr", "share"));
        return ExportTable.collect("cpg_dept", hidden, List.of("dept"));
    }

    static final ColumnLabels LABELS = ColumnLabels.of("dept", "Département", "n_patients", "Patients en arrêt",
            "sr", "Ratio standardisé", "share", "Plus en arrêt à J160 (%)");

    static HtmlReport report() {
        return new HtmlReport("Indicateurs CPG et atypies – Occitanie", "Données de mars 2024 (3 derniers mois provisoires)", "< 10")
                .section("Synthèse")
                .paragraph("Ce rapport compare chaque département à l'attendu compte tenu de sa population (âge, sexe, ALD).")
                .keyFigures(List.of(new String[] {"Départements au-delà de 99,8 %", "1"},
                        new String[] {"Ratio régional", FrenchFormat.number(1.04, 2)},
                        new String[] {"Jours d'IJ (12 mois glissants)", FrenchFormat.number(12_482_310, 0)}))
                .section("Arrêts de travail")
                .chart(funnel(), "Lecture : un point au-dessus de la courbe 99,8 % est significativement au-dessus de l'attendu.")
                .table(ReportTable.of("Indicateurs par département", table(), LABELS, Map.of("sr", 2, "share", 1)))
                .section("Évolution mensuelle")
                .chart(line(), "Le dernier mois n'est pas consolidé.")
                .note("Les mois récents sont provisoires : les flux continuent d'arriver pendant 6 mois.")
                .section("Segmentation des prescripteurs")
                .chart(bars(), null)
                .footer("atypie dev · configuration 0123abcd · données du mois 2024-03");
    }
}
