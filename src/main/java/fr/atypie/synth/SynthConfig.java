package fr.atypie.synth;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.time.YearMonth;
import java.util.List;

/**
 * Settings of the synthetic extract generator, section {@code atypie.synth} (conf/synth.conf,
 * where every key is commented). Validated once: ranges, list lengths and shares that must sum
 * below one are checked here so that the generator never meets a nonsensical rate.
 */
public record SynthConfig(long seed, double scale, int months, YearMonth firstMonth, int extraFluxMonths,
                          int threads, int rowGroupMib, String region, List<Department> departments,
                          Population population, Practitioners practitioners, Care care, Pharmacy pharmacy,
                          Transports transports, SickLeave sickLeave, Maternity maternity, Mess mess,
                          Truth truth, Campaign campaign, Procedure procedure) {

    /** Number of age bands of the pyramid; every per-band list has this length. */
    public static final int AGE_BANDS = 10;

    public record Department(String code, String name, long population, int gps) {
        static Department from(Section s) {
            String code = s.name();
            if (!code.matches("\\d[\\dAB]")) {
                throw new ConfigError(s.key("") + " : department code '" + code + "' is not a 2-character code like 34 or 2A");
            }
            return new Department(code, s.string("name"), s.longInt("population", 1, 20_000_000),
                    s.integer("gps", 1, 100_000));
        }

        /** BEN_RES_DPT form: 3 characters, e.g. "034". */
        public String residenceCode() {
            return "0" + code;
        }

        /** CAI_NUM: the department's fund (CPAM), e.g. "341". */
        public String fundCode() {
            return code + "1";
        }
    }

    public record Population(List<Integer> ageBandStarts, List<Double> ageBandWeights, int oldestAge,
                             double femaleShare, List<Double> aldPrevalenceByBand, double aldIncidentShare,
                             List<Double> aldCauseWeights, List<Double> mortalityByBand) {
        static Population from(Section s) {
            return new Population(bands(s, s.integers("age-band-starts")), weights(s, "age-band-weights", AGE_BANDS),
                    s.integer("oldest-age", 85, 110), s.number("female-share", 0, 1),
                    probabilities(s, "ald-prevalence-by-band", AGE_BANDS), s.number("ald-incident-share", 0, 1),
                    weights(s, "ald-cause-weights", AldCause.values().length),
                    probabilities(s, "mortality-by-band", AGE_BANDS));
        }

        private static List<Integer> bands(Section s, List<Integer> starts) {
            if (starts.size() != AGE_BANDS || starts.get(0) != 0) {
                throw new ConfigError(s.key("age-band-starts") + " must list " + AGE_BANDS + " band starts beginning at 0");
            }
            for (int i = 1; i < starts.size(); i++) {
                if (starts.get(i) <= starts.get(i - 1)) {
                    throw new ConfigError(s.key("age-band-starts") + " must increase");
                }
            }
            return starts;
        }
    }

    public record Practitioners(double specialistsPerGp, List<Integer> specialistCodes, List<Double> specialistWeights,
                                List<Integer> gpCodes, List<Double> gpWeights, double practiceSizeSigma,
                                int peoplePerPharmacy, int peoplePerTransporter) {
        static Practitioners from(Section s) {
            List<Integer> spe = s.integers("specialist-codes");
            List<Integer> gp = s.integers("gp-codes");
            // Which codes are general practice is atypie.dcir.codes.general-practice: checked when the
            // configuration is assembled (AtypieConfig), the two sections together.
            if (spe.isEmpty()) {
                throw new ConfigError(s.key("specialist-codes") + " must not be empty");
            }
            if (gp.isEmpty()) {
                throw new ConfigError(s.key("gp-codes") + " must not be empty");
            }
            return new Practitioners(s.number("specialists-per-gp", 0, 10), spe, weights(s, "specialist-weights", spe.size()),
                    gp, weights(s, "gp-weights", gp.size()), s.number("practice-size-sigma", 0, 2),
                    s.integer("people-per-pharmacy", 100, 1_000_000), s.integer("people-per-transporter", 100, 10_000_000));
        }
    }

    public record Care(double gpConsultationsPerYear, List<Double> consultationAgeFactor, double consultationAldFactor,
                       double visitShare, double visitShareElderly, double cShare, double otherGpShare,
                       double specialistConsultationsPerYear, double winterAmplitude, List<Double> fees,
                       double reimbursementRate) {
        static Care from(Section s) {
            List<Double> fees = s.numbers("fees");
            if (fees.size() != 4 || fees.stream().anyMatch(f -> f <= 0)) {
                throw new ConfigError(s.key("fees") + " must list 4 positive fees: G, C, CS, VG");
            }
            return new Care(s.number("gp-consultations-per-year", 0, 50), factors(s, "consultation-age-factor", AGE_BANDS),
                    s.number("consultation-ald-factor", 0, 10), s.number("visit-share", 0, 1),
                    s.number("visit-share-elderly", 0, 1), s.number("c-share", 0, 1), s.number("other-gp-share", 0, 1),
                    s.number("specialist-consultations-per-year", 0, 50), s.number("winter-amplitude", 0, 0.9),
                    fees, s.number("reimbursement-rate", 0, 1));
        }
    }

    public record Pharmacy(double acuteClaimProbability, double antibioticProbability, double antibioticWinterAmplitude,
                           double chronicRefillProbability, double elderlyBenzodiazepineRate,
                           double adultBenzodiazepineRate, double genericSubstitution,
                           double hospitalMonthlyProbability, double hospitalMonthlyProbabilityAld) {
        static Pharmacy from(Section s) {
            return new Pharmacy(s.number("acute-claim-probability", 0, 1), s.number("antibiotic-probability", 0, 1),
                    s.number("antibiotic-winter-amplitude", 0, 0.9), s.number("chronic-refill-probability", 0, 1),
                    s.number("elderly-benzodiazepine-rate", 0, 0.3), s.number("adult-benzodiazepine-rate", 0, 0.3),
                    s.number("generic-substitution", 0, 1), s.number("hospital-monthly-probability", 0, 1),
                    s.number("hospital-monthly-probability-ald", 0, 1));
        }
    }

    public record Transports(double monthlyProbability, double monthlyProbabilityElderly, double aldFactor,
                             List<Double> typeWeights, List<Double> amounts, double hospitalShare) {
        static Transports from(Section s) {
            List<Double> amounts = s.numbers("amounts");
            if (amounts.size() != 3) {
                throw new ConfigError(s.key("amounts") + " must list 3 amounts: ambulance, VSL, taxi");
            }
            return new Transports(s.number("monthly-probability", 0, 1), s.number("monthly-probability-elderly", 0, 1),
                    s.number("ald-factor", 0, 20), weights(s, "type-weights", 3), amounts, s.number("hospital-share", 0, 1));
        }
    }

    public record SickLeave(int minAge, int maxAge, double spellsPerYear, double frailtyShape, List<Double> ageFactors,
                            double femaleFactor, double aldFactor, double shortShare, double shortMedianDays,
                            double shortSigma, double longMedianDays, double longSigma, int maxDays,
                            double longFactor45, double longFactor55, double longFactorAld, double gpShare,
                            double specialistShare, double otherExtensionShare, double workAccidentShare,
                            double workAccidentRateFactor, double dailyMin, double dailyMax, double gapProbability,
                            int burnInMonths) {
        static SickLeave from(Section s) {
            SickLeave sl = new SickLeave(s.integer("min-age", 14, 30), s.integer("max-age", 55, 70),
                    s.number("spells-per-year", 0, 5), s.number("frailty-shape", 0.05, 100), factors(s, "age-factors", 5),
                    s.number("female-factor", 0, 10), s.number("ald-factor", 0, 10), s.number("short-share", 0, 1),
                    s.number("short-median-days", 1, 60), s.number("short-sigma", 0, 3),
                    s.number("long-median-days", 1, 720), s.number("long-sigma", 0, 3), s.integer("max-days", 30, 1500),
                    s.number("long-factor-45", 0.1, 10), s.number("long-factor-55", 0.1, 10),
                    s.number("long-factor-ald", 0.1, 10), s.number("gp-share", 0, 1), s.number("specialist-share", 0, 1),
                    s.number("other-extension-share", 0, 1), s.number("work-accident-share", 0, 1),
                    s.number("work-accident-rate-factor", 0.1, 5), s.number("daily-min", 1, 500),
                    s.number("daily-max", 1, 500), s.number("gap-probability", 0, 1), s.integer("burn-in-months", 0, 36));
            if (sl.gpShare + sl.specialistShare > 1) {
                throw new ConfigError(s.key("gp-share") + " + " + s.key("specialist-share") + " must not exceed 1");
            }
            if (sl.dailyMax < sl.dailyMin) {
                throw new ConfigError(s.key("daily-max") + " must be >= " + s.key("daily-min"));
            }
            return sl;
        }
    }

    public record Maternity(double leavesPerYear, int minAge, int maxAge, int paidDays) {
        static Maternity from(Section s) {
            return new Maternity(s.number("leaves-per-year", 0, 1), s.integer("min-age", 12, 50),
                    s.integer("max-age", 12, 55), s.integer("paid-days", 1, 400));
        }
    }

    public record Mess(double sameFluxShare, double withinSixShare, int maxLagMonths, double regularisationRate,
                       double multiEmployerRate, double revaluationRate, double informationOnlyRate,
                       double majorationRate, double otherLinesPerClaim) {
        static Mess from(Section s) {
            Mess m = new Mess(s.number("same-flux-share", 0, 1), s.number("within-six-share", 0, 1),
                    s.integer("max-lag-months", 7, 36), s.number("regularisation-rate", 0, 0.5),
                    s.number("multi-employer-rate", 0, 1), s.number("revaluation-rate", 0, 1),
                    s.number("information-only-rate", 0, 1), s.number("majoration-rate", 0, 1),
                    s.number("other-lines-per-claim", 0, 20));
            if (m.sameFluxShare + m.withinSixShare > 1) {
                throw new ConfigError(s.key("same-flux-share") + " + " + s.key("within-six-share") + " must not exceed 1");
            }
            return m;
        }
    }

    public record Truth(double strongShare, double strongMin, double strongMax, double moderateShare,
                        double moderateMin, double moderateMax, double casemixShare, double casemixAgeFactor,
                        double casemixAldFactor, double casemixWorkingAgeFactor, double smallShare,
                        int smallMinPatients, int smallMaxPatients, double antibioticShare, double antibioticMin,
                        double antibioticMax, double benzodiazepineShare, double benzodiazepineMin,
                        double benzodiazepineMax, double lowGenericShare, double lowGenericMin, double lowGenericMax) {
        static Truth from(Section s) {
            Truth t = new Truth(s.number("strong-share", 0, 1), s.number("strong-min", 1, 20), s.number("strong-max", 1, 20),
                    s.number("moderate-share", 0, 1), s.number("moderate-min", 1, 20), s.number("moderate-max", 1, 20),
                    s.number("casemix-share", 0, 1), s.number("casemix-age-factor", 1, 20),
                    s.number("casemix-ald-factor", 1, 20), s.number("casemix-working-age-factor", 1, 20),
                    s.number("small-share", 0, 1), s.integer("small-min-patients", 1, 10_000),
                    s.integer("small-max-patients", 1, 10_000), s.number("antibiotic-share", 0, 1),
                    s.number("antibiotic-min", 1, 20), s.number("antibiotic-max", 1, 20),
                    s.number("benzodiazepine-share", 0, 1), s.number("benzodiazepine-min", 1, 20),
                    s.number("benzodiazepine-max", 1, 20), s.number("low-generic-share", 0, 1),
                    s.number("low-generic-min", 0, 1), s.number("low-generic-max", 0, 1));
            if (t.strongShare + t.moderateShare + t.casemixShare + t.smallShare > 1) {
                throw new ConfigError(s.key("strong-share") + " + moderate + casemix + small shares must not exceed 1");
            }
            if (t.strongMax < t.strongMin || t.moderateMax < t.moderateMin || t.antibioticMax < t.antibioticMin
                    || t.benzodiazepineMax < t.benzodiazepineMin || t.lowGenericMax < t.lowGenericMin
                    || t.smallMaxPatients < t.smallMinPatients) {
                throw new ConfigError(s.key("") + " : every *-max must be >= its *-min");
            }
            return t;
        }
    }

    public record Campaign(boolean enabled, double m0Position, double strongContactShare, double moderateContactShare,
                           double otherContactShare, double effectDam, double effectEc, double effectMso,
                           double effectMsap, int fullEffectMonths, int fadeEndMonths, int msapMonths,
                           double msapCircumvention, int spreadMonths) {
        static Campaign from(Section s) {
            Campaign c = new Campaign(s.bool("enabled"), s.number("m0-position", 0, 0.99),
                    s.number("strong-contact-share", 0, 1), s.number("moderate-contact-share", 0, 1),
                    s.number("other-contact-share", 0, 1), s.number("effect-dam", 0, 1), s.number("effect-ec", 0, 1),
                    s.number("effect-mso", 0, 1), s.number("effect-msap", 0, 1), s.integer("full-effect-months", 0, 36),
                    s.integer("fade-end-months", 0, 48), s.integer("msap-months", 0, 24),
                    s.number("msap-circumvention", 0, 1), s.integer("spread-months", 1, 24));
            if (c.fadeEndMonths < c.fullEffectMonths) {
                throw new ConfigError(s.key("fade-end-months") + " must be >= " + s.key("full-effect-months"));
            }
            return c;
        }

        public double effect(CampaignAction action) {
            return switch (action) {
                case DAM -> effectDam;
                case EC -> effectEc;
                case MSO -> effectMso;
                case MSAP -> effectMsap;
            };
        }
    }

    /**
     * A planted multi-month procedure (art. L162-1-15, issue 16): the ordinary GP with the largest
     * practice, made atypical on sick leave for the whole window (it never improves), with a DAM
     * visit then an EC recorded in {@code truth/contacts.csv}, the contact store's format.
     *
     * @param damMonth month index (0 = first-month) of the DAM visit
     */
    public record Procedure(boolean enabled, double sickLeaveMultiplier, int damMonth, int ecAfterDamMonths) {
        static Procedure from(Section s, int months) {
            Procedure p = new Procedure(s.bool("enabled"), s.number("sick-leave-multiplier", 1, 20),
                    s.integer("dam-month", 0, 119), s.integer("ec-after-dam-months", 1, 24));
            if (p.enabled && p.damMonth + p.ecAfterDamMonths >= months) {
                throw new ConfigError(s.key("dam-month") + " + " + s.key("ec-after-dam-months")
                        + " must fall inside the " + months + " generated months");
            }
            return p;
        }
    }

    public static SynthConfig from(Section s) {
        List<Department> departments = s.map("departments", Department::from).values().stream().toList();
        if (departments.isEmpty()) {
            throw new ConfigError(s.key("departments") + " must list at least one department");
        }
        SynthConfig c = new SynthConfig(s.longInt("seed", Long.MIN_VALUE, Long.MAX_VALUE), s.number("scale", 1e-5, 10),
                s.integer("months", 1, 120), s.month("first-month"), s.integer("extra-flux-months", 0, 24),
                s.integer("threads", 1, 64), s.integer("row-group-mib", 1, 512), s.string("region"), departments,
                Population.from(s.child("population")), Practitioners.from(s.child("practitioners")),
                Care.from(s.child("care")), Pharmacy.from(s.child("pharmacy")), Transports.from(s.child("transports")),
                SickLeave.from(s.child("sick-leave")), Maternity.from(s.child("maternity")), Mess.from(s.child("mess")),
                Truth.from(s.child("truth")), Campaign.from(s.child("campaign")),
                Procedure.from(s.child("procedure"), s.integer("months", 1, 120)));
        return c;
    }

    /** Month index (0 = first month) of the campaign's M0. */
    public int campaignM0Index() {
        return (int) Math.floor(months * campaign.m0Position);
    }

    /** The campaign's M0. */
    public YearMonth campaignM0() {
        return firstMonth.plusMonths(campaignM0Index());
    }

    /** Month of the planted procedure's DAM visit. */
    public YearMonth procedureDamMonth() {
        return firstMonth.plusMonths(procedure.damMonth());
    }

    /** Month of the planted procedure's EC. */
    public YearMonth procedureEcMonth() {
        return procedureDamMonth().plusMonths(procedure.ecAfterDamMonths());
    }

    /** Last care month of the window. */
    public YearMonth lastMonth() {
        return firstMonth.plusMonths(months - 1L);
    }

    /** Last flux month written to the extract. */
    public YearMonth lastFluxMonth() {
        return lastMonth().plusMonths(extraFluxMonths);
    }

    public int fluxMonths() {
        return months + extraFluxMonths;
    }

    private static List<Double> weights(Section s, String key, int size) {
        List<Double> w = s.numbers(key);
        if (w.size() != size) {
            throw new ConfigError(s.key(key) + " must list " + size + " values, got " + w.size());
        }
        if (w.stream().anyMatch(x -> x < 0) || w.stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new ConfigError(s.key(key) + " must be non-negative weights with a positive sum");
        }
        return w;
    }

    private static List<Double> probabilities(Section s, String key, int size) {
        List<Double> p = weights(s, key, size);
        if (p.stream().anyMatch(x -> x > 1)) {
            throw new ConfigError(s.key(key) + " must be probabilities in [0, 1]");
        }
        return p;
    }

    private static List<Double> factors(Section s, String key, int size) {
        return weights(s, key, size);
    }
}
