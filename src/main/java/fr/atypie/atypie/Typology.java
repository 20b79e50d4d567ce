package fr.atypie.atypie;

import fr.atypie.atypie.MetricAssessment.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Profile types of the assessed prescribers, with spark-mllib: k-means on the standardised
 * log shrunk ratios (one feature per metric; 0 = as peers), quality measured by the silhouette.
 * Each type is labelled by what its centre shows (the metrics well above peers), and matched to
 * last month's types (least total distance between centres over all pairings) so that a type
 * keeps its number and label from one month to the next.
 */
public final class Typology {
    /** A centre above peers by this factor on a metric names the type after that metric. */
    static final double HIGH = Math.log(1.15);
    static final double LOW = Math.log(0.95);

    public record Settings(int k, long seed, int maxIterations) {}

    /** One profile type: number, label, size and centre (mean log SR* per metric id). */
    public record Cluster(int id, String label, long size, Map<String, Double> centre) {}

    public record Result(Map<String, Integer> clusterOf, List<Cluster> clusters, double silhouette, List<String> features) {}

    private Typology() {}

    public static Result fit(SparkSession spark, List<MetricAssessment> month, List<Metric> metrics, Settings settings,
                             List<Cluster> previous) {
        List<String> features = metrics.stream().map(Metric::id).sorted().toList();
        Map<String, double[]> byPrescriber = new TreeMap<>();
        for (MetricAssessment a : month) {
            if (a.level() != Level.NOT_JUDGED && a.shrunkRatio() > 0) {
                byPrescriber.computeIfAbsent(a.prescriber(), p -> new double[features.size()])
                        [features.indexOf(a.metric().id())] = Math.log(a.shrunkRatio());
            }
        }
        if (byPrescriber.size() < settings.k() * 2) {
            return new Result(Map.of(), List.of(), Double.NaN, features);
        }
        StructType schema = new StructType().add("prescriber_id", DataTypes.StringType).add("raw", new VectorUDT());
        List<Row> rows = new ArrayList<>();
        byPrescriber.forEach((p, v) -> rows.add(RowFactory.create(p, Vectors.dense(v))));
        Dataset<Row> data = spark.createDataFrame(rows, schema).coalesce(1);
        StandardScalerModel scaler = new StandardScaler().setInputCol("raw").setOutputCol("features")
                .setWithMean(true).setWithStd(true).fit(data);
        Dataset<Row> scaled = scaler.transform(data).persist();
        KMeansModel model = new KMeans().setK(settings.k()).setSeed(settings.seed()).setMaxIter(settings.maxIterations())
                .setFeaturesCol("features").setPredictionCol("cluster").fit(scaled);
        Dataset<Row> assigned = model.transform(scaled);
        double silhouette = new ClusteringEvaluator().setFeaturesCol("features").setPredictionCol("cluster")
                .evaluate(assigned);

        // Centres back in log-SR* units: mean of the raw features of each cluster's members.
        int k = settings.k();
        double[][] sums = new double[k][features.size()];
        long[] sizes = new long[k];
        Map<String, Integer> raw = new TreeMap<>();
        for (Row r : assigned.select("prescriber_id", "raw", "cluster").collectAsList()) {
            int c = r.getInt(2);
            double[] v = ((Vector) r.get(1)).toArray();
            for (int i = 0; i < v.length; i++) {
                sums[c][i] += v[i];
            }
            sizes[c]++;
            raw.put(r.getString(0), c);
        }
        scaled.unpersist();
        List<Map<String, Double>> centres = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Map<String, Double> centre = new TreeMap<>();
            for (int i = 0; i < features.size(); i++) {
                centre.put(features.get(i), sizes[c] == 0 ? 0.0 : sums[c][i] / sizes[c]);
            }
            centres.add(centre);
        }
        int[] ids = matchIds(centres, sizes, previous);
        Map<String, Metric> metricById = new TreeMap<>();
        metrics.forEach(m -> metricById.put(m.id(), m));
        List<Cluster> clusters = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            clusters.add(new Cluster(ids[c], label(centres.get(c), metricById), sizes[c], centres.get(c)));
        }
        clusters.sort(Comparator.comparingInt(Cluster::id));
        Map<String, Integer> clusterOf = new TreeMap<>();
        raw.forEach((p, c) -> clusterOf.put(p, ids[c]));
        return new Result(clusterOf, clusters, silhouette, features);
    }

    /** "Au-dessus des pairs : Arrêts de travail (jours d'IJ...) x1,4 ; ..." or "Proche des pairs". */
    static String label(Map<String, Double> centre, Map<String, Metric> metrics) {
        List<Map.Entry<String, Double>> high = centre.entrySet().stream().filter(e -> e.getValue() >= HIGH)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(2).toList();
        if (!high.isEmpty()) {
            StringBuilder b = new StringBuilder("Au-dessus des pairs : ");
            for (int i = 0; i < high.size(); i++) {
                Metric m = metrics.get(high.get(i).getKey());
                b.append(i == 0 ? "" : " ; ").append(m.themeLabel()).append(" (").append(m.label()).append(") ")
                        .append(String.format(Locale.FRANCE, "x%.2f", Math.exp(high.get(i).getValue())));
            }
            return b.toString();
        }
        boolean allLow = centre.values().stream().allMatch(v -> v <= LOW);
        return allLow ? "En dessous des pairs sur tous les thèmes" : "Proche des pairs";
    }

    /**
     * Type numbers: last month's number of the nearest previous centre under the pairing of least
     * total distance; without a previous month, 1..k by decreasing size.
     */
    static int[] matchIds(List<Map<String, Double>> centres, long[] sizes, List<Cluster> previous) {
        int k = centres.size();
        int[] ids = new int[k];
        if (previous.size() != k) {
            Integer[] order = new Integer[k];
            for (int i = 0; i < k; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong((Integer i) -> -sizes[i]).thenComparing(i -> centres.get(i).toString()));
            for (int rank = 0; rank < k; rank++) {
                ids[order[rank]] = rank + 1;
            }
            return ids;
        }
        double[][] cost = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                cost[i][j] = distance(centres.get(i), previous.get(j).centre());
            }
        }
        int[] best = bestPairing(cost);
        for (int i = 0; i < k; i++) {
            ids[i] = previous.get(best[i]).id();
        }
        return ids;
    }

    /** Exhaustive search of the pairing of least total cost (k is small: at most 8 types). */
    static int[] bestPairing(double[][] cost) {
        int k = cost.length;
        int[] perm = new int[k];
        for (int i = 0; i < k; i++) {
            perm[i] = i;
        }
        int[] best = perm.clone();
        double bestCost = Double.POSITIVE_INFINITY;
        do {
            double c = 0;
            for (int i = 0; i < k; i++) {
                c += cost[i][perm[i]];
            }
            if (c < bestCost - 1e-12) {
                bestCost = c;
                best = perm.clone();
            }
        } while (nextPermutation(perm));
        return best;
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }

    private static double distance(Map<String, Double> a, Map<String, Double> b) {
        double d = 0;
        for (String f : new TreeSet<>(a.keySet())) {
            double x = a.get(f) - b.getOrDefault(f, 0.0);
            d += x * x;
        }
        return Math.sqrt(d);
    }
}
