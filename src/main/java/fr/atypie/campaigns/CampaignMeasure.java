package fr.atypie.campaigns;

import java.time.YearMonth;
import java.util.List;

/**
 * Outcomes of a sick-leave campaign, per prescriber over a window of months of the
 * {@link PrescriberPanel}. Rates are per month, so windows of different lengths compare.
 */
public enum CampaignMeasure {
    /** Mean monthly share (%) of the base patients starting a sick-leave spell prescribed by the prescriber. */
    IJ_PATIENT_SHARE("ij_patient_share"),
    /** Paid IJ days per patient with such a spell (days of spells started in the window). */
    IJ_DAYS_PER_IJ_PATIENT("ij_days_per_ij_patient"),
    /** The prescriber's own IJ days per base patient and month (the volume a campaign avoids). */
    IJ_DAYS_PER_PATIENT("ij_days_per_patient"),
    /** Circumvention: IJ days prescribed by other prescribers to the cohort (base in M0 − 1), per cohort patient and month. */
    OTHER_IJ_DAYS_PER_PATIENT("other_ij_days_per_patient");

    private final String code;

    CampaignMeasure(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /**
     * Patients behind the measure's numerator in one prescriber-month (statistical secrecy): those
     * starting a spell prescribed by the prescriber, or for circumvention the cohort patients with
     * IJ from other prescribers.
     */
    public long patients(PrescriberPanel.Month x) {
        return this == OTHER_IJ_DAYS_PER_PATIENT ? x.otherPatients() : x.ijPatients();
    }

    /** The prescriber's value over the months; NaN when it has no denominator there. */
    public double value(PrescriberPanel.Series s, List<YearMonth> months) {
        double num = 0;
        double den = 0;
        double shares = 0;
        int shareMonths = 0;
        for (YearMonth m : months) {
            PrescriberPanel.Month x = s.month(m);
            switch (this) {
                case IJ_PATIENT_SHARE -> {
                    if (x.base() > 0) {
                        shares += 100.0 * x.ijPatients() / x.base();
                        shareMonths++;
                    }
                }
                case IJ_DAYS_PER_IJ_PATIENT -> {
                    num += x.ijDays();
                    den += x.ijPatients();
                }
                case IJ_DAYS_PER_PATIENT -> {
                    num += x.ijDays();
                    den += x.base();
                }
                case OTHER_IJ_DAYS_PER_PATIENT -> {
                    num += x.otherDays();
                    den += s.cohort();
                }
            }
        }
        if (this == IJ_PATIENT_SHARE) {
            return shareMonths > 0 ? shares / shareMonths : Double.NaN;
        }
        return den > 0 ? num / den : Double.NaN;
    }
}
