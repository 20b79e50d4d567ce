package fr.atypie.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * French header of each exported column (column name → label). Every exported column needs a
 * label: a missing one is an error naming the table and the columns, not a raw name leaking
 * into a workbook. {@link PublishColumns#SECRET} has a default label.
 */
public record ColumnLabels(Map<String, String> labels) {

    public static final String SECRET_LABEL = "Secret statistique";

    public ColumnLabels {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(PublishColumns.SECRET, SECRET_LABEL);
        all.putAll(labels);
        labels = Map.copyOf(all);
    }

    /** Labels from pairs: {@code of("dept", "Département", "n_patients", "Patients")}. */
    public static ColumnLabels of(String... columnLabelPairs) {
        if (columnLabelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in pairs (column, label)");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < columnLabelPairs.length; i += 2) {
            m.put(columnLabelPairs[i], columnLabelPairs[i + 1]);
        }
        return new ColumnLabels(m);
    }

    /** Labels of {@code columns}, in order; fails listing every column without one. */
    public List<String> headers(String table, List<String> columns) {
        List<String> missing = columns.stream().filter(c -> !labels.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("table " + table + ": no French label for column(s) " + missing);
        }
        return columns.stream().map(labels::get).toList();
    }
}
