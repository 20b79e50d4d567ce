package fr.atypie.snds;

import static fr.atypie.snds.SndsColumns.*;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The SNDS tables the job reads, with the real SNDS column names and the Spark types an extract
 * must carry. Only the columns the job uses are listed: an extract may hold more, the reader
 * selects these. Types follow the public SNDS schemas (integer, number, date, string), with
 * 13-digit CIP codes as longs.
 *
 * <p>On disk an extract is one folder per table; the two flux tables are partitioned by flux
 * month in sub-folders {@code flux_month=YYYY-MM} (see {@link ExtractLayout}).
 */
public enum SndsTable {
    ER_PRS_F(true,
            date(FLX_DIS_DTD), date(FLX_TRT_DTD), integer(FLX_EMT_TYP), integer(FLX_EMT_NUM),
            integer(FLX_EMT_ORD), string(ORG_CLE_NUM), integer(DCT_ORD_NUM), integer(PRS_ORD_NUM),
            integer(REM_TYP_AFF),
            string(BEN_NIR_PSA), integer(BEN_RNG_GEM), string(BEN_NAI_ANN), integer(BEN_AMA_COD),
            integer(BEN_SEX_COD), string(BEN_RES_DPT),
            integer(PRS_NAT_REF), date(EXE_SOI_DTD), date(EXE_SOI_DTF),
            string(PFS_EXE_NUM), string(PFS_PRE_NUM), integer(PSP_SPE_COD), string(ETB_PRE_FIN),
            number(PRS_ACT_QTE), number(PRS_ACT_NBR), number(BSE_REM_MNT), number(PRS_PAI_MNT),
            integer(RGO_ASU_NAT), integer(DPN_QLF), integer(PRS_DPN_QLP), integer(CPL_MAJ_TOP),
            string(IJR_RVL_NAT)),
    ER_PHA_F(true,
            date(FLX_DIS_DTD), date(FLX_TRT_DTD), integer(FLX_EMT_TYP), integer(FLX_EMT_NUM),
            integer(FLX_EMT_ORD), string(ORG_CLE_NUM), integer(DCT_ORD_NUM), integer(PRS_ORD_NUM),
            integer(REM_TYP_AFF),
            longInt(PHA_PRS_C13), integer(PHA_ACT_QSN)),
    IR_BEN_R(false,
            string(BEN_NIR_PSA), integer(BEN_RNG_GEM), string(BEN_NAI_ANN), integer(BEN_SEX_COD),
            string(BEN_RES_DPT), date(BEN_DCD_DTE)),
    IR_IMB_R(false,
            string(BEN_NIR_PSA), integer(BEN_RNG_GEM), integer(IMB_ALD_NUM), date(IMB_ALD_DTD),
            date(IMB_ALD_DTF), string(MED_MTF_COD)),
    DA_PRA_R(false,
            string(PFS_PFS_NUM), string(PFS_PRA_SPE), string(PFS_COD_POS), string(CAI_NUM)),
    IR_PHA_R(false,
            longInt(PHA_CIP_C13), string(PHA_MED_NOM), string(PHA_ATC_C07), string(PHA_GRS_NUM),
            integer(PHA_GEN_TYP), number(PHA_PRI_UNI));

    private final boolean partitionedByFlux;
    private final StructType schema;

    SndsTable(boolean partitionedByFlux, StructField... fields) {
        this.partitionedByFlux = partitionedByFlux;
        this.schema = new StructType(fields);
    }

    /** The columns the job needs, with their expected types. */
    public StructType schema() {
        return schema;
    }

    public List<String> columnNames() {
        return Arrays.asList(schema.fieldNames());
    }

    /** Whether the table's files sit in {@code flux_month=YYYY-MM} sub-folders. */
    public boolean partitionedByFlux() {
        return partitionedByFlux;
    }

    public Optional<DataType> typeOf(String column) {
        return Arrays.stream(schema.fields()).filter(f -> f.name().equals(column))
                .map(StructField::dataType).findFirst();
    }

    private static StructField date(String name) {
        return DataTypes.createStructField(name, DataTypes.DateType, true);
    }

    private static StructField integer(String name) {
        return DataTypes.createStructField(name, DataTypes.IntegerType, true);
    }

    private static StructField longInt(String name) {
        return DataTypes.createStructField(name, DataTypes.LongType, true);
    }

    private static StructField number(String name) {
        return DataTypes.createStructField(name, DataTypes.DoubleType, true);
    }

    private static StructField string(String name) {
        return DataTypes.createStructField(name, DataTypes.StringType, true);
    }
}
