package fr.atypie.refresh;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import fr.atypie.spark.AvroSchemas;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The published contract's documentation ({@code published-fields.conf}, packaged beside this
 * class): for each published column its definition, unit and population, besides the French label
 * the CSV headers use. Written into {@code schemas/<table>.avsc}: each field's {@code doc} reads
 * "label : definition", its properties {@code label}, {@code unit} and {@code population} carry the
 * rest, and the record's {@code doc} describes the table.
 */
final class FieldDocs {
    /** One column of one table, documented. */
    record Field(String label, String definition, String unit, String population) {
        String doc() {
            return label + " : " + definition;
        }
    }

    static final String RESOURCE = "published-fields.conf";
    private static final Config DOCS = ConfigFactory.parseResources(FieldDocs.class, RESOURCE).resolve();

    private FieldDocs() {}

    /** The table's description, if documented. */
    static Optional<String> table(String table) {
        String path = "tables." + table + ".doc";
        return DOCS.hasPath(path) ? Optional.of(DOCS.getString(path)) : Optional.empty();
    }

    /**
     * The column's documentation: the table's own entry over the common one, the table's population
     * when the entry names none; empty when the column is not documented.
     */
    static Optional<Field> field(String table, String column, String label) {
        String own = "tables." + table + ".fields." + quoted(column);
        String common = "common." + quoted(column);
        Config entry = DOCS.hasPath(own) ? DOCS.getConfig(own) : DOCS.hasPath(common) ? DOCS.getConfig(common) : null;
        if (entry == null || !entry.hasPath("definition") || !entry.hasPath("unit")) {
            return Optional.empty();
        }
        String population = entry.hasPath("population") ? entry.getString("population")
                : DOCS.hasPath("tables." + table + ".population") ? DOCS.getString("tables." + table + ".population") : null;
        if (population == null) {
            return Optional.empty();
        }
        return Optional.of(new Field(label, entry.getString("definition"), entry.getString("unit"), population));
    }

    /**
     * The table's Avro schema with every documented field's doc and properties; an undocumented
     * field keeps its label only ({@code PublishedContractTest} keeps that from happening).
     */
    static Schema schema(String table, StructType schema, Map<String, String> labels) {
        Map<String, String> docs = new LinkedHashMap<>();
        Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        for (StructField f : schema.fields()) {
            String label = labels.getOrDefault(f.name(), f.name());
            Optional<Field> d = field(table, f.name(), label);
            docs.put(f.name(), d.map(Field::doc).orElse(label));
            d.ifPresent(x -> {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("label", x.label());
                p.put("unit", x.unit());
                p.put("population", x.population());
                properties.put(f.name(), p);
            });
        }
        return AvroSchemas.of(table, "fr.atypie.published", table(table).orElse(null), schema, docs, properties);
    }

    private static String quoted(String key) {
        return com.typesafe.config.ConfigUtil.joinPath(key);
    }
}
