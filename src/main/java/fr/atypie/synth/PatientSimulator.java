package fr.atypie.synth;

import static fr.atypie.snds.PrestationCodes.*;

import fr.atypie.synth.DrugCatalogue.Drug;
import fr.atypie.synth.DrugCatalogue.Molecule;
import fr.atypie.synth.DrugCatalogue.Use;
import java.time.YearMonth;
import org.apache.avro.util.Utf8;
import java.util.List;

/**
 * Simulates one patient's care month by month and hands the claims to a {@link ClaimWriter}:
 * GP and specialist consultations, acute and chronic pharmacy claims, hospital prescriptions
 * dispensed in town, transports, sick-leave spells paid as IJ lines (with the planted GP
 * multipliers and campaign effect), maternity leave. All draws come from the patient's own
 * generator, in a fixed order.
 */
final class PatientSimulator {
    /** Antibiotic choice among the ANTIBIOTIC molecules, in catalogue order (amoxicillin first). */
    private static final double[] ANTIBIOTIC_MIX = {45, 25, 12, 5, 7, 6};
    private static final double MAJORATION_EUR = 5.0;
    /** IJR_RVL_NAT of revaluation lines (any non-empty value marks them). */
    private static final Utf8 REVALUATION = new Utf8("1");
    private static final int PRENATAL_DAYS = 42;
    private static final int IJ_NORMAL_DAYS = 90;

    private final SynthConfig c;
    private final DrugCatalogue drugs;
    private final RegionPlan.DepartmentPlan dept;
    private final List<Practitioner> gynaecologists;
    private final int burnIn;
    private final int[] monthStart;   // index m + burnIn
    private final int[] monthLength;
    private final int[] monthYear;
    private final double[] winter;    // cos(2 pi (calendar month - 1) / 12): +1 in January
    private final int windowStart;
    private final int windowEnd;
    private final Claim claim = new Claim();
    private final RegionPlan.Ids ids;

    PatientSimulator(SynthConfig c, DrugCatalogue drugs, RegionPlan.DepartmentPlan dept) {
        this.c = c;
        this.drugs = drugs;
        this.dept = dept;
        this.ids = dept.ids();
        this.gynaecologists = dept.specialists().stream().filter(s -> s.specialty() == 7).toList();
        this.burnIn = c.sickLeave().burnInMonths();
        int n = burnIn + c.months();
        monthStart = new int[n];
        monthLength = new int[n];
        monthYear = new int[n];
        winter = new double[n];
        for (int i = 0; i < n; i++) {
            YearMonth ym = c.firstMonth().plusMonths(i - burnIn);
            monthStart[i] = (int) ym.atDay(1).toEpochDay();
            monthLength[i] = ym.lengthOfMonth();
            monthYear[i] = ym.getYear();
            winter[i] = Math.cos(2 * Math.PI * (ym.getMonthValue() - 1) / 12.0);
        }
        windowStart = (int) c.firstMonth().atDay(1).toEpochDay();
        windowEnd = (int) c.lastMonth().atEndOfMonth().toEpochDay();
    }

    void simulate(Patient p, Rng rng, ClaimWriter out) {
        for (int m = 0; m < c.months(); m++) {
            care(p, m, rng, out);
        }
        sickLeave(p, rng, out);
        if (p.sex() == Patient.FEMALE) {
            maternity(p, rng, out);
        }
    }

    private int band(int age) {
        List<Integer> starts = c.population().ageBandStarts();
        int b = 0;
        while (b + 1 < starts.size() && age >= starts.get(b + 1)) {
            b++;
        }
        return b;
    }

    // ---------------------------------------------------------------- consultations, drugs, transports

    private void care(Patient p, int m, Rng rng, ClaimWriter out) {
        int i = m + burnIn;
        int d0 = monthStart[i];
        if (!p.alive(d0)) {
            return;
        }
        int span = Math.min(monthLength[i], p.death() - d0);
        double fraction = span / (double) monthLength[i];
        int age = p.age(monthYear[i]);
        int band = band(age);
        boolean ald = p.hasAld(d0);
        SynthConfig.Care care = c.care();
        double factor = care.consultationAgeFactor().get(band) * (ald ? care.consultationAldFactor() : 1)
                * (1 + care.winterAmplitude() * winter[i]) * fraction;
        double rate = ald ? 1.0 : care.reimbursementRate();

        int gpVisits = rng.poisson(care.gpConsultationsPerYear() / 12 * factor);
        for (int k = 0; k < gpVisits; k++) {
            int day = d0 + rng.below(span);
            Practitioner doctor = rng.chance(care.otherGpShare()) ? otherGp(p.gp(), rng) : p.gp();
            boolean visit = rng.chance(age >= 75 ? care.visitShareElderly() : care.visitShare());
            int nature = visit ? VISIT_VG : rng.chance(care.cShare()) ? CONSULTATION_C : CONSULTATION_G;
            double fee = care.fees().get(visit ? 3 : nature == CONSULTATION_C ? 1 : 0);
            Claim cl = claim.reset(nature, day, day);
            cl.executant = ids.of(doctor);
            cl.prescriberSpecialty = doctor.specialty();
            cl.base = fee;
            cl.paid = ClaimWriter.round(fee * rate);
            if (rng.chance(c.mess().majorationRate())) {
                cl.majoration = MAJORATION_EUR;
            }
            out.emit(cl, p, rng);
            if (rng.chance(c.pharmacy().acuteClaimProbability())) {
                acutePharmacy(p, day, doctor, i, ald, rng, out);
            }
        }

        int specialistVisits = rng.poisson(care.specialistConsultationsPerYear() / 12 * factor);
        for (int k = 0; k < specialistVisits; k++) {
            int day = d0 + rng.below(span);
            Practitioner s = dept.specialists().get(rng.below(dept.specialists().size()));
            Claim cl = claim.reset(CONSULTATION_CS, day, day);
            cl.executant = ids.of(s);
            cl.prescriberSpecialty = s.specialty();
            cl.base = care.fees().get(2);
            cl.paid = ClaimWriter.round(cl.base * rate);
            if (rng.chance(c.mess().informationOnlyRate())) {
                cl.informationOnly = INFORMATION_ONLY;
            }
            out.emit(cl, p, rng);
        }

        SynthConfig.Pharmacy ph = c.pharmacy();
        if (!p.chronic().isEmpty() && rng.chance(ph.chronicRefillProbability())) {
            int day = d0 + rng.below(span);
            Claim cl = pharmacyClaim(p, day, ald);
            cl.prescriber = ids.of(p.gp());
            cl.prescriberSpecialty = p.gp().specialty();
            for (Molecule mol : p.chronic()) {
                addDrug(cl, mol, p.gp().genericMultiplier(), rng.chance(0.15) ? 3 : 1, rng);
            }
            emitPharmacy(cl, ald, p, rng, out);
        }
        if (rng.chance(ald ? ph.hospitalMonthlyProbabilityAld() : ph.hospitalMonthlyProbability())) {
            int day = d0 + rng.below(span);
            Claim cl = pharmacyClaim(p, day, ald);
            cl.hospital = ids.hospitals[rng.below(dept.hospitals())];
            List<Molecule> hospital = drugs.molecules(Use.HOSPITAL);
            addDrug(cl, hospital.get(rng.below(hospital.size())), 1, 1, rng);
            if (rng.chance(0.3)) {
                addDrug(cl, drugs.molecules(Use.ANALGESIC).get(0), 1, 1, rng);
            }
            emitPharmacy(cl, ald, p, rng, out);
        }

        SynthConfig.Transports tr = c.transports();
        double pTransport = (age >= 75 ? tr.monthlyProbabilityElderly() : tr.monthlyProbability())
                * (ald ? tr.aldFactor() : 1) * fraction;
        if (rng.chance(pTransport)) {
            int day = d0 + rng.below(span);
            int type = rng.weighted(tr.typeWeights());
            Claim cl = claim.reset(type == 0 ? TRANSPORT_AMBULANCE : type == 1 ? TRANSPORT_VSL : TRANSPORT_TAXI, day, day);
            cl.executant = ids.transporters[p.transporter()];
            if (rng.chance(tr.hospitalShare())) {
                cl.hospital = ids.hospitals[rng.below(dept.hospitals())];
            } else {
                cl.prescriber = ids.of(p.gp());
                cl.prescriberSpecialty = p.gp().specialty();
            }
            cl.base = ClaimWriter.round(tr.amounts().get(type) * rng.uniform(0.8, 1.2));
            cl.paid = ClaimWriter.round(cl.base * (ald ? 1.0 : 0.65));
            out.emit(cl, p, rng);
        }
    }

    private Claim pharmacyClaim(Patient p, int day, boolean ald) {
        Claim cl = claim.reset(ald ? PHARMACY_100 : PHARMACY_65, day, day);
        cl.executant = ids.pharmacies[p.pharmacy()];
        cl.quantity = 0;
        return cl;
    }

    private void acutePharmacy(Patient p, int day, Practitioner doctor, int i, boolean ald, Rng rng, ClaimWriter out) {
        SynthConfig.Pharmacy ph = c.pharmacy();
        Claim cl = pharmacyClaim(p, day, ald);
        cl.prescriber = ids.of(doctor);
        cl.prescriberSpecialty = doctor.specialty();
        double g = doctor.genericMultiplier();
        double pAbx = Math.min(0.95, ph.antibioticProbability() * (1 + ph.antibioticWinterAmplitude() * winter[i])
                * doctor.antibioticMultiplier());
        if (rng.chance(pAbx)) {
            addDrug(cl, drugs.molecules(Use.ANTIBIOTIC).get(rng.weighted(ANTIBIOTIC_MIX)), g, 1, rng);
        }
        if (rng.chance(0.15)) {
            addDrug(cl, one(Use.NSAID, rng), g, 1, rng);
        }
        if (rng.chance(0.08)) {
            addDrug(cl, one(Use.CORTICOID, rng), g, 1, rng);
        }
        if (rng.chance(0.06)) {
            addDrug(cl, one(Use.PPI, rng), g, 1, rng);
        }
        if (rng.chance(0.04)) {
            addDrug(cl, one(Use.ASTHMA, rng), g, 1, rng);
        }
        if (cl.drugs == 0 || rng.chance(0.6)) {
            addDrug(cl, one(Use.ANALGESIC, rng), g, rng.chance(0.3) ? 2 : 1, rng);
        }
        emitPharmacy(cl, ald, p, rng, out);
    }

    private Molecule one(Use use, Rng rng) {
        List<Molecule> ms = drugs.molecules(use);
        return ms.get(rng.below(ms.size()));
    }

    /** Adds a drug line; within a generic group the pharmacist substitutes a generic or not. */
    private void addDrug(Claim cl, Molecule m, double genericMultiplier, int boxes, Rng rng) {
        if (cl.drugs == cl.cips.length) {
            return;
        }
        List<Drug> generics = drugs.generics(m);
        Drug d = drugs.princeps(m);
        if (!generics.isEmpty() && rng.chance(Math.min(1, c.pharmacy().genericSubstitution() * genericMultiplier))) {
            d = generics.get(rng.below(generics.size()));
        }
        cl.addDrug(d.cip13(), boxes);
        cl.quantity += boxes;
        cl.base += d.price() * boxes;
    }

    private void emitPharmacy(Claim cl, boolean ald, Patient p, Rng rng, ClaimWriter out) {
        cl.base = ClaimWriter.round(cl.base);
        cl.paid = ClaimWriter.round(cl.base * (ald ? 1.0 : 0.65));
        cl.count = 1;
        out.emit(cl, p, rng);
    }

    private Practitioner otherGp(Practitioner gp, Rng rng) {
        List<Practitioner> gps = dept.gps();
        if (gps.size() < 2) {
            return gp;
        }
        int k = rng.below(gps.size() - 1);
        return gps.get(k >= gp.rank() ? k + 1 : k);
    }

    // ---------------------------------------------------------------- sick leave

    private static final int OWN_GP = 0;
    private static final int OTHER_GP = 1;
    private static final int NOT_GP = 2;

    private void sickLeave(Patient p, Rng rng, ClaimWriter out) {
        SynthConfig.SickLeave s = c.sickLeave();
        if (p.age(monthYear[monthYear.length - 1]) < s.minAge() || p.age(monthYear[0]) > s.maxAge()) {
            return;
        }
        Practitioner gp = p.gp();
        int busyUntil = Integer.MIN_VALUE;
        int[] days = new int[8];
        int[] kinds = new int[8];
        for (int i = 0; i < monthStart.length; i++) {
            int d0 = monthStart[i];
            if (!p.alive(d0)) {
                break;
            }
            int age = p.age(monthYear[i]);
            if (age < s.minAge() || age > s.maxAge()) {
                continue;
            }
            boolean ald = p.hasAld(d0);
            double h = s.spellsPerYear() / 12 * p.frailty() * s.ageFactors().get(age < 25 ? 0 : Math.min(4, (age - 15) / 10))
                    * (p.sex() == Patient.FEMALE ? s.femaleFactor() : 1) * (ald ? s.aldFactor() : 1);
            double gpRate = h * s.gpShare() * gp.sickLeaveMultiplier();
            int m = i - burnIn;
            double circumvention = inMsap(gp, m) ? c.campaign().msapCircumvention() : 0;
            int own = rng.poisson(gpRate * (1 - circumvention) * (1 - campaignEffect(gp, m)));
            int diverted = circumvention > 0 ? rng.poisson(gpRate * circumvention) : 0;
            int other = rng.poisson(h * (1 - s.gpShare()));
            int n = Math.min(days.length, own + diverted + other);
            for (int k = 0; k < n; k++) {
                days[k] = d0 + rng.below(monthLength[i]);
                kinds[k] = k < own ? OWN_GP : k < own + diverted ? OTHER_GP : NOT_GP;
            }
            sortByDay(days, kinds, n);
            for (int k = 0; k < n; k++) {
                if (days[k] > busyUntil && p.alive(days[k])) {
                    busyUntil = spell(p, days[k], kinds[k], age, ald, rng, out);
                }
            }
        }
    }

    private static void sortByDay(int[] days, int[] kinds, int n) {
        for (int a = 1; a < n; a++) {
            for (int b = a; b > 0 && days[b] < days[b - 1]; b--) {
                int t = days[b]; days[b] = days[b - 1]; days[b - 1] = t;
                t = kinds[b]; kinds[b] = kinds[b - 1]; kinds[b - 1] = t;
            }
        }
    }

    /** Campaign effect on the GP's own notices in window month m: full from its own contact month, then fading to zero. */
    double campaignEffect(Practitioner gp, int m) {
        SynthConfig.Campaign k = c.campaign();
        int contact = c.campaignM0Index() + gp.contactOffset();
        if (gp.campaign() == null || !k.enabled() || m < contact) {
            return 0;
        }
        int since = m - contact;
        double full = k.effect(gp.campaign());
        if (since < k.fullEffectMonths()) {
            return full;
        }
        if (since >= k.fadeEndMonths()) {
            return 0;
        }
        return full * (k.fadeEndMonths() - since) / (double) (k.fadeEndMonths() - k.fullEffectMonths());
    }

    private boolean inMsap(Practitioner gp, int m) {
        SynthConfig.Campaign k = c.campaign();
        int contact = c.campaignM0Index() + gp.contactOffset();
        return gp.campaign() == CampaignAction.MSAP && k.enabled() && m >= contact && m < contact + k.msapMonths();
    }

    /** One spell from its first day; returns its last paid day (the patient is busy until then). */
    private int spell(Patient p, int day, int kind, int age, boolean ald, Rng rng, ClaimWriter out) {
        SynthConfig.SickLeave s = c.sickLeave();
        boolean work = rng.chance(s.workAccidentShare());
        // Sickness IJ start after a 3-day waiting period; work-accident IJ from the first day.
        int paidStart = day + (work ? 0 : 3);
        double longFactor = (age >= 55 ? s.longFactor55() : age >= 45 ? s.longFactor45() : 1) * (ald ? s.longFactorAld() : 1);
        double d = rng.chance(s.shortShare()) ? rng.logNormal(s.shortMedianDays(), s.shortSigma())
                : rng.logNormal(s.longMedianDays() * longFactor, s.longSigma());
        int duration = (int) Math.max(1, Math.min(s.maxDays(), Math.ceil(d)));
        duration = Math.min(duration, p.death() - paidStart);
        if (duration <= 0) {
            return day;
        }
        Practitioner initial = null;
        Utf8 hospital = null;
        if (kind == OWN_GP) {
            initial = p.gp();
        } else if (kind == OTHER_GP) {
            initial = otherGp(p.gp(), rng);
        } else if (rng.chance(s.specialistShare() / Math.max(1e-9, 1 - s.gpShare()))) {
            initial = dept.specialists().get(rng.below(dept.specialists().size()));
        } else {
            hospital = ids.hospitals[rng.below(dept.hospitals())];
        }
        double rate = p.dailyAllowance() * (work ? s.workAccidentRateFactor() : 1);
        boolean twoEmployers = rng.chance(c.mess().multiEmployerRate());
        double secondRate = rate * rng.uniform(0.3, 0.8);
        boolean revalued = rng.chance(c.mess().revaluationRate());
        int insurance = work ? ASU_WORK_ACCIDENT : ASU_SICKNESS;

        int cur = paidStart;
        int paidSoFar = 0;
        int remaining = duration;
        boolean first = true;
        Practitioner prescriber = initial;
        Utf8 prescribingHospital = hospital;
        while (remaining > 0) {
            int segment = Math.min(remaining, first ? rng.between(3, 21) : rng.between(14, 60));
            int segEnd = cur + segment - 1;
            // The segment is paid in periods of 2 to 4 weeks; the nature changes after 3 months.
            int a = cur;
            while (a <= segEnd) {
                int b = Math.min(segEnd, a + rng.between(14, 31) - 1);
                int dayInSpell = paidSoFar + (a - cur);
                if (dayInSpell < IJ_NORMAL_DAYS && dayInSpell + (b - a) >= IJ_NORMAL_DAYS) {
                    b = a + (IJ_NORMAL_DAYS - dayInSpell) - 1;
                }
                if (b > windowEnd) {
                    return segEnd; // not paid yet at the end of the window
                }
                if (b >= windowStart) {
                    int nature = dayInSpell < IJ_NORMAL_DAYS ? IJ_NORMAL : IJ_NORMAL_BEYOND_3_MONTHS;
                    payIj(p, nature, a, b, rate, insurance, prescriber, prescribingHospital, twoEmployers, secondRate,
                            revalued, rng, out);
                }
                a = b + 1;
            }
            paidSoFar += segment;
            remaining -= segment;
            cur = segEnd + 1;
            first = false;
            if (remaining > 0 && rng.chance(s.gapProbability())) {
                cur += rng.between(1, 3); // short unpaid gap between two notices
            }
            if (rng.chance(s.otherExtensionShare())) {
                // Extension by someone else: the GP after a hospital/specialist notice, else a specialist.
                if (initial == null || !initial.gp()) {
                    prescriber = p.gp();
                    prescribingHospital = null;
                } else {
                    prescriber = dept.specialists().get(rng.below(dept.specialists().size()));
                }
            } else {
                prescriber = initial;
                prescribingHospital = hospital;
            }
        }
        return cur - 1;
    }

    private void payIj(Patient p, int nature, int a, int b, double rate, int insurance, Practitioner prescriber,
                       Utf8 hospital, boolean twoEmployers, double secondRate, boolean revalued, Rng rng,
                       ClaimWriter out) {
        int days = b - a + 1;
        Claim cl = ijLine(nature, a, b, days, insurance, prescriber, hospital);
        cl.base = ClaimWriter.round(days * rate);
        cl.paid = cl.base;
        out.emit(cl, p, rng);
        if (twoEmployers) {
            // Second employer: same days paid again; the count is on the first line only.
            cl = ijLine(nature, a, b, days, insurance, prescriber, hospital);
            cl.count = 0;
            cl.base = ClaimWriter.round(days * secondRate);
            cl.paid = cl.base;
            out.emit(cl, p, rng);
        }
        if (revalued) {
            cl = ijLine(nature, a, b, days, insurance, prescriber, hospital);
            cl.count = 0;
            cl.revaluation = REVALUATION;
            cl.base = ClaimWriter.round(days * 0.5);
            cl.paid = cl.base;
            cl.minLagMonths = rng.between(2, 6);
            out.emit(cl, p, rng);
        }
    }

    private Claim ijLine(int nature, int a, int b, int days, int insurance, Practitioner prescriber, Utf8 hospital) {
        Claim cl = claim.reset(nature, a, b);
        cl.insurance = insurance;
        cl.quantity = days;
        cl.count = days;
        if (prescriber != null) {
            cl.prescriber = ids.of(prescriber);
            cl.prescriberSpecialty = prescriber.specialty();
        }
        cl.hospital = hospital;
        return cl;
    }

    // ---------------------------------------------------------------- maternity

    private void maternity(Patient p, Rng rng, ClaimWriter out) {
        SynthConfig.Maternity mt = c.maternity();
        int busyUntil = Integer.MIN_VALUE;
        for (int i = 0; i < monthStart.length; i++) {
            int d0 = monthStart[i];
            int age = p.age(monthYear[i]);
            if (!p.alive(d0) || age < mt.minAge() || age > mt.maxAge() || d0 <= busyUntil
                    || !rng.chance(mt.leavesPerYear() / 12)) {
                continue;
            }
            int start = d0 + rng.below(monthLength[i]);
            Practitioner prescriber = !gynaecologists.isEmpty() && rng.chance(0.5)
                    ? gynaecologists.get(rng.below(gynaecologists.size())) : p.gp();
            int end = start + mt.paidDays() - 1;
            double rate = p.dailyAllowance() * 1.1;
            for (int a = start; a <= end; ) {
                int b = Math.min(end, a + rng.between(14, 31) - 1);
                if (a - start < PRENATAL_DAYS && b - start >= PRENATAL_DAYS) {
                    b = start + PRENATAL_DAYS - 1;
                }
                if (b > windowEnd) {
                    break;
                }
                if (b >= windowStart) {
                    Claim cl = ijLine(a - start < PRENATAL_DAYS ? IJ_MATERNITY : IJ_MATERNITY_EXTENDED, a, b, b - a + 1,
                            ASU_MATERNITY, prescriber, null);
                    cl.base = ClaimWriter.round((b - a + 1) * rate);
                    cl.paid = cl.base;
                    out.emit(cl, p, rng);
                }
                a = b + 1;
            }
            busyUntil = end + 365;
        }
    }
}
