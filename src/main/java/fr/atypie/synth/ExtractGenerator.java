package fr.atypie.synth;

import static fr.atypie.snds.SndsColumns.*;

import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The synthetic SNDS extract generator. Writes {@code outDir/extract/} (Parquet, laid out as
 * {@link ExtractLayout} says) and {@code outDir/truth/} (planted ground truth, CSV and JSON).
 *
 * <p>Work is split by department: each department is simulated by one thread into its own files
 * ({@code part-000NN.parquet}, NN its rank in the configuration), patients are streamed one at a
 * time, and every patient draws from a generator seeded by (seed, department, rank). So memory
 * is bounded by the open row groups, and the same seed gives byte-identical files whatever the
 * number of threads.
 */
public final class ExtractGenerator {
    static final String EXTRACT = "extract";
    static final String TRUTH = "truth";
    /** Present while a generation runs (Spark ignores names starting with '_'): an interrupted run stays ours. */
    static final String IN_PROGRESS = "_GENERATING";
    private static final long KIND_PATIENT = 2;
    /** One patient in this many is the twin (BEN_RNG_GEM 2) of the patient before. */
    private static final long TWIN_EVERY = 150;
    private static final long PROGRESS_MILLIS = 5_000;

    private ExtractGenerator() {}

    public static GenerationSummary generate(SynthConfig config, Path outDir) {
        return generate(config, outDir, null);
    }

    /** As {@link #generate(SynthConfig, Path)}, printing progress lines to {@code progress} when not null. */
    public static GenerationSummary generate(SynthConfig config, Path outDir, PrintStream progress) {
        long t0 = System.nanoTime();
        Path extract = outDir.resolve(EXTRACT);
        Path truth = outDir.resolve(TRUTH);
        prepare(outDir, extract, truth);
        ExtractLayout layout = new ExtractLayout(extract);
        RegionPlan plan = RegionPlanner.plan(config);
        DrugCatalogue drugs = new DrugCatalogue();
        Configuration hadoop = new Configuration(false);
        int rowGroup = config.rowGroupMib() << 20;

        Map<SndsTable, Long> rows = new EnumMap<>(SndsTable.class);
        rows.put(SndsTable.IR_PHA_R, writeDrugs(layout, hadoop, rowGroup, drugs));
        rows.put(SndsTable.DA_PRA_R, writePractitioners(layout, hadoop, rowGroup, plan));
        // The nomenclatures beside the claims, as SNDS users have them: validation reads them from the extract.
        NomenclatureWriter.write(extract, hadoop);

        AtomicLong written = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        List<RegionPlan.DepartmentPlan> order = new ArrayList<>(plan.departments());
        // Largest departments first, so that two threads finish close together.
        order.sort(Comparator.comparingLong(RegionPlan.DepartmentPlan::population).reversed()
                .thenComparingInt(RegionPlan.DepartmentPlan::index));
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "synth-department");
            t.setDaemon(true);
            return t;
        });
        List<Future<long[]>> futures = new ArrayList<>();
        for (RegionPlan.DepartmentPlan d : order) {
            futures.add(pool.submit(() -> {
                long[] counts = department(config, layout, hadoop, rowGroup, drugs, d, written);
                done.incrementAndGet();
                return counts;
            }));
        }
        pool.shutdown();
        try {
            long last = System.nanoTime();
            long lastRows = 0;
            while (!pool.awaitTermination(PROGRESS_MILLIS, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                long n = written.get();
                if (progress != null) {
                    progress.printf(Locale.ROOT, "generate: %,d claim rows written, %,.0f rows/s, departments %d/%d done%n",
                            n, (n - lastRows) / ((now - last) / 1e9), done.get(), order.size());
                }
                last = now;
                lastRows = n;
            }
            long ben = 0, imb = 0, prs = 0, pha = 0;
            for (Future<long[]> f : futures) {
                long[] k = f.get();
                ben += k[0];
                imb += k[1];
                prs += k[2];
                pha += k[3];
            }
            rows.put(SndsTable.IR_BEN_R, ben);
            rows.put(SndsTable.IR_IMB_R, imb);
            rows.put(SndsTable.ER_PRS_F, prs);
            rows.put(SndsTable.ER_PHA_F, pha);
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("generation failed: " + cause, cause);
        }
        Map<SndsTable, Long> ordered = new EnumMap<>(SndsTable.class);
        for (SndsTable t : SndsTable.values()) {
            ordered.put(t, rows.getOrDefault(t, 0L));
        }
        GroundTruthWriter.write(truth, config, plan, ordered);
        try {
            Files.delete(extract.resolve(IN_PROGRESS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + extract.resolve(IN_PROGRESS), e);
        }
        int gps = plan.allGps().size();
        int specialists = plan.departments().stream().mapToInt(d -> d.specialists().size()).sum();
        int contacts = (int) plan.allGps().stream().filter(p -> p.campaign() != null).count();
        return new GenerationSummary(extract, truth, Map.copyOf(ordered), ordered.get(SndsTable.IR_BEN_R), gps,
                specialists, contacts, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Clears a previous generation in outDir; refuses to touch an extract/ or truth/ folder that
     * was not written by the generator (no truth/generation.json beside it, no _GENERATING mark
     * left by an interrupted run).
     */
    private static void prepare(Path outDir, Path extract, Path truth) {
        boolean ours = Files.isRegularFile(truth.resolve(GroundTruthWriter.GENERATION))
                || Files.isRegularFile(extract.resolve(IN_PROGRESS));
        for (Path p : List.of(extract, truth)) {
            if (Files.exists(p)) {
                if (!ours) {
                    throw new IllegalArgumentException(p + " exists and was not written by 'atypie generate' "
                            + "(no " + TRUTH + "/" + GroundTruthWriter.GENERATION + "): choose another --out");
                }
                deleteTree(p);
            }
        }
        try {
            Files.createDirectories(extract);
            Files.writeString(extract.resolve(IN_PROGRESS), "atypie generate\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + extract, e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + root, e);
        }
    }

    /** Simulates one department; returns its rows of IR_BEN_R, IR_IMB_R, ER_PRS_F, ER_PHA_F. */
    private static long[] department(SynthConfig c, ExtractLayout layout, Configuration hadoop, int rowGroup,
                                     DrugCatalogue drugs, RegionPlan.DepartmentPlan d, AtomicLong written) {
        String file = ClaimWriter.partName(d.index());
        PatientFactory factory = new PatientFactory(c, drugs);
        PatientSimulator sim = new PatientSimulator(c, drugs, d);
        int bNir = TableWriter.column(SndsTable.IR_BEN_R, BEN_NIR_PSA);
        int bRng = TableWriter.column(SndsTable.IR_BEN_R, BEN_RNG_GEM);
        int bNai = TableWriter.column(SndsTable.IR_BEN_R, BEN_NAI_ANN);
        int bSex = TableWriter.column(SndsTable.IR_BEN_R, BEN_SEX_COD);
        int bDpt = TableWriter.column(SndsTable.IR_BEN_R, BEN_RES_DPT);
        int bDcd = TableWriter.column(SndsTable.IR_BEN_R, BEN_DCD_DTE);
        int iNir = TableWriter.column(SndsTable.IR_IMB_R, BEN_NIR_PSA);
        int iRng = TableWriter.column(SndsTable.IR_IMB_R, BEN_RNG_GEM);
        int iNum = TableWriter.column(SndsTable.IR_IMB_R, IMB_ALD_NUM);
        int iDtd = TableWriter.column(SndsTable.IR_IMB_R, IMB_ALD_DTD);
        int iDtf = TableWriter.column(SndsTable.IR_IMB_R, IMB_ALD_DTF);
        int iMtf = TableWriter.column(SndsTable.IR_IMB_R, MED_MTF_COD);
        try (ClaimWriter claims = new ClaimWriter(c, layout, hadoop, d, written);
             TableWriter ben = new TableWriter(SndsTable.IR_BEN_R,
                     layout.tableDir(SndsTable.IR_BEN_R).resolve(file), hadoop, rowGroup);
             TableWriter imb = new TableWriter(SndsTable.IR_IMB_R,
                     layout.tableDir(SndsTable.IR_IMB_R).resolve(file), hadoop, rowGroup)) {
            for (Practitioner gp : d.gps()) {
                String previousNir = null;
                for (int k = 0; k < gp.patients(); k++) {
                    long index = gp.firstPatient() + k;
                    Rng rng = Rng.of(c.seed(), KIND_PATIENT, d.index(), index);
                    Patient p = factory.create(rng, d.index(), index, gp, d.pharmacies(), d.transporters());
                    // Twins share the pseudonymised NIR of the person who opens their rights; BEN_RNG_GEM
                    // tells them apart. Every TWIN_EVERY-th patient is the twin of the one before.
                    boolean twin = previousNir != null && index % TWIN_EVERY == 0;
                    String nir = twin ? previousNir : p.nir();
                    int rank = twin ? 2 : 1;
                    previousNir = p.nir();
                    claims.patientKey(nir, rank);
                    ben.clear();
                    ben.set(bNir, nir);
                    ben.set(bRng, rank);
                    ben.set(bNai, Integer.toString(p.birthYear()));
                    ben.set(bSex, p.sex());
                    ben.set(bDpt, d.department().residenceCode());
                    ben.set(bDcd, p.death() == Integer.MAX_VALUE ? null : p.death());
                    ben.write();
                    if (p.aldCause() != null) {
                        int variant = rng.below(p.aldCause().variants());
                        imb.clear();
                        imb.set(iNir, nir);
                        imb.set(iRng, rank);
                        imb.set(iNum, p.aldCause().aldNumber(variant));
                        imb.set(iDtd, p.aldStart());
                        imb.set(iDtf, p.aldEnd());
                        imb.set(iMtf, p.aldCause().icd10(variant));
                        imb.write();
                    }
                    sim.simulate(p, rng, claims);
                }
            }
            return new long[] {ben.rows(), imb.rows(), claims.prsRows(), claims.phaRows()};
        }
    }

    private static long writeDrugs(ExtractLayout layout, Configuration hadoop, int rowGroup, DrugCatalogue drugs) {
        int cip = TableWriter.column(SndsTable.IR_PHA_R, PHA_CIP_C13);
        int nom = TableWriter.column(SndsTable.IR_PHA_R, PHA_MED_NOM);
        int atc = TableWriter.column(SndsTable.IR_PHA_R, PHA_ATC_C07);
        int grs = TableWriter.column(SndsTable.IR_PHA_R, PHA_GRS_NUM);
        int typ = TableWriter.column(SndsTable.IR_PHA_R, PHA_GEN_TYP);
        int pri = TableWriter.column(SndsTable.IR_PHA_R, PHA_PRI_UNI);
        try (TableWriter w = new TableWriter(SndsTable.IR_PHA_R,
                layout.tableDir(SndsTable.IR_PHA_R).resolve(ClaimWriter.partName(0)), hadoop, rowGroup)) {
            for (DrugCatalogue.Drug d : drugs.drugs()) {
                w.clear();
                w.set(cip, d.cip13());
                w.set(nom, d.name());
                w.set(atc, d.atc());
                w.set(grs, d.genericGroup());
                w.set(typ, d.genericType());
                w.set(pri, d.price());
                w.write();
            }
            return w.rows();
        }
    }

    private static long writePractitioners(ExtractLayout layout, Configuration hadoop, int rowGroup, RegionPlan plan) {
        int num = TableWriter.column(SndsTable.DA_PRA_R, PFS_PFS_NUM);
        int spe = TableWriter.column(SndsTable.DA_PRA_R, PFS_PRA_SPE);
        int pos = TableWriter.column(SndsTable.DA_PRA_R, PFS_COD_POS);
        int cai = TableWriter.column(SndsTable.DA_PRA_R, CAI_NUM);
        try (TableWriter w = new TableWriter(SndsTable.DA_PRA_R,
                layout.tableDir(SndsTable.DA_PRA_R).resolve(ClaimWriter.partName(0)), hadoop, rowGroup)) {
            for (RegionPlan.DepartmentPlan d : plan.departments()) {
                for (Practitioner p : Stream.concat(d.gps().stream(), d.specialists().stream()).toList()) {
                    w.clear();
                    w.set(num, p.id());
                    w.set(spe, Integer.toString(p.specialty()));
                    w.set(pos, p.postalCode());
                    w.set(cai, d.department().fundCode());
                    w.write();
                }
            }
            return w.rows();
        }
    }
}
