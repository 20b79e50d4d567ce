package fr.atypie.snds;

import static org.apache.spark.sql.functions.col;

import fr.atypie.errors.InputError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import fr.atypie.fs.Store;
import fr.atypie.settings.Sha256;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The SNDS nomenclatures codes are validated against: the natures of service of {@code IR_NAT_V}
 * (PRS_NAT_REF) and the specialties of {@code IR_SPE_V} (PFS_PRA_SPE). An extract that carries its
 * own {@code IR_NAT_V} / {@code IR_SPE_V} table folders (as SNDS users have them) is checked against
 * those; otherwise against the public copies packaged in the jar (Health Data Hub, schema-snds,
 * MPL-2.0: see the NOTICE next to them).
 *
 * @param natures     every PRS_NAT code
 * @param specialties every PFS_SPE_COD code
 * @param source      where they were read, for messages
 */
public record Nomenclatures(Set<Integer> natures, Set<Integer> specialties, String source) {
    public static final String NATURES_TABLE = "IR_NAT_V";
    public static final String SPECIALTIES_TABLE = "IR_SPE_V";
    private static final String RESOURCES = "/fr/atypie/snds/nomenclatures/";

    public Nomenclatures {
        natures = Set.copyOf(natures);
        specialties = Set.copyOf(specialties);
    }

    private static Nomenclatures packagedCopy;

    /**
     * The codes, in short: SHA-256 of both sorted code lists. It changes when a code is added or
     * withdrawn, not when the same tables are delivered again or come from another place: what was
     * validated against them still holds.
     */
    public String fingerprint() {
        return Sha256.hex("natures=" + new TreeSet<>(natures) + "\nspecialties=" + new TreeSet<>(specialties));
    }

    /** The copies packaged in the jar (read once). */
    public static synchronized Nomenclatures packaged() {
        if (packagedCopy == null) {
            packagedCopy = new Nomenclatures(resourceCodes(NATURES_TABLE), resourceCodes(SPECIALTIES_TABLE),
                    "packaged " + NATURES_TABLE + "/" + SPECIALTIES_TABLE + " (schema-snds)");
        }
        return packagedCopy;
    }

    /** The extract's own IR_NAT_V / IR_SPE_V where its root holds them, each else the packaged copy. */
    public static Nomenclatures of(SparkSession spark, ExtractLayout layout) {
        Nomenclatures p = packaged();
        Store nat = layout.folder(NATURES_TABLE);
        Store spe = layout.folder(SPECIALTIES_TABLE);
        boolean ownNat = nat.isFolder();
        boolean ownSpe = spe.isFolder();
        if (!ownNat && !ownSpe) {
            return p;
        }
        return new Nomenclatures(
                ownNat ? extractCodes(spark, NATURES_TABLE, nat, "PRS_NAT") : p.natures(),
                ownSpe ? extractCodes(spark, SPECIALTIES_TABLE, spe, "PFS_SPE_COD") : p.specialties(),
                (ownNat ? "the extract's " + NATURES_TABLE : p.source()) + " / "
                        + (ownSpe ? "the extract's " + SPECIALTIES_TABLE : "packaged " + SPECIALTIES_TABLE));
    }

    /** The codes of {@code selection} absent from {@code codes}, sorted (empty when all are known). */
    public static Set<Integer> missing(Set<Integer> selection, Set<Integer> codes) {
        Set<Integer> out = new TreeSet<>(selection);
        out.removeAll(codes);
        return out;
    }

    private static Set<Integer> extractCodes(SparkSession spark, String table, Store dir, String column) {
        Dataset<Row> df;
        // The files the reader takes from a table's folder (Hive's 000000_0 included, strays passed over).
        String[] files = ExtractReader.parquetFiles(table, dir).stream().map(Object::toString).toArray(String[]::new);
        try {
            df = spark.read().parquet(files);
        } catch (Exception e) {
            throw new InputError("table " + table + ": cannot read Parquet files in " + dir.shown() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        StructField f = null;
        for (StructField s : df.schema().fields()) {
            if (s.name().toUpperCase(Locale.ROOT).equals(column)) {
                f = s;
            }
        }
        if (f == null) {
            throw new InputError("table " + table + ", column " + column + ": missing");
        }
        Set<Integer> out = new TreeSet<>();
        // Codes arrive as int, bigint, decimal, double or string depending on the export: as text, whole numbers.
        for (Row r : df.select(col("`" + f.name() + "`").cast(DataTypes.StringType)).distinct().collectAsList()) {
            Integer code = parse(r.getString(0));
            if (code != null) {
                out.add(code);
            }
        }
        if (out.isEmpty()) {
            throw new InputError("table " + table + ": no code in column " + column);
        }
        return out;
    }

    private static Integer parse(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().replaceFirst("\\.0+$", "");
        return t.matches("-?[0-9]{1,9}") ? Integer.valueOf(t) : null;
    }

    /**
     * The packaged copy of one nomenclature table ({@link #NATURES_TABLE}, {@link #SPECIALTIES_TABLE}):
     * CSV, ';' separated, header first, as schema-snds publishes it. The one copy in the jar: whoever
     * reads its labels (the workbooks' specialty names) reads it here.
     */
    public static InputStream packagedTable(String table) {
        InputStream in = Nomenclatures.class.getResourceAsStream(RESOURCES + table + ".csv");
        if (in == null) {
            throw new IllegalStateException("packaged nomenclature " + table + " missing from the jar");
        }
        return in;
    }

    private static Set<Integer> resourceCodes(String table) {
        Set<Integer> out = new TreeSet<>();
        try (InputStream in = packagedTable(table)) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine(); // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Integer code = parse(line.split(";", 2)[0]);
                if (code != null) {
                    out.add(code);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
