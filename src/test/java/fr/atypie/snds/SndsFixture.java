package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;

import fr.atypie.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;

/**
 * Hand-written SNDS rows for tests: each builder starts from a valid row (one GP consultation of
 * patient P1 by doctor D1 in February 2024, flux March 2024) and tests change only the columns
 * that matter to them. Patient P1 is in IR_BEN_R, D1 in DA_PRA_R and drug {@link #CIP} in IR_PHA_R.
 */
public final class SndsFixture {
    public static final long CIP = 3400930000001L;
    public static final long CIP2 = 3400930000002L;

    private final SndsTable table;
    private final Map<String, Object> values = new HashMap<>();

    private SndsFixture(SndsTable table) {
        this.table = table;
    }

    /** The job's code selections of the default configuration (conf/dcir.conf). */
    public static CodeLists codes() {
        return DEFAULT_CODES;
    }

    private static final CodeLists DEFAULT_CODES = fr.atypie.config.ConfigLoader.defaults().dcir().codes();

    public static Date d(String iso) {
        return Date.valueOf(iso);
    }

    /** A valid ER_PRS_F line: GP consultation (1111) of P1 by D1 on 2024-02-10, flux 2024-03. */
    public static SndsFixture prs() {
        return new SndsFixture(SndsTable.ER_PRS_F).keys(1)
                .with(BEN_NIR_PSA, "P1").with(BEN_RNG_GEM, 1).with(BEN_NAI_ANN, "1980").with(BEN_AMA_COD, null)
                .with(BEN_SEX_COD, 1).with(BEN_RES_DPT, "034")
                .with(PRS_NAT_REF, 1111).with(EXE_SOI_DTD, d("2024-02-10")).with(EXE_SOI_DTF, d("2024-02-10"))
                .with(PFS_EXE_NUM, "D1").with(PFS_PRE_NUM, "D1").with(PSP_SPE_COD, 1).with(ETB_PRE_FIN, null)
                .with(PRS_ACT_QTE, 1.0).with(PRS_ACT_NBR, 1.0).with(BSE_REM_MNT, 25.0).with(PRS_PAI_MNT, 26.5)
                .with(RGO_ASU_NAT, 10).with(DPN_QLF, 0).with(PRS_DPN_QLP, 0).with(CPL_MAJ_TOP, 0)
                .with(IJR_RVL_NAT, null);
    }

    /** A valid ER_PHA_F line under the 9 keys of {@code prs().keys(n)}: one box of {@link #CIP}. */
    public static SndsFixture pha(int n) {
        return new SndsFixture(SndsTable.ER_PHA_F).keys(n).with(PHA_PRS_C13, CIP).with(PHA_ACT_QSN, 1);
    }

    public static SndsFixture ben(String nir) {
        return new SndsFixture(SndsTable.IR_BEN_R).with(BEN_NIR_PSA, nir).with(BEN_RNG_GEM, 1)
                .with(BEN_NAI_ANN, "1980").with(BEN_SEX_COD, 1).with(BEN_RES_DPT, "034").with(BEN_DCD_DTE, null);
    }

    public static SndsFixture ald(String nir, String from, String to) {
        return new SndsFixture(SndsTable.IR_IMB_R).with(BEN_NIR_PSA, nir).with(BEN_RNG_GEM, 1)
                .with(IMB_ALD_NUM, 8).with(IMB_ALD_DTD, from == null ? null : d(from))
                .with(IMB_ALD_DTF, to == null ? null : d(to)).with(MED_MTF_COD, "E11");
    }

    public static SndsFixture pra(String num, String specialty) {
        return new SndsFixture(SndsTable.DA_PRA_R).with(PFS_PFS_NUM, num).with(PFS_PRA_SPE, specialty)
                .with(PFS_COD_POS, "34000").with(CAI_NUM, "341");
    }

    public static SndsFixture drug(long cip, String atc) {
        return new SndsFixture(SndsTable.IR_PHA_R).with(PHA_CIP_C13, cip).with(PHA_MED_NOM, "DRUG " + cip)
                .with(PHA_ATC_C07, atc).with(PHA_GRS_NUM, "G1").with(PHA_GEN_TYP, 2).with(PHA_PRI_UNI, 5.0);
    }

    /** The 9 keys of claim line n: flux 2024-03, DCT_ORD_NUM = n. */
    public SndsFixture keys(int n) {
        return with(FLX_DIS_DTD, d("2024-03-01")).with(FLX_TRT_DTD, d("2024-03-05")).with(FLX_EMT_TYP, 1)
                .with(FLX_EMT_NUM, 1).with(FLX_EMT_ORD, 1).with(ORG_CLE_NUM, "01C341000")
                .with(DCT_ORD_NUM, n).with(PRS_ORD_NUM, 1).with(REM_TYP_AFF, 1);
    }

    /** Moves the line to another flux month (first day), as a late line or a regularisation would. */
    public SndsFixture flux(String firstDay) {
        return with(FLX_DIS_DTD, d(firstDay));
    }

    public SndsFixture with(String column, Object value) {
        if (table.typeOf(column).isEmpty()) {
            throw new IllegalArgumentException(column + " is not a column of " + table);
        }
        // Copy on write: a shared starting row can be varied without surprises.
        SndsFixture copy = new SndsFixture(table);
        copy.values.putAll(values);
        copy.values.put(column, value);
        return copy;
    }

    public Row row() {
        return RowFactory.create(table.columnNames().stream().map(values::get).toArray());
    }

    public static Dataset<Row> df(SndsTable table, SndsFixture... rows) {
        List<Row> list = new ArrayList<>();
        for (SndsFixture r : rows) {
            if (r.table != table) {
                throw new IllegalArgumentException("a " + r.table + " row given for " + table);
            }
            list.add(r.row());
        }
        return SharedSpark.get().createDataFrame(list, table.schema());
    }

    /** A whole extract: the rows given, plus default referentials (P1, D1, CIP) where none are given. */
    public static Map<SndsTable, Dataset<Row>> extract(SndsFixture... rows) {
        Map<SndsTable, List<SndsFixture>> byTable = new EnumMap<>(SndsTable.class);
        for (SndsTable t : SndsTable.values()) {
            byTable.put(t, new ArrayList<>());
        }
        Arrays.stream(rows).forEach(r -> byTable.get(r.table).add(r));
        if (byTable.get(SndsTable.IR_BEN_R).isEmpty()) {
            byTable.get(SndsTable.IR_BEN_R).add(ben("P1"));
        }
        if (byTable.get(SndsTable.DA_PRA_R).isEmpty()) {
            byTable.get(SndsTable.DA_PRA_R).add(pra("D1", "1"));
        }
        if (byTable.get(SndsTable.IR_PHA_R).isEmpty()) {
            byTable.get(SndsTable.IR_PHA_R).add(drug(CIP, "J01CA04"));
        }
        Map<SndsTable, Dataset<Row>> out = new EnumMap<>(SndsTable.class);
        byTable.forEach((t, l) -> out.put(t, df(t, l.toArray(SndsFixture[]::new))));
        return out;
    }

    /** Writes an extract in the {@link ExtractLayout}: flux tables partitioned by flux month. */
    public static void write(Map<SndsTable, Dataset<Row>> tables, Path root) {
        ExtractLayout layout = new ExtractLayout(root);
        tables.forEach((t, ds) -> {
            if (t.partitionedByFlux()) {
                ds.withColumn(ExtractLayout.FLUX_PARTITION,
                                org.apache.spark.sql.functions.date_format(ds.col(FLX_DIS_DTD), "yyyy-MM"))
                        .write().mode(SaveMode.Overwrite).partitionBy(ExtractLayout.FLUX_PARTITION)
                        .parquet(layout.tableDir(t).toString());
            } else {
                ds.coalesce(1).write().mode(SaveMode.Overwrite).parquet(layout.tableDir(t).toString());
            }
        });
    }
}
