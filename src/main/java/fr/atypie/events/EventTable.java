package fr.atypie.events;

import static fr.atypie.events.EventColumns.*;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The typed events the claims become, SCALPEL-style: one small row per consultation, sick-leave
 * period, dispensed drug line or transport, with the patient's attributes at the care date.
 * Ingestion must produce exactly these schemas; tests of later stages build them by hand.
 */
public enum EventTable {
    /** A patient seen by a doctor (GP/specialist consultation or visit): builds patient bases. */
    CONSULTATIONS(common(),
            f(AMOUNT, DataTypes.DoubleType)),
    /** One paid IJ period; spells are built from these. */
    SICK_LEAVE_PERIODS(common(),
            f(START_DATE, DataTypes.DateType), f(END_DATE, DataTypes.DateType),
            f(PAID_DAYS, DataTypes.DoubleType), f(RISK, DataTypes.StringType),
            f(AMOUNT, DataTypes.DoubleType), f(ESTABLISHMENT, DataTypes.StringType)),
    /** One dispensed drug line (boxes of one CIP13). */
    DISPENSATIONS(common(),
            f(CIP13, DataTypes.LongType), f(ATC, DataTypes.StringType),
            f(GENERIC_GROUP, DataTypes.StringType), f(GENERIC_TYPE, DataTypes.IntegerType),
            f(BOXES, DataTypes.IntegerType), f(AMOUNT, DataTypes.DoubleType),
            f(HOSPITAL_PRESCRIPTION, DataTypes.BooleanType), f(ESTABLISHMENT, DataTypes.StringType)),
    /** One patient transport (ambulance, VSL, taxi). */
    TRANSPORTS(common(),
            f(AMOUNT, DataTypes.DoubleType), f(ESTABLISHMENT, DataTypes.StringType));

    private final StructType schema;

    EventTable(StructField[] common, StructField... specific) {
        StructField[] all = new StructField[common.length + specific.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(specific, 0, all, common.length, specific.length);
        this.schema = new StructType(all);
    }

    public StructType schema() {
        return schema;
    }

    private static StructField[] common() {
        return new StructField[] {
            f(PATIENT, DataTypes.StringType), f(CARE_DATE, DataTypes.DateType),
            f(CARE_MONTH, DataTypes.DateType), f(FLUX_MONTH, DataTypes.DateType),
            f(DEPT, DataTypes.StringType), f(AGE, DataTypes.IntegerType),
            f(SEX, DataTypes.IntegerType), f(ALD, DataTypes.BooleanType),
            f(PRESCRIBER, DataTypes.StringType), f(PRESCRIBER_SPECIALTY, DataTypes.IntegerType)};
    }

    private static StructField f(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }
}
