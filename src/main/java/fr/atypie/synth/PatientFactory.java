package fr.atypie.synth;

import fr.atypie.synth.DrugCatalogue.Molecule;
import fr.atypie.synth.DrugCatalogue.Use;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a beneficiary of a GP's practice: age from the French pyramid (bent for case-mix GPs),
 * sex, ALD by age (cause, ICD-10, period), death, and the chronic treatments the GP renews
 * (where the planted benzodiazepine behaviour acts).
 */
final class PatientFactory {
    private static final String NIR_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int MAX_CHRONIC = 4;

    private final SynthConfig c;
    private final DrugCatalogue drugs;
    private final int windowStart;
    private final int windowEnd;
    private final int startYear;

    PatientFactory(SynthConfig c, DrugCatalogue drugs) {
        this.c = c;
        this.drugs = drugs;
        this.windowStart = (int) c.firstMonth().atDay(1).toEpochDay();
        this.windowEnd = (int) c.lastMonth().atEndOfMonth().toEpochDay();
        this.startYear = c.firstMonth().getYear();
    }

    Patient create(Rng rng, int deptIndex, long index, Practitioner gp, int pharmacies, int transporters) {
        SynthConfig.Population pop = c.population();
        int band = rng.weighted(bandWeights(gp));
        int lo = pop.ageBandStarts().get(band);
        int hi = band + 1 < SynthConfig.AGE_BANDS ? pop.ageBandStarts().get(band + 1) - 1 : pop.oldestAge();
        int age = rng.between(lo, hi);
        int sex = rng.chance(pop.femaleShare()) ? Patient.FEMALE : Patient.MALE;

        double aldP = pop.aldPrevalenceByBand().get(band);
        if (gp.casemix() == Practitioner.Casemix.ALD_HEAVY) {
            aldP = Math.min(0.95, aldP * c.truth().casemixAldFactor());
        }
        AldCause cause = null;
        int aldStart = Integer.MAX_VALUE, aldEnd = Integer.MIN_VALUE;
        if (rng.chance(aldP)) {
            cause = AldCause.values()[rng.weighted(pop.aldCauseWeights())];
            aldStart = rng.chance(pop.aldIncidentShare()) ? rng.between(windowStart, windowEnd)
                    : windowStart - rng.between(1, 3650);
            aldEnd = aldStart + (rng.chance(0.5) ? 5 : 10) * 365;
            if (aldEnd <= windowEnd) {
                aldEnd = windowEnd + rng.between(1, 1825);
            }
        }
        double yearly = pop.mortalityByBand().get(band) * (cause != null ? 2 : 1);
        double pDeath = 1 - Math.pow(1 - Math.min(1, yearly), c.months() / 12.0);
        int death = rng.chance(pDeath) ? rng.between(windowStart, windowEnd) : Integer.MAX_VALUE;
        double frailty = rng.frailty(c.sickLeave().frailtyShape());
        double daily = Math.round(rng.uniform(c.sickLeave().dailyMin(), c.sickLeave().dailyMax()) * 100) / 100.0;
        List<Molecule> chronic = chronic(rng, age, sex, cause, gp);
        return new Patient(nir(c.seed(), deptIndex, index), startYear - age, sex, age, cause, aldStart, aldEnd, death,
                frailty, daily, chronic, gp, rng.below(pharmacies), rng.below(transporters));
    }

    private double[] bandWeights(Practitioner gp) {
        List<Double> base = c.population().ageBandWeights();
        double[] w = new double[base.size()];
        for (int i = 0; i < w.length; i++) {
            int start = c.population().ageBandStarts().get(i);
            w[i] = base.get(i);
            if (gp.casemix() == Practitioner.Casemix.OLDER && start >= 65) {
                w[i] *= c.truth().casemixAgeFactor();
            } else if (gp.casemix() == Practitioner.Casemix.WORKING_AGE && start >= 15 && start < 65) {
                w[i] *= c.truth().casemixWorkingAgeFactor();
            }
        }
        return w;
    }

    /** Treatments renewed monthly by the GP, by age, sex and ALD cause (at most 4 molecules). */
    private List<Molecule> chronic(Rng rng, int age, int sex, AldCause cause, Practitioner gp) {
        SynthConfig.Pharmacy ph = c.pharmacy();
        List<Molecule> out = new ArrayList<>();
        boolean cardio = cause == AldCause.CARDIOVASCULAR;
        boolean diabetes = cause == AldCause.DIABETES;
        double ageTier = age < 45 ? 0 : age < 65 ? 1 : 2;
        add(rng, out, Use.STATIN, (ageTier == 0 ? 0.01 : ageTier == 1 ? 0.10 : 0.25) * (cardio || diabetes ? 2 : 1));
        add(rng, out, Use.METFORMIN, diabetes ? 0.8 : age >= 45 ? 0.03 : 0);
        add(rng, out, Use.ANTIHYPERTENSIVE, ageTier == 0 ? 0.02 : ageTier == 1 ? 0.18 : 0.45);
        add(rng, out, Use.ANTIPLATELET, cardio ? 0.6 : age >= 65 ? 0.08 : 0);
        add(rng, out, Use.ANTICOAGULANT, cardio ? 0.2 : 0);
        add(rng, out, Use.ANTIDEPRESSANT, cause == AldCause.PSYCHIATRIC ? 0.7 : age >= 18 ? 0.03 : 0);
        add(rng, out, Use.THYROID, age < 18 ? 0 : sex == Patient.FEMALE ? 0.06 : 0.01);
        add(rng, out, Use.PPI, ageTier == 0 ? 0.01 : ageTier == 1 ? 0.05 : 0.12);
        if (age >= 65) {
            // Long-acting benzodiazepines in the elderly: the planted iatrogenic theme.
            add(rng, out, Use.LONG_BENZODIAZEPINE, Math.min(0.9, ph.elderlyBenzodiazepineRate() * gp.benzodiazepineMultiplier()));
        } else if (age >= 18) {
            add(rng, out, Use.OTHER_ANXIOLYTIC, ph.adultBenzodiazepineRate());
        }
        add(rng, out, Use.OPIOID, age >= 30 ? 0.015 : 0);
        return out.size() > MAX_CHRONIC ? List.copyOf(out.subList(0, MAX_CHRONIC)) : List.copyOf(out);
    }

    private void add(Rng rng, List<Molecule> out, Use use, double p) {
        if (p > 0 && rng.chance(p)) {
            List<Molecule> ms = drugs.molecules(use);
            out.add(ms.get(rng.below(ms.size())));
        }
    }

    /** BEN_NIR_PSA: a 17-character pseudonym, a hash of (seed, department, patient rank). */
    static String nir(long seed, int dept, long index) {
        long a = Rng.mix(seed * 31 + 0x5DEECE66DL + dept * 0x100000001B3L + index * 0xC2B2AE3D27D4EB4FL);
        long b = Rng.mix(a ^ (index + 0x632BE59BD9B4E019L));
        char[] s = new char[17];
        for (int i = 0; i < 17; i++) {
            long src = i < 9 ? a : b;
            int shift = (i % 9) * 7;
            s[i] = NIR_ALPHABET.charAt((int) Long.remainderUnsigned(src >>> shift, NIR_ALPHABET.length()));
        }
        return new String(s);
    }
}
