package fr.atypie.indicators;

import static fr.atypie.events.EventColumns.AMOUNT;
import static fr.atypie.events.EventColumns.BOXES;
import static fr.atypie.events.EventColumns.CARE_MONTH;
import static fr.atypie.events.EventColumns.DEPT;
import static fr.atypie.events.EventColumns.ESTABLISHMENT;
import static fr.atypie.events.EventColumns.PAID_DAYS;
import static fr.atypie.events.EventColumns.PATIENT;
import static fr.atypie.events.EventColumns.RISK;
import static fr.atypie.events.EventColumns.RISK_SICKNESS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import fr.atypie.events.EventTable;
import fr.atypie.spark.ExactSums;
import java.sql.Date;
import java.time.YearMonth;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Profiles of the establishments whose practitioners prescribe care executed in town (hospital
 * prescriptions, {@code ETB_PRE_FIN}): per establishment (FINESS), department of residence of
 * the patients and theme, the volume and the amount reimbursed over a 12-month window of care,
 * with the distinct patients behind them (statistical secrecy). Sick leave counts sickness IJ
 * days, as the legal criterion does (work accidents and maternity aside).
 *
 * <p>Output columns: {@link #ESTABLISHMENT}, {@link #ESTABLISHMENT_DEPT}, {@code dept},
 * {@link #THEME}, {@link #VOLUME}, {@link #AMOUNT_REIMBURSED}, {@link #PATIENTS}; sorted by them.
 */
public final class EstablishmentProfiles {
    public static final String ESTABLISHMENT_DEPT = "establishment_dept";
    public static final String THEME = "theme";
    public static final String VOLUME = "volume";
    public static final String AMOUNT_REIMBURSED = "amount";
    public static final String PATIENTS = "patients";

    /** What an establishment's practitioners prescribe, and the unit of its volume. */
    public enum Theme {
        SICK_LEAVE("arrets", "Arrêts de travail (maladie)", "jours d'IJ"),
        DRUGS("medicaments", "Médicaments délivrés en ville", "boîtes"),
        TRANSPORTS("transports", "Transports de patients", "transports");

        private final String code;
        private final String label;
        private final String unit;

        Theme(String code, String label, String unit) {
            this.code = code;
            this.label = label;
            this.unit = unit;
        }

        public String code() {
            return code;
        }

        public String label() {
            return label;
        }

        public String unit() {
            return unit;
        }

        public static Theme of(String code) {
            for (Theme t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no establishment theme " + code);
        }
    }

    private EstablishmentProfiles() {}

    /**
     * @param events the event tables (SICK_LEAVE_PERIODS, DISPENSATIONS, TRANSPORTS are read)
     * @param last   last care month of the window
     */
    public static Dataset<Row> compute(Map<EventTable, Dataset<Row>> events, YearMonth last, int months) {
        Column window = col(CARE_MONTH).between(Date.valueOf(last.minusMonths(months - 1L).atDay(1)), Date.valueOf(last.atDay(1)));
        Dataset<Row> sickLeave = profile(events.get(EventTable.SICK_LEAVE_PERIODS).where(col(RISK).equalTo(RISK_SICKNESS)),
                window, Theme.SICK_LEAVE, col(PAID_DAYS));
        Dataset<Row> drugs = profile(events.get(EventTable.DISPENSATIONS), window, Theme.DRUGS, col(BOXES));
        Dataset<Row> transports = profile(events.get(EventTable.TRANSPORTS), window, Theme.TRANSPORTS, lit(1));
        return sickLeave.unionByName(drugs).unionByName(transports).orderBy(ESTABLISHMENT, DEPT, THEME);
    }

    private static Dataset<Row> profile(Dataset<Row> events, Column window, Theme theme, Column volume) {
        return events.where(col(ESTABLISHMENT).isNotNull().and(window))
                .groupBy(ESTABLISHMENT, DEPT)
                .agg(ExactSums.micros(volume.cast("double")).as(VOLUME), ExactSums.micros(col(AMOUNT)).as(AMOUNT_REIMBURSED),
                        countDistinct(PATIENT).as(PATIENTS))
                .select(col(ESTABLISHMENT), establishmentDept().as(ESTABLISHMENT_DEPT), col(DEPT), lit(theme.code()).as(THEME),
                        col(VOLUME), col(AMOUNT_REIMBURSED), col(PATIENTS));
    }

    /**
     * The establishment's department, in the residence code's form ("034"): a FINESS starts with
     * its department's 2 characters ("2A" for Corse-du-Sud); overseas ones with 9A (971) to 9F (976).
     */
    static Column establishmentDept() {
        Column two = substring(col(ESTABLISHMENT), 1, 2);
        Column out = concat(lit("0"), two);
        String[][] overseas = {{"9A", "971"}, {"9B", "972"}, {"9C", "973"}, {"9D", "974"}, {"9F", "976"}};
        for (int i = overseas.length - 1; i >= 0; i--) {
            out = when(two.equalTo(overseas[i][0]), lit(overseas[i][1])).otherwise(out);
        }
        return out;
    }
}
