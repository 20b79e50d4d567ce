import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import fr.atypie.config.ConfigLoader;
import fr.atypie.snds.CodeLists;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Share of ER_PRS_F lines per nature of service (PRS_NAT_REF) in an extract, with the IR_NAT_V
 * label and the job's list (atypie.dcir.codes) each nature belongs to. A measuring tool, not part of
 * the job:
 *
 * <pre>java -Xmx3g -cp "target/atypie.jar:target/lib/*" benchmark/NatureShares.java EXTRACT [TOP]</pre>
 */
public class NatureShares {
    public static void main(String[] args) throws Exception {
        String extract = args[0];
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<Integer, String> labels = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(CodeLists.class.getResourceAsStream(
                "/fr/atypie/snds/nomenclatures/IR_NAT_V.csv"), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(";", -1);
                labels.put(Integer.valueOf(f[0].trim()), f[3]);
            }
        }
        CodeLists codes = ConfigLoader.defaults().dcir().codes();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("nature-shares")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        List<Row> rows = spark.read().option("pathGlobFilter", "*.parquet").parquet(extract + "/ER_PRS_F")
                .groupBy(col("PRS_NAT_REF")).agg(count(lit(1)).as("n")).orderBy(col("n").desc(), col("PRS_NAT_REF"))
                .collectAsList();
        long total = rows.stream().mapToLong(r -> r.getLong(1)).sum();
        Map<String, Long> byList = new TreeMap<>();
        System.out.printf(Locale.ROOT, "%s: %,d ER_PRS_F lines, %d natures%n", extract, total, rows.size());
        int shown = 0;
        for (Row r : rows) {
            int nat = ((Number) r.get(0)).intValue();
            String list = "(not selected)";
            for (Map.Entry<String, Set<Integer>> e : codes.natureLists().entrySet()) {
                if (e.getValue().contains(nat)) {
                    list = e.getKey();
                }
            }
            byList.merge(list, r.getLong(1), Long::sum);
            if (shown++ < top) {
                System.out.printf(Locale.ROOT, "  %4d %-40s %-16s %9d %6.2f %%%n", nat, labels.getOrDefault(nat, "?"), list,
                        r.getLong(1), 100.0 * r.getLong(1) / total);
            }
        }
        System.out.println("by list of atypie.dcir.codes:");
        byList.forEach((list, n) -> System.out.printf(Locale.ROOT, "  %-16s %9d %6.2f %%%n", list, n, 100.0 * n / total));
        spark.stop();
    }
}
