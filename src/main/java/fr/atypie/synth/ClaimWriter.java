package fr.atypie.synth;

import static fr.atypie.snds.SndsColumns.*;

import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.PrestationCodes;
import fr.atypie.snds.SndsColumns;
import fr.atypie.snds.SndsTable;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes one department's claims into the flux tables. Decides each claim's flux month (late
 * arrival), gives it the 9 join keys, writes its ER_PRS_F line(s) and ER_PHA_F drug lines, and
 * plants regularisations: a later-flux negative copy and an identical reissue.
 *
 * <p>Flux convention: FLX_DIS_DTD is the first day of the flux month, and the partition
 * {@code flux_month=YYYY-MM} is that month. Care of month M arrives in flux M at the earliest
 * (IJ: the month the paid period ends). Lines whose flux month is after the extract's last
 * flux month have not arrived yet and are not written.
 *
 * <p>Keys: FLX_EMT_NUM is the department's rank (1-based), ORG_CLE_NUM its fund, DCT_ORD_NUM a
 * counter per flux month, PRS_ORD_NUM 1 for the service line and 2 for its majoration line, so
 * the 9 keys identify a claim. One writer per table and flux month, opened on first use; the
 * department's rank names the file (part-000NN.parquet), so files do not depend on threads.
 */
final class ClaimWriter implements AutoCloseable {
    private static final double[] LAG_WITHIN_SIX = {0.40, 0.22, 0.14, 0.10, 0.08, 0.06};

    /** The 9 DCIR join keys, in each flux table: a drug line carries exactly its service line's keys. */
    private static final int[] PRS_KEYS = keyColumns(SndsTable.ER_PRS_F);
    private static final int[] PHA_KEYS = keyColumns(SndsTable.ER_PHA_F);
    private static final int P_BEN_NIR_PSA = TableWriter.column(SndsTable.ER_PRS_F, BEN_NIR_PSA);
    private static final int P_BEN_RNG_GEM = TableWriter.column(SndsTable.ER_PRS_F, BEN_RNG_GEM);
    private static final int P_BEN_NAI_ANN = TableWriter.column(SndsTable.ER_PRS_F, BEN_NAI_ANN);
    private static final int P_BEN_AMA_COD = TableWriter.column(SndsTable.ER_PRS_F, BEN_AMA_COD);
    private static final int P_BEN_SEX_COD = TableWriter.column(SndsTable.ER_PRS_F, BEN_SEX_COD);
    private static final int P_BEN_RES_DPT = TableWriter.column(SndsTable.ER_PRS_F, BEN_RES_DPT);
    private static final int P_PRS_NAT_REF = TableWriter.column(SndsTable.ER_PRS_F, PRS_NAT_REF);
    private static final int P_EXE_SOI_DTD = TableWriter.column(SndsTable.ER_PRS_F, EXE_SOI_DTD);
    private static final int P_EXE_SOI_DTF = TableWriter.column(SndsTable.ER_PRS_F, EXE_SOI_DTF);
    private static final int P_PFS_EXE_NUM = TableWriter.column(SndsTable.ER_PRS_F, PFS_EXE_NUM);
    private static final int P_PFS_PRE_NUM = TableWriter.column(SndsTable.ER_PRS_F, PFS_PRE_NUM);
    private static final int P_PSP_SPE_COD = TableWriter.column(SndsTable.ER_PRS_F, PSP_SPE_COD);
    private static final int P_ETB_PRE_FIN = TableWriter.column(SndsTable.ER_PRS_F, ETB_PRE_FIN);
    private static final int P_PRS_ACT_QTE = TableWriter.column(SndsTable.ER_PRS_F, PRS_ACT_QTE);
    private static final int P_PRS_ACT_NBR = TableWriter.column(SndsTable.ER_PRS_F, PRS_ACT_NBR);
    private static final int P_BSE_REM_MNT = TableWriter.column(SndsTable.ER_PRS_F, BSE_REM_MNT);
    private static final int P_PRS_PAI_MNT = TableWriter.column(SndsTable.ER_PRS_F, PRS_PAI_MNT);
    private static final int P_RGO_ASU_NAT = TableWriter.column(SndsTable.ER_PRS_F, RGO_ASU_NAT);
    private static final int P_DPN_QLF = TableWriter.column(SndsTable.ER_PRS_F, DPN_QLF);
    private static final int P_PRS_DPN_QLP = TableWriter.column(SndsTable.ER_PRS_F, PRS_DPN_QLP);
    private static final int P_CPL_MAJ_TOP = TableWriter.column(SndsTable.ER_PRS_F, CPL_MAJ_TOP);
    private static final int P_IJR_RVL_NAT = TableWriter.column(SndsTable.ER_PRS_F, IJR_RVL_NAT);

    private static final int H_PHA_PRS_C13 = TableWriter.column(SndsTable.ER_PHA_F, PHA_PRS_C13);
    private static final int H_PHA_ACT_QSN = TableWriter.column(SndsTable.ER_PHA_F, PHA_ACT_QSN);

    /** Rng stream kind of the lines of other natures (apart from the patients' streams: their claims do not move). */
    private static final long KIND_OTHER_NATURES = 3;

    private final SynthConfig.Mess mess;
    private final Rng otherRng;
    private final ExtractLayout layout;
    private final Configuration hadoop;
    private final int rowGroupBytes;
    private final String fileName;
    private final YearMonth firstMonth;
    private final int fluxMonths;
    private final int[] fluxStart;
    private final TableWriter[] prs;
    private final TableWriter[] pha;
    private final int[] documents;
    private final int emitter;
    private final Utf8 organisation;
    private final Utf8 residence;
    private Patient current;
    private Utf8 currentNir;
    private String nextNir;
    private int nextRank = 1;
    private int currentRank = 1;
    private Utf8 currentBirthYear;
    private final AtomicLong progress;
    private long prsRows;
    private long phaRows;

    ClaimWriter(SynthConfig c, ExtractLayout layout, Configuration hadoop, RegionPlan.DepartmentPlan dept,
                AtomicLong progress) {
        this.mess = c.mess();
        this.otherRng = Rng.of(c.seed(), KIND_OTHER_NATURES, dept.index(), 0);
        this.layout = layout;
        this.hadoop = hadoop;
        this.rowGroupBytes = c.rowGroupMib() << 20;
        this.fileName = partName(dept.index());
        this.firstMonth = c.firstMonth();
        this.fluxMonths = c.fluxMonths();
        this.fluxStart = new int[fluxMonths];
        for (int m = 0; m < fluxMonths; m++) {
            fluxStart[m] = (int) firstMonth.plusMonths(m).atDay(1).toEpochDay();
        }
        this.prs = new TableWriter[fluxMonths];
        this.pha = new TableWriter[fluxMonths];
        this.documents = new int[fluxMonths];
        this.emitter = dept.index() + 1;
        this.organisation = new Utf8(dept.organisation());
        this.residence = new Utf8(dept.department().residenceCode());
        this.progress = progress;
    }

    static String partName(int shard) {
        return String.format("part-%05d.parquet", shard);
    }

    /** The patient key (NIR, BEN_RNG_GEM) of the next patient's lines: a twin shares a NIR with rank 2. */
    void patientKey(String nir, int rank) {
        nextNir = nir;
        nextRank = rank;
    }

    /** Month index (0 = first month of the window) of an epoch day; negative before it. */
    int monthIndex(int day) {
        YearMonth m = YearMonth.from(LocalDate.ofEpochDay(day));
        return (int) ((m.getYear() - firstMonth.getYear()) * 12L + m.getMonthValue() - firstMonth.getMonthValue());
    }

    /**
     * Writes a claim at its flux month (late arrival drawn here), and may regularise it.
     * The reference month is the month of its end date (IJ are paid after the period).
     */
    void emit(Claim cl, Patient p, Rng rng) {
        int care = Math.max(0, monthIndex(cl.end));
        int flux = care + Math.max(cl.minLagMonths, lag(rng));
        if (flux >= fluxMonths) {
            return; // not arrived yet at the extract date
        }
        write(cl, p, flux, 1);
        otherNatures(cl, p, flux);
        if (rng.chance(mess.regularisationRate())) {
            int later = flux + rng.between(1, 4);
            if (later < fluxMonths) {
                write(cl, p, later, -1); // cancellation: same line, negative quantities and amounts
                write(cl, p, later, 1);  // reissue of the same line
            }
        }
    }

    /** The kinds of lines of other natures, their weights and what they carry. */
    private enum OtherLine {
        BIOLOGY(3211, 30, 14.0), NURSING(3111, 14, 6.3), NURSING_CARE(3112, 5, 7.9), PHYSIOTHERAPY(3122, 10, 16.1),
        DENTAL_CARE(1451, 7, 28.9), DENTAL_PROSTHESIS(1423, 3, 107.5), TECHNICAL_ACT(1352, 5, 41.0),
        MAJORATION_MPC(1116, 5, 5.0), MAJORATION_MCG(1125, 3, 5.0), MAJORATION_MUT(1943, 2, 15.0),
        HOSPITAL_OUTPATIENT(1352, 10, 46.0), HOSPITAL_PRESCRIPTION(3211, 6, 18.0);

        final int nature;
        final double weight;
        final double base;

        OtherLine(int nature, double weight, double base) {
            this.nature = nature;
            this.weight = weight;
            this.base = base;
        }

        static final OtherLine[] ALL = values();
        static final double[] WEIGHTS = java.util.Arrays.stream(ALL).mapToDouble(o -> o.weight).toArray();
    }

    private static final Utf8 HOSPITAL = new Utf8("340780477");
    private final Claim other = new Claim();

    /**
     * Lines of natures the job does not select, beside a claim (same patient, day and flux):
     * validation must pass them and the events must ignore them, as in a real ER_PRS_F.
     */
    private void otherNatures(Claim cl, Patient p, int flux) {
        double mean = mess.otherLinesPerClaim();
        int n = (int) mean + (otherRng.chance(mean - Math.floor(mean)) ? 1 : 0);
        for (int i = 0; i < n; i++) {
            OtherLine kind = OtherLine.ALL[otherRng.weighted(OtherLine.WEIGHTS)];
            Claim o = other.reset(kind.nature, cl.start, cl.start);
            o.base = kind.base;
            o.paid = round(kind.base * 0.7);
            o.executant = cl.executant != null ? cl.executant : cl.prescriber;
            switch (kind) {
                case HOSPITAL_OUTPATIENT -> {
                    o.informationOnly = PrestationCodes.INFORMATION_ONLY;
                    o.executant = HOSPITAL;
                }
                case HOSPITAL_PRESCRIPTION -> o.hospital = HOSPITAL;
                default -> {
                    o.prescriber = gpId(p);
                    o.prescriberSpecialty = p.gp().specialty();
                }
            }
            boolean majoration = kind == OtherLine.MAJORATION_MPC || kind == OtherLine.MAJORATION_MCG
                    || kind == OtherLine.MAJORATION_MUT;
            int document = ++documents[flux];
            TableWriter w = prs(flux);
            serviceLine(w, o, p, flux, document, 1, 1, LocalDate.ofEpochDay(o.start).getYear());
            w.set(P_CPL_MAJ_TOP, majoration ? PrestationCodes.MAJORATION : 0);
            w.set(P_BSE_REM_MNT, o.base);
            w.set(P_PRS_PAI_MNT, o.paid);
            w.write();
            prsRows++;
            progress.incrementAndGet();
        }
    }

    private Patient gpOf;
    private Utf8 gpIdOf;

    private Utf8 gpId(Patient p) {
        if (p != gpOf) {
            gpOf = p;
            gpIdOf = new Utf8(p.gp().id());
        }
        return gpIdOf;
    }

    private int lag(Rng rng) {
        double u = rng.uniform();
        if (u < mess.sameFluxShare()) {
            return 0;
        }
        if (u < mess.sameFluxShare() + mess.withinSixShare()) {
            return 1 + rng.weighted(LAG_WITHIN_SIX);
        }
        return rng.between(7, mess.maxLagMonths());
    }

    private void write(Claim cl, Patient p, int flux, int sign) {
        int document = ++documents[flux];
        TableWriter w = prs(flux);
        int year = LocalDate.ofEpochDay(cl.start).getYear();
        serviceLine(w, cl, p, flux, document, 1, sign, year);
        w.set(P_CPL_MAJ_TOP, 0);
        w.set(P_BSE_REM_MNT, signed(sign, cl.base));
        w.set(P_PRS_PAI_MNT, signed(sign, cl.paid));
        w.write();
        prsRows++;
        if (cl.majoration > 0) {
            serviceLine(w, cl, p, flux, document, 2, sign, year);
            w.set(P_CPL_MAJ_TOP, PrestationCodes.MAJORATION);
            w.set(P_BSE_REM_MNT, signed(sign, cl.majoration));
            w.set(P_PRS_PAI_MNT, signed(sign, round(cl.majoration * (cl.paid / Math.max(cl.base, 1e-9)))));
            w.write();
            prsRows++;
        }
        if (cl.drugs > 0) {
            TableWriter h = pha(flux);
            for (int i = 0; i < cl.drugs; i++) {
                h.clear();
                joinKeys(h, PHA_KEYS, flux, document, 1);
                h.set(H_PHA_PRS_C13, cl.cips[i]);
                h.set(H_PHA_ACT_QSN, sign * cl.boxes[i]);
                h.write();
            }
            phaRows += cl.drugs;
        }
        progress.addAndGet(1 + (cl.majoration > 0 ? 1 : 0) + cl.drugs);
    }

    /** Sets the 9 join keys (columns {@code keys}, in {@link SndsColumns#JOIN_KEYS} order) of a line. */
    private void joinKeys(TableWriter w, int[] keys, int flux, int document, int order) {
        w.set(keys[0], fluxStart[flux]);   // FLX_DIS_DTD
        w.set(keys[1], fluxStart[flux]);   // FLX_TRT_DTD
        w.set(keys[2], 1);                 // FLX_EMT_TYP
        w.set(keys[3], emitter);           // FLX_EMT_NUM
        w.set(keys[4], 0);                 // FLX_EMT_ORD
        w.set(keys[5], organisation);      // ORG_CLE_NUM
        w.set(keys[6], document);          // DCT_ORD_NUM
        w.set(keys[7], order);             // PRS_ORD_NUM
        w.set(keys[8], 1);                 // REM_TYP_AFF
    }

    private static int[] keyColumns(SndsTable table) {
        return SndsColumns.JOIN_KEYS.stream().mapToInt(k -> TableWriter.column(table, k)).toArray();
    }

    private void serviceLine(TableWriter w, Claim cl, Patient p, int flux, int document, int order, int sign, int year) {
        w.clear();
        joinKeys(w, PRS_KEYS, flux, document, order);
        if (p != current) {
            current = p;
            currentNir = new Utf8(nextNir != null ? nextNir : p.nir());
            currentRank = nextRank;
            currentBirthYear = new Utf8(Integer.toString(p.birthYear()));
        }
        w.set(P_BEN_NIR_PSA, currentNir);
        w.set(P_BEN_RNG_GEM, currentRank);
        w.set(P_BEN_NAI_ANN, currentBirthYear);
        w.set(P_BEN_AMA_COD, amaCode(p, cl.start, year));
        w.set(P_BEN_SEX_COD, p.sex());
        w.set(P_BEN_RES_DPT, residence);
        w.set(P_PRS_NAT_REF, cl.nature);
        w.set(P_EXE_SOI_DTD, cl.start);
        w.set(P_EXE_SOI_DTF, cl.end);
        w.set(P_PFS_EXE_NUM, cl.executant);
        w.set(P_PFS_PRE_NUM, cl.prescriber);
        w.set(P_PSP_SPE_COD, cl.prescriberSpecialty);
        w.set(P_ETB_PRE_FIN, cl.hospital);
        w.set(P_PRS_ACT_QTE, signed(sign, cl.quantity));
        w.set(P_PRS_ACT_NBR, signed(sign, cl.count));
        w.set(P_RGO_ASU_NAT, cl.insurance);
        w.set(P_DPN_QLF, cl.informationOnly);
        w.set(P_PRS_DPN_QLP, cl.informationOnly);
        w.set(P_IJR_RVL_NAT, cl.revaluation);
    }

    /**
     * BEN_AMA_COD as the fund writes it: the age in years, or below 2 years 1000 + the age in
     * months (the birth month is not generated: taken as January, so months = 12 × years + care month − 1).
     */
    static int amaCode(Patient p, int careDay, int year) {
        int age = Math.max(0, p.age(year));
        return age >= 2 ? age : 1000 + 12 * age + LocalDate.ofEpochDay(careDay).getMonthValue() - 1;
    }

    /** Signed value without negative zeros (a cancelled count of 0 stays 0). */
    private static double signed(int sign, double x) {
        return sign * x + 0.0;
    }

    static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private TableWriter prs(int flux) {
        if (prs[flux] == null) {
            prs[flux] = new TableWriter(SndsTable.ER_PRS_F,
                    layout.fluxDir(SndsTable.ER_PRS_F, firstMonth.plusMonths(flux)).resolve(fileName), hadoop, rowGroupBytes);
        }
        return prs[flux];
    }

    private TableWriter pha(int flux) {
        if (pha[flux] == null) {
            pha[flux] = new TableWriter(SndsTable.ER_PHA_F,
                    layout.fluxDir(SndsTable.ER_PHA_F, firstMonth.plusMonths(flux)).resolve(fileName), hadoop, rowGroupBytes);
        }
        return pha[flux];
    }

    long prsRows() {
        return prsRows;
    }

    long phaRows() {
        return phaRows;
    }

    @Override
    public void close() {
        for (int m = 0; m < fluxMonths; m++) {
            if (prs[m] != null) {
                prs[m].close();
            }
            if (pha[m] != null) {
                pha[m].close();
            }
        }
    }
}
