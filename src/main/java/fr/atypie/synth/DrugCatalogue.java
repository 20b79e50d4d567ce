package fr.atypie.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The curated drug referential (IR_PHA_R): common molecules of town prescribing with their real
 * ATC codes, brand names of the princeps, and generic groups (one princeps, PHA_GEN_TYP 1, and
 * one or two generics, PHA_GEN_TYP 2; 0 outside groups). CIP13 codes are fictional but have the
 * real form (13 digits starting 34009). Prices are plausible box prices, not official ones.
 */
public final class DrugCatalogue {

    /** What a molecule is used for in the generator (and which planted theme it belongs to). */
    public enum Use {
        ANTIBIOTIC, LONG_BENZODIAZEPINE, OTHER_ANXIOLYTIC, STATIN, METFORMIN, PPI, ANALGESIC, NSAID,
        ANTIHYPERTENSIVE, THYROID, ANTIDEPRESSANT, ANTIPLATELET, ANTICOAGULANT, CORTICOID, ASTHMA,
        OPIOID, HOSPITAL
    }

    /** One molecule: INN, ATC, princeps brand, princeps box price, generics in its group (0: no group). */
    public record Molecule(String inn, String atc, String brand, double price, int generics, Use use) {}

    /** One CIP13 presentation, a row of IR_PHA_R. genericGroup is null outside generic groups. */
    public record Drug(long cip13, String name, String atc, String genericGroup, int genericType, double price,
                       Molecule molecule) {}

    private static final List<Molecule> MOLECULES = List.of(
            new Molecule("AMOXICILLINE", "J01CA04", "CLAMOXYL", 2.40, 2, Use.ANTIBIOTIC),
            new Molecule("AMOXICILLINE ACIDE CLAVULANIQUE", "J01CR02", "AUGMENTIN", 5.10, 2, Use.ANTIBIOTIC),
            new Molecule("AZITHROMYCINE", "J01FA10", "ZITHROMAX", 6.90, 1, Use.ANTIBIOTIC),
            new Molecule("PRISTINAMYCINE", "J01FG01", "PYOSTACINE", 11.50, 0, Use.ANTIBIOTIC),
            new Molecule("CIPROFLOXACINE", "J01MA02", "CIFLOX", 7.80, 1, Use.ANTIBIOTIC),
            new Molecule("CEFPODOXIME", "J01DD13", "ORELOX", 8.20, 1, Use.ANTIBIOTIC),
            new Molecule("DIAZEPAM", "N05BA01", "VALIUM", 1.90, 0, Use.LONG_BENZODIAZEPINE),
            new Molecule("BROMAZEPAM", "N05BA08", "LEXOMIL", 2.10, 2, Use.LONG_BENZODIAZEPINE),
            new Molecule("PRAZEPAM", "N05BA11", "LYSANXIA", 2.30, 1, Use.LONG_BENZODIAZEPINE),
            new Molecule("ALPRAZOLAM", "N05BA12", "XANAX", 2.00, 1, Use.OTHER_ANXIOLYTIC),
            new Molecule("ZOLPIDEM", "N05CF02", "STILNOX", 2.20, 1, Use.OTHER_ANXIOLYTIC),
            new Molecule("ATORVASTATINE", "C10AA05", "TAHOR", 17.50, 2, Use.STATIN),
            new Molecule("ROSUVASTATINE", "C10AA07", "CRESTOR", 18.90, 1, Use.STATIN),
            new Molecule("SIMVASTATINE", "C10AA01", "ZOCOR", 9.40, 1, Use.STATIN),
            new Molecule("METFORMINE", "A10BA02", "GLUCOPHAGE", 4.30, 2, Use.METFORMIN),
            new Molecule("OMEPRAZOLE", "A02BC01", "MOPRAL", 6.50, 2, Use.PPI),
            new Molecule("ESOMEPRAZOLE", "A02BC05", "INEXIUM", 7.20, 1, Use.PPI),
            new Molecule("PANTOPRAZOLE", "A02BC02", "EUPANTOL", 6.10, 1, Use.PPI),
            new Molecule("PARACETAMOL", "N02BE01", "DOLIPRANE", 2.18, 0, Use.ANALGESIC),
            new Molecule("IBUPROFENE", "M01AE01", "ADVIL", 2.30, 0, Use.NSAID),
            new Molecule("AMLODIPINE", "C08CA01", "AMLOR", 7.90, 2, Use.ANTIHYPERTENSIVE),
            new Molecule("RAMIPRIL", "C09AA05", "TRIATEC", 6.40, 1, Use.ANTIHYPERTENSIVE),
            new Molecule("BISOPROLOL", "C07AB07", "CARDENSIEL", 5.80, 1, Use.ANTIHYPERTENSIVE),
            new Molecule("LEVOTHYROXINE", "H03AA01", "LEVOTHYROX", 2.70, 0, Use.THYROID),
            new Molecule("SERTRALINE", "N06AB06", "ZOLOFT", 11.20, 1, Use.ANTIDEPRESSANT),
            new Molecule("ESCITALOPRAM", "N06AB10", "SEROPLEX", 12.40, 1, Use.ANTIDEPRESSANT),
            new Molecule("ACIDE ACETYLSALICYLIQUE", "B01AC06", "KARDEGIC", 2.90, 0, Use.ANTIPLATELET),
            new Molecule("APIXABAN", "B01AF02", "ELIQUIS", 56.00, 0, Use.ANTICOAGULANT),
            new Molecule("PREDNISOLONE", "H02AB06", "SOLUPRED", 3.60, 1, Use.CORTICOID),
            new Molecule("SALBUTAMOL", "R03AC02", "VENTOLINE", 4.20, 1, Use.ASTHMA),
            new Molecule("TRAMADOL", "N02AX02", "TOPALGIC", 4.90, 1, Use.OPIOID),
            new Molecule("ADALIMUMAB", "L04AB04", "HUMIRA", 780.00, 0, Use.HOSPITAL),
            new Molecule("ENOXAPARINE", "B01AB05", "LOVENOX", 38.00, 0, Use.HOSPITAL));

    private final List<Drug> drugs;
    private final Map<Use, List<Molecule>> byUse = new EnumMap<>(Use.class);
    private final Map<Molecule, Drug> princeps = new java.util.HashMap<>();
    private final Map<Molecule, List<Drug>> generics = new java.util.HashMap<>();

    public DrugCatalogue() {
        List<Drug> all = new ArrayList<>();
        int cip = 0;
        int group = 0;
        for (Molecule m : MOLECULES) {
            byUse.computeIfAbsent(m.use(), u -> new ArrayList<>()).add(m);
            String grs = m.generics() > 0 ? Integer.toString(1000 + (++group)) : null;
            Drug p = new Drug(cip13(++cip), m.brand() + " (" + m.inn() + ")", m.atc(), grs, grs == null ? 0 : 1,
                    m.price(), m);
            all.add(p);
            princeps.put(m, p);
            List<Drug> gens = new ArrayList<>();
            for (int g = 1; g <= m.generics(); g++) {
                // Generics are priced below the princeps, as the French pricing rules require.
                Drug d = new Drug(cip13(++cip), m.inn() + " GENERIQUE " + g, m.atc(), grs, 2,
                        Math.round(m.price() * (0.60 - 0.05 * g) * 100) / 100.0, m);
                all.add(d);
                gens.add(d);
            }
            generics.put(m, List.copyOf(gens));
        }
        this.drugs = List.copyOf(all);
    }

    /** Fictional CIP13 with the real prefix: 34009 then 8 digits. */
    private static long cip13(int i) {
        return 3_400_930_000_000L + 1_000L * i + (i * 37L) % 1000;
    }

    /** Every presentation, in referential order (the rows of IR_PHA_R). */
    public List<Drug> drugs() {
        return drugs;
    }

    public List<Molecule> molecules(Use use) {
        return byUse.getOrDefault(use, Collections.emptyList());
    }

    public Molecule molecule(String inn) {
        return MOLECULES.stream().filter(m -> m.inn().equals(inn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no molecule " + inn));
    }

    public Drug princeps(Molecule m) {
        return princeps.get(m);
    }

    /** Generics of the molecule's group (empty outside generic groups). */
    public List<Drug> generics(Molecule m) {
        return generics.get(m);
    }
}
