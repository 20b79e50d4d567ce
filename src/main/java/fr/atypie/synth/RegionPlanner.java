package fr.atypie.synth;

import fr.atypie.synth.Practitioner.Casemix;
import fr.atypie.synth.RegionPlan.DepartmentPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link RegionPlan}: practitioners per department (counts times scale), planted
 * tiers with exact counts (rounded share of the region's GPs, drawn by a seeded shuffle),
 * practice sizes, and the contacts of the optional campaign.
 */
final class RegionPlanner {
    private static final long KIND_PLAN = 1;

    private RegionPlanner() {}

    static RegionPlan plan(SynthConfig c) {
        List<DepartmentPlan> depts = new ArrayList<>();
        for (int i = 0; i < c.departments().size(); i++) {
            depts.add(practitioners(c, i, c.departments().get(i)));
        }
        Map<String, Practitioner> gps = new HashMap<>();
        List<Practitioner> order = new ArrayList<>();
        for (DepartmentPlan d : depts) {
            for (Practitioner p : d.gps()) {
                gps.put(p.id(), p);
                order.add(p);
            }
        }
        assignTiers(c, depts, gps, order);
        assignDrugThemes(c, gps, order);
        if (c.campaign().enabled()) {
            assignCampaign(c, gps, order);
        }
        List<DepartmentPlan> out = new ArrayList<>();
        for (DepartmentPlan d : depts) {
            List<Practitioner> sized = practiceSizes(c, d, d.gps().stream().map(p -> gps.get(p.id())).toList());
            out.add(new DepartmentPlan(d.index(), d.department(), d.population(), sized, d.specialists(),
                    d.pharmacies(), d.transporters(), d.hospitals()));
        }
        return c.procedure().enabled() ? plantProcedure(c, out) : new RegionPlan(List.copyOf(out), Optional.empty());
    }

    /**
     * The planted procedure's GP: the ordinary GP (normal tier, no drug theme, not contacted by the
     * campaign) with the largest practice, lowest id on a tie. Chosen after the practice sizes (they
     * do not depend on it) because the legal criterion compares counts: a large practice at three
     * times the norm stands out of its peers from the first window on, so the criterion persists.
     */
    private static RegionPlan plantProcedure(SynthConfig c, List<DepartmentPlan> depts) {
        Practitioner chosen = depts.stream().flatMap(d -> d.gps().stream())
                .filter(p -> p.tier() == Tier.NORMAL && p.campaign() == null && p.antibioticMultiplier() == 1
                        && p.benzodiazepineMultiplier() == 1 && p.genericMultiplier() == 1)
                .min(Comparator.comparingInt(Practitioner::patients).reversed().thenComparing(Practitioner::id))
                .orElseThrow(() -> new IllegalArgumentException(
                        "atypie.synth.procedure: no ordinary GP left to plant the procedure on (scale too small?)"));
        List<DepartmentPlan> out = new ArrayList<>();
        for (DepartmentPlan d : depts) {
            List<Practitioner> gps = d.gps().stream().map(p -> p.id().equals(chosen.id())
                    ? p.withTier(Tier.STRONG, null, c.procedure().sickLeaveMultiplier()) : p).toList();
            out.add(new DepartmentPlan(d.index(), d.department(), d.population(), gps, d.specialists(),
                    d.pharmacies(), d.transporters(), d.hospitals()));
        }
        return new RegionPlan(List.copyOf(out), Optional.of(chosen.id()));
    }

    private static DepartmentPlan practitioners(SynthConfig c, int index, SynthConfig.Department dept) {
        Rng rng = Rng.of(c.seed(), KIND_PLAN, index, 0);
        long population = Math.max(1, Math.round(dept.population() * c.scale()));
        int nGps = (int) Math.max(1, Math.round(dept.gps() * c.scale()));
        int nSpecialists = (int) Math.max(1, Math.round(dept.gps() * c.scale() * c.practitioners().specialistsPerGp()));
        List<Practitioner> gps = new ArrayList<>();
        for (int i = 0; i < nGps; i++) {
            int spe = c.practitioners().gpCodes().get(rng.weighted(c.practitioners().gpWeights()));
            gps.add(new Practitioner(id(dept, 1, i), index, spe, true, i, postalCode(dept, i), 0, 0, Tier.NORMAL,
                    null, 1, 1, 1, 1, null, 0));
        }
        List<Practitioner> specialists = new ArrayList<>();
        for (int i = 0; i < nSpecialists; i++) {
            int spe = c.practitioners().specialistCodes().get(rng.weighted(c.practitioners().specialistWeights()));
            specialists.add(new Practitioner(id(dept, 2, i), index, spe, false, i, postalCode(dept, i), 0, 0,
                    Tier.NORMAL, null, 1, 1, 1, 1, null, 0));
        }
        int pharmacies = (int) Math.max(1, population / c.practitioners().peoplePerPharmacy());
        int transporters = (int) Math.max(1, population / c.practitioners().peoplePerTransporter());
        int hospitals = (int) Math.max(1, Math.min(9, population / 150_000 + 1));
        return new DepartmentPlan(index, dept, population, gps, List.copyOf(specialists), pharmacies, transporters,
                hospitals);
    }

    private static String id(SynthConfig.Department d, int kind, int rank) {
        return d.code() + kind + String.format("%05d", rank + 1);
    }

    private static String postalCode(SynthConfig.Department d, int rank) {
        return d.code() + String.format("%03d", (rank * 10) % 1000);
    }

    private static int count(double share, int total) {
        return (int) Math.round(share * total);
    }

    private static void assignTiers(SynthConfig c, List<DepartmentPlan> depts, Map<String, Practitioner> gps,
                                    List<Practitioner> order) {
        SynthConfig.Truth t = c.truth();
        Rng rng = Rng.of(c.seed(), KIND_PLAN, -1, 1);
        List<Practitioner> pool = new ArrayList<>(order);
        rng.shuffle(pool);
        int n = order.size();
        int strong = count(t.strongShare(), n), moderate = count(t.moderateShare(), n);
        int casemix = count(t.casemixShare(), n), small = count(t.smallShare(), n);
        int k = 0;
        for (; k < Math.min(strong, n); k++) {
            Practitioner p = pool.get(k);
            gps.put(p.id(), p.withTier(Tier.STRONG, null, rng.uniform(t.strongMin(), t.strongMax())));
        }
        for (; k < Math.min(strong + moderate, n); k++) {
            Practitioner p = pool.get(k);
            gps.put(p.id(), p.withTier(Tier.MODERATE, null, rng.uniform(t.moderateMin(), t.moderateMax())));
        }
        for (int j = 0; k < Math.min(strong + moderate + casemix, n); k++, j++) {
            // The three variants in turn, so each gets a third of the case-mix GPs.
            Practitioner p = pool.get(k);
            gps.put(p.id(), p.withTier(Tier.CASEMIX, Casemix.values()[j % 3], 1));
        }
        // Small practices only where the department keeps at least as many ordinary practices.
        Map<Integer, Integer> smallPerDept = new HashMap<>();
        int placed = 0;
        for (; k < n && placed < small; k++) {
            Practitioner p = pool.get(k);
            int deptGps = depts.get(p.department()).gps().size();
            int already = smallPerDept.getOrDefault(p.department(), 0);
            if (deptGps >= 3 && already + 1 <= deptGps / 2) {
                gps.put(p.id(), p.withTier(Tier.SMALL, null, 1));
                smallPerDept.merge(p.department(), 1, Integer::sum);
                placed++;
            }
        }
    }

    private static void assignDrugThemes(SynthConfig c, Map<String, Practitioner> gps, List<Practitioner> order) {
        SynthConfig.Truth t = c.truth();
        int n = order.size();
        // Drug themes go to GPs whose patients and size are ordinary, so that case-mix and small
        // practices stay pure "must not be flagged" controls.
        List<Practitioner> eligible = order.stream()
                .filter(p -> gps.get(p.id()).tier() != Tier.CASEMIX && gps.get(p.id()).tier() != Tier.SMALL).toList();
        String[] themes = {"antibiotic", "benzodiazepine", "generic"};
        for (int theme = 0; theme < 3; theme++) {
            Rng rng = Rng.of(c.seed(), KIND_PLAN, -2, theme);
            List<Practitioner> pool = new ArrayList<>(eligible);
            rng.shuffle(pool);
            int count = switch (themes[theme]) {
                case "antibiotic" -> count(t.antibioticShare(), n);
                case "benzodiazepine" -> count(t.benzodiazepineShare(), n);
                default -> count(t.lowGenericShare(), n);
            };
            for (int k = 0; k < Math.min(count, pool.size()); k++) {
                Practitioner p = gps.get(pool.get(k).id());
                Practitioner q = switch (theme) {
                    case 0 -> p.withDrugs(rng.uniform(t.antibioticMin(), t.antibioticMax()),
                            p.benzodiazepineMultiplier(), p.genericMultiplier());
                    case 1 -> p.withDrugs(p.antibioticMultiplier(),
                            rng.uniform(t.benzodiazepineMin(), t.benzodiazepineMax()), p.genericMultiplier());
                    default -> p.withDrugs(p.antibioticMultiplier(), p.benzodiazepineMultiplier(),
                            rng.uniform(t.lowGenericMin(), t.lowGenericMax()));
                };
                gps.put(q.id(), q);
            }
        }
    }

    /**
     * Contacts of the past sick-leave campaign: most strong and many moderate GPs, plus a few
     * random ones. Strong GPs get the heavier rungs (EC 40 %, MSO 30 %, MSAP 30 %), moderate
     * ones EC (60 %) or a DAM visit, random contacts mostly a DAM visit (70 %, else EC). With
     * {@code spread-months} above 1 the contacts are spread over that many months from M0, in turn
     * (the 1st, 4th... contacted GP in M0, the 2nd, 5th... in M0 + 1, ...): a staggered campaign.
     */
    private static void assignCampaign(SynthConfig c, Map<String, Practitioner> gps, List<Practitioner> order) {
        SynthConfig.Campaign k = c.campaign();
        Rng rng = Rng.of(c.seed(), KIND_PLAN, -3, 0);
        int contacted = 0;
        for (Practitioner o : order) {
            Practitioner p = gps.get(o.id());
            CampaignAction a = null;
            double u = rng.uniform();
            double v = rng.uniform();
            switch (p.tier()) {
                case STRONG -> {
                    if (u < k.strongContactShare()) {
                        a = v < 0.4 ? CampaignAction.EC : v < 0.7 ? CampaignAction.MSO : CampaignAction.MSAP;
                    }
                }
                case MODERATE -> {
                    if (u < k.moderateContactShare()) {
                        a = v < 0.6 ? CampaignAction.EC : CampaignAction.DAM;
                    }
                }
                default -> {
                    if (u < k.otherContactShare()) {
                        a = v < 0.7 ? CampaignAction.DAM : CampaignAction.EC;
                    }
                }
            }
            if (a != null) {
                gps.put(p.id(), p.withCampaign(a, contacted++ % k.spreadMonths()));
            }
        }
    }

    /**
     * Practice sizes: small practices draw 30-150 patients; the rest of the department's
     * population is shared among the other GPs by log-normal weights (largest remainder, so the
     * sizes add up to the population exactly). Patients are then numbered practice by practice.
     */
    private static List<Practitioner> practiceSizes(SynthConfig c, DepartmentPlan d, List<Practitioner> gps) {
        Rng rng = Rng.of(c.seed(), KIND_PLAN, d.index(), 2);
        int n = gps.size();
        long[] size = new long[n];
        long remaining = d.population();
        long smallCap = Math.max(1, d.population() / (2L * n));
        for (int i = 0; i < n; i++) {
            if (gps.get(i).tier() == Tier.SMALL) {
                size[i] = Math.min(smallCap, rng.between(c.truth().smallMinPatients(), c.truth().smallMaxPatients()));
                remaining -= size[i];
            }
        }
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (gps.get(i).tier() != Tier.SMALL) {
                w[i] = rng.logNormal(1, c.practitioners().practiceSizeSigma());
                total += w[i];
            }
        }
        long given = 0;
        double[] frac = new double[n];
        for (int i = 0; i < n; i++) {
            if (w[i] > 0) {
                double exact = remaining * w[i] / total;
                size[i] = (long) Math.floor(exact);
                frac[i] = exact - size[i];
                given += size[i];
            }
        }
        List<Integer> byRemainder = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (w[i] > 0) {
                byRemainder.add(i);
            }
        }
        byRemainder.sort(Comparator.<Integer>comparingDouble(i -> -frac[i]).thenComparingInt(i -> i));
        for (int j = 0; given < remaining; j = (j + 1) % byRemainder.size(), given++) {
            size[byRemainder.get(j)]++;
        }
        List<Practitioner> out = new ArrayList<>();
        long first = 0;
        for (int i = 0; i < n; i++) {
            out.add(gps.get(i).withPractice(first, (int) size[i]));
            first += size[i];
        }
        return List.copyOf(out);
    }
}
