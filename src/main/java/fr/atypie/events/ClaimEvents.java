package fr.atypie.events;

import static fr.atypie.events.EventColumns.*;
import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import fr.atypie.quality.Departments;
import fr.atypie.quality.ValidatedExtract;
import fr.atypie.snds.DcirRules;
import fr.atypie.snds.CodeLists;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.ScalaSeqs;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Validated claims → the four typed event tables of {@link EventTable}, exactly their schemas.
 * Lines are netted first ({@link DcirRules#netPrestations}, drug lines with
 * {@link DcirRules#netDispensedLines}), information-only lines dropped everywhere, majoration lines
 * dropped from consultations. The patient's department, sex and birth year come from IR_BEN_R (the
 * referential, not the copies on each line), age and ALD status at the care date.
 */
public final class ClaimEvents {
    private ClaimEvents() {}

    private static final String BIRTH_YEAR = "_ev_birth_year";

    /**
     * Builds the four event tables from a validation's kept rows (and drug lines joined to their
     * claim), selecting lines by {@code codes}.
     */
    public static Map<EventTable, Dataset<Row>> build(ValidatedExtract v, CodeLists codes) {
        Map<SndsTable, Dataset<Row>> kept = v.kept();
        // The patient dimension (referential and ALD periods, one row per patient) is small: broadcast,
        // it reaches every line where it lies, so no line moves for it.
        Dataset<Row> patients = broadcast(patients(kept.get(SndsTable.IR_BEN_R), kept.get(SndsTable.IR_IMB_R)));
        Dataset<Row> prs = DcirRules.excludeInformationOnly(kept.get(SndsTable.ER_PRS_F), codes);
        // Netting is the one exchange of the service lines; three event tables read the netted lines.
        Dataset<Row> netted = common(DcirRules.netPrestations(prs), patients);
        Column nat = col(PRS_NAT_REF);

        Map<EventTable, Dataset<Row>> out = new EnumMap<>(EventTable.class);

        Dataset<Row> consultations = DcirRules.excludeMajorations(netted.filter(nat.isin(codes.consultations().toArray())), codes);
        Dataset<Row> practitioners = kept.get(SndsTable.DA_PRA_R)
                .select(col(PFS_PFS_NUM).as(PFS_EXE_NUM), trim(col(PFS_PRA_SPE)).cast(DataTypes.IntegerType).as(PRESCRIBER_SPECIALTY));
        consultations = consultations.join(broadcast(practitioners), ScalaSeqs.of(List.of(PFS_EXE_NUM)), "left")
                .withColumn(PRESCRIBER, col(PFS_EXE_NUM))
                .withColumn(AMOUNT, col(BSE_REM_MNT));
        out.put(EventTable.CONSULTATIONS, conform(consultations, EventTable.CONSULTATIONS));

        Dataset<Row> sickLeave = netted.filter(nat.isin(codes.sickLeaveIj().toArray())
                        .and(col(RGO_ASU_NAT).isin(codes.insurance().sickLeave().toArray())))
                .withColumn(START_DATE, col(EXE_SOI_DTD))
                .withColumn(END_DATE, DcirRules.careEnd())
                .withColumn(PAID_DAYS, DcirRules.ijPaidDays())
                .withColumn(RISK, when(col(RGO_ASU_NAT).equalTo(codes.insurance().sickness()), lit(RISK_SICKNESS))
                        .otherwise(lit(RISK_WORK_ACCIDENT)))
                .withColumn(AMOUNT, col(BSE_REM_MNT));
        out.put(EventTable.SICK_LEAVE_PERIODS, conform(prescribed(sickLeave), EventTable.SICK_LEAVE_PERIODS));

        Dataset<Row> drugs = kept.get(SndsTable.IR_PHA_R).select(col(PHA_CIP_C13).as(PHA_PRS_C13),
                col(PHA_ATC_C07).as(ATC), col(PHA_GRS_NUM).as(GENERIC_GROUP), col(PHA_GEN_TYP).as(GENERIC_TYPE));
        Dataset<Row> dispensed = DcirRules.excludeInformationOnly(v.dispensed(), codes)
                .filter(nat.isin(codes.pharmacy().toArray()));
        Dataset<Row> dispensations = DcirRules.netDispensedLines(dispensed)
                .join(broadcast(drugs), ScalaSeqs.of(List.of(PHA_PRS_C13)), "left")
                .withColumn(CIP13, col(PHA_PRS_C13))
                .withColumn(BOXES, col(PHA_ACT_QSN))
                .withColumn(AMOUNT, col(BSE_REM_MNT))
                .withColumn(HOSPITAL_PRESCRIPTION, coalesce(length(trim(col(ETB_PRE_FIN))).gt(0), lit(false)));
        out.put(EventTable.DISPENSATIONS, conform(common(prescribed(dispensations), patients), EventTable.DISPENSATIONS));

        Dataset<Row> transports = netted.filter(nat.isin(codes.transports().toArray()))
                .withColumn(AMOUNT, col(BSE_REM_MNT));
        out.put(EventTable.TRANSPORTS, conform(prescribed(transports), EventTable.TRANSPORTS));
        return out;
    }

    /** Prescriber, specialty and prescribing establishment as written on the line (PFS_PRE_NUM, PSP_SPE_COD, ETB_PRE_FIN). */
    private static Dataset<Row> prescribed(Dataset<Row> lines) {
        Column finess = trim(col(ETB_PRE_FIN));
        return lines.withColumn(PRESCRIBER, col(PFS_PRE_NUM)).withColumn(PRESCRIBER_SPECIALTY, col(PSP_SPE_COD))
                .withColumn(ESTABLISHMENT, when(length(finess).gt(0), finess));
    }

    /**
     * One row per kept beneficiary: key, birth year, sex, department (3 characters) and ALD periods
     * ({@link DcirRules#aldPeriods}).
     */
    static Dataset<Row> patients(Dataset<Row> ben, Dataset<Row> imb) {
        return ben.select(col(BEN_NIR_PSA), col(BEN_RNG_GEM), col(BEN_NAI_ANN).as(BIRTH_YEAR),
                        col(BEN_SEX_COD).as(SEX), Departments.normalised(col(BEN_RES_DPT)).as(DEPT))
                .join(DcirRules.aldPeriods(imb), ScalaSeqs.of(PATIENT_KEY), "left");
    }

    /** The columns every event carries: patient, dates, department, age, sex, ALD. */
    private static Dataset<Row> common(Dataset<Row> lines, Dataset<Row> patients) {
        return lines.drop(BEN_NAI_ANN, BEN_SEX_COD, BEN_RES_DPT)
                .join(patients, ScalaSeqs.of(PATIENT_KEY), "left")
                .withColumn(CARE_DATE, col(EXE_SOI_DTD))
                .withColumn(ALD, DcirRules.aldAt(col(DcirRules.ALD_PERIODS), col(CARE_DATE)))
                .withColumn(PATIENT, concat(col(BEN_NIR_PSA), lit(":"), col(BEN_RNG_GEM).cast(DataTypes.StringType)))
                .withColumn(CARE_MONTH, trunc(col(CARE_DATE), "month"))
                .withColumn(FLUX_MONTH, trunc(col(FLX_DIS_DTD), "month"))
                .withColumn(AGE, DcirRules.ageAtCare(col(BEN_AMA_COD), col(BIRTH_YEAR), col(CARE_DATE)));
    }

    /** Exactly the event table's columns, in its order and types. */
    static Dataset<Row> conform(Dataset<Row> ds, EventTable table) {
        List<Column> cols = new java.util.ArrayList<>();
        for (StructField f : table.schema().fields()) {
            // The CASE makes every column nullable, as the schema says (coalesce would tighten it).
            Column c = col(f.name()).cast(f.dataType());
            cols.add(when(c.isNull(), lit(null).cast(f.dataType())).otherwise(c).as(f.name()));
        }
        return ds.select(cols.toArray(Column[]::new));
    }
}
