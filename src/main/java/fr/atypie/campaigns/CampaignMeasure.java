package fr.atypie.campaigns;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Outcomes of a sick-leave campaign, per prescriber over consecutive months of the
 * {@link PrescriberPanel}, with detection's attribution (the prescriber on each IJ line).
 *
 * <p>Two are CNAM's published outcomes (2015 EC evaluation), measured over blocks of L months, L
 * the length of the after window being evaluated: the share of the prescriber's active patients
 * paid IJ on its prescriptions, and the paid days per such patient. A before period longer than L
 * is cut into blocks of L months ending at its last month, and its value is the mean over the
 * blocks, so that before and after compare shares over the same length of time. The others are
 * rates per month.
 */
public enum CampaignMeasure {
    /** CNAM's "part des patients actifs ayant perçu des IJ": share (%) of the base paid IJ on the prescriber's prescriptions over L months. */
    IJ_PATIENT_SHARE("ij_patient_share"),
    /** Mean monthly share (%) of the base starting a spell whose first period the prescriber prescribed (incidence). */
    NEW_SPELL_SHARE("new_spell_share"),
    /** CNAM's "IJ days per patient with IJ": paid days on the prescriber's prescriptions over L months per patient paid. */
    IJ_DAYS_PER_IJ_PATIENT("ij_days_per_ij_patient"),
    /** The prescriber's paid IJ days per base patient and month (the volume detection measures and a campaign avoids). */
    IJ_DAYS_PER_PATIENT("ij_days_per_patient"),
    /** Circumvention: IJ days prescribed by other prescribers to the cohort (base before the anchor), per cohort patient and month. */
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
     * paid on the prescriber's prescriptions, those starting a spell, or for circumvention the
     * cohort patients paid on other prescribers' lines.
     */
    public long patients(PrescriberPanel.Series s, YearMonth m, YearMonth anchor) {
        return switch (this) {
            case NEW_SPELL_SHARE -> s.month(m).newSpells();
            case OTHER_IJ_DAYS_PER_PATIENT -> s.cohort(anchor).month(m).patients();
            default -> s.month(m).ijPatients();
        };
    }

    /**
     * The prescriber's value over consecutive months; NaN when it has no denominator there.
     *
     * @param block  L, the months of one block of the block measures (the after window's length)
     * @param anchor the circumvention cohort's anchor (the prescriber's contact month, or its treated prescriber's)
     */
    public double value(PrescriberPanel.Series s, List<YearMonth> months, int block, YearMonth anchor) {
        if (months.isEmpty()) {
            return Double.NaN;
        }
        return switch (this) {
            case IJ_PATIENT_SHARE, IJ_DAYS_PER_IJ_PATIENT -> blocks(s, months, block);
            case NEW_SPELL_SHARE -> {
                double shares = 0;
                int n = 0;
                for (YearMonth m : months) {
                    PrescriberPanel.Month x = s.month(m);
                    if (x.base() > 0) {
                        shares += 100.0 * x.newSpells() / x.base();
                        n++;
                    }
                }
                yield n > 0 ? shares / n : Double.NaN;
            }
            case IJ_DAYS_PER_PATIENT -> {
                double days = 0;
                double base = 0;
                for (YearMonth m : months) {
                    days += s.month(m).ijDays();
                    base += s.month(m).base();
                }
                yield base > 0 ? days / base : Double.NaN;
            }
            case OTHER_IJ_DAYS_PER_PATIENT -> {
                PrescriberPanel.Cohort c = s.cohort(anchor);
                double days = 0;
                for (YearMonth m : months) {
                    days += c.month(m).days();
                }
                yield c.size() > 0 ? days / (c.size() * (double) months.size()) : Double.NaN;
            }
        };
    }

    /** Mean over the blocks of L months that end at the last month, at the last month minus L, ...; at least one block. */
    private double blocks(PrescriberPanel.Series s, List<YearMonth> months, int block) {
        List<YearMonth> sorted = new ArrayList<>(months);
        sorted.sort(YearMonth::compareTo);
        int count = Math.max(1, sorted.size() / block);
        double sum = 0;
        int n = 0;
        for (int b = 0; b < count; b++) {
            YearMonth end = sorted.get(sorted.size() - 1).minusMonths((long) b * block);
            PrescriberPanel.Month x = s.month(end);
            double paid = x.paidOver(block);
            double v;
            if (this == IJ_PATIENT_SHARE) {
                v = x.base() > 0 ? 100.0 * paid / x.base() : Double.NaN;
            } else {
                double days = 0;
                for (int k = 0; k < block; k++) {
                    days += s.month(end.minusMonths(k)).ijDays();
                }
                v = paid > 0 ? days / paid : Double.NaN;
            }
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n > 0 ? sum / n : Double.NaN;
    }
}
