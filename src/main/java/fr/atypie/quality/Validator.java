package fr.atypie.quality;

import static fr.atypie.quality.QuarantineColumns.REASON;
import static fr.atypie.quality.QuarantineColumns.RULE;
import static fr.atypie.quality.QuarantineRule.*;
import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import fr.atypie.snds.DcirRules;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.CodeLists;
import fr.atypie.snds.SndsTable;
import fr.atypie.spark.Columns;
import fr.atypie.spark.ScalaSeqs;
import fr.atypie.fs.Store;
import java.nio.file.Path;
import java.sql.Date;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.SortedSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Row validation with quarantine. Each table's rows are tagged with the first rule that catches
 * them: first the checks a row can fail on its own, then the checks against other rows (duplicate
 * keys, regularisations cancelling nothing) and other tables, computed among the rows still clean
 * (so a bad copy never makes a good one a "duplicate"). Tables go in dependency order: the
 * referentials first, so that ALD rows, service lines and drug lines are checked against the rows
 * that were kept. Every table ends with rows in = kept + quarantined, checked here.
 */
public final class Validator {
    private static final long CIP13_MIN = 1_000_000_000_000L;
    private static final long CIP13_MAX = 9_999_999_999_999L;
    private static final int EARLIEST_BIRTH_YEAR = 1900;

    // Helper columns, dropped before anything leaves this class.
    private static final String H_RANK = "_q_rank";
    private static final String H_COPIES = "_q_copies";
    /** Sub-folders of a flux table's store: its lines, and the verdicts of the checks between lines. */
    private static final String LINES = "lines";
    private static final String VERDICTS = "verdicts";
    /** ER_PRS_F's checked lines by flux month, kept between runs ({@link MonthLines}). */
    private static final String MONTHS = "months";
    private static final String H_KNOWN = "_q_known";
    private static final String H_PRS_NAT = "_q_prs_nat";
    private static final String H_PRS_RULE = "_q_prs_rule";
    private static final String H_OTHER_CARE = "_q_other_care";
    private static final String H_QUARANTINED_CARE = "_q_quarantined_care";
    /**
     * On a stored drug line: the latest care date among the service lines of its 9 keys, a line without
     * one counting as latest of all; null when there is none. An incremental run passes the drug line
     * over by it as it passes a service line over by its own care date (see {@code Ingestion}).
     */
    public static final String PRS_CARE = "_q_prs_care";
    /** Stands for a missing care date in {@link #PRS_CARE}: never older than a run's first care month. */
    private static final Column NO_CARE_DATE = lit(Date.valueOf("9999-12-31"));

    private final QualityConfig config;
    private final CodeLists codes;
    private final Nomenclatures nomenclatures;
    /** Flux months after this one are implausible (a flux cannot come from the future). */
    private final YearMonth latestPlausibleFlux;

    /** Validates against the nomenclatures packaged in the jar. */
    public Validator(QualityConfig config, CodeLists codes) {
        this(config, codes, Nomenclatures.packaged());
    }

    /**
     * Checks at once that the job's own code selections are in {@code nomenclatures} (a
     * {@code ConfigError} otherwise), so a misspelt or withdrawn code fails before any row is read.
     */
    public Validator(QualityConfig config, CodeLists codes, Nomenclatures nomenclatures) {
        this(config, codes, nomenclatures, YearMonth.now(ZoneOffset.UTC));
    }

    Validator(QualityConfig config, CodeLists codes, Nomenclatures nomenclatures, YearMonth latestPlausibleFlux) {
        this.config = config;
        this.codes = codes;
        this.nomenclatures = nomenclatures;
        this.latestPlausibleFlux = latestPlausibleFlux;
        codes.requireKnown(nomenclatures);
    }

    /**
     * Validates every table of {@code raw} (as {@code ExtractReader.readAll} returns them), the flux
     * tables' lines stored in a temporary folder that is removed when the JVM ends.
     */
    public ValidatedExtract validate(Map<SndsTable, Dataset<Row>> raw) {
        return validate(raw, Store.local(StoredLines.temporaryFolder()));
    }

    /** As {@link #validate(Map, Store)}, in a local folder. */
    public ValidatedExtract validate(Map<SndsTable, Dataset<Row>> raw, Path lineStore) {
        return validate(raw, Store.local(lineStore));
    }

    /**
     * Validates every table of {@code raw}, storing the flux tables' lines and the referentials' checked rows
     * under {@code lineStore} (replaced; it holds patient pseudonyms, so it belongs in the restricted working area). The
     * result reads from it: keep it until the result is no longer used.
     */
    public ValidatedExtract validate(Map<SndsTable, Dataset<Row>> raw, Store lineStore) {
        return validate(raw, lineStore, Optional.empty());
    }

    /**
     * As {@link #validate(Map, Store)}; with {@code serviceLineMonths}, ER_PRS_F's checked lines are
     * kept under {@code lineStore} by flux month between runs ({@link MonthLines}), and only the months
     * that cannot be reused are read from the extract and checked ({@code raw}'s ER_PRS_F then serves
     * for the latest flux month and the report's notes only).
     */
    public ValidatedExtract validate(Map<SndsTable, Dataset<Row>> raw, Store lineStore,
                                     Optional<FluxMonths> serviceLineMonths) {
        return validate(raw, lineStore, serviceLineMonths, Optional.empty());
    }

    /**
     * As {@link #validate(Map, Store, Optional)}; with {@code drugLineMonths} as well, ER_PHA_F's
     * checked lines are kept by flux month too, a month reused while its service lines' verdicts are
     * unchanged ({@link DrugLineDependence}); {@code raw}'s ER_PHA_F then serves for the report's notes only.
     */
    public ValidatedExtract validate(Map<SndsTable, Dataset<Row>> raw, Store lineStore,
                                     Optional<FluxMonths> serviceLineMonths, Optional<FluxMonths> drugLineMonths) {
        if (drugLineMonths.isPresent() && serviceLineMonths.isEmpty()) {
            throw new IllegalArgumentException("drug lines are kept by flux month only with their service lines");
        }
        // Over rows whose flux date is plausible and agrees with its folder: one line dated 2100 must not take over.
        Optional<YearMonth> latestFlux = latestFlux(raw.get(SndsTable.ER_PRS_F)
                .filter(plausibleFlux(raw.get(SndsTable.ER_PRS_F))));
        Map<SndsTable, Dataset<Row>> tagged = new EnumMap<>(SndsTable.class);
        Map<SndsTable, Dataset<Row>> kept = new EnumMap<>(SndsTable.class);
        Map<SndsTable, Dataset<Row>> quarantine = new EnumMap<>(SndsTable.class);
        List<TableQuality> tables = new ArrayList<>();
        Map<SndsTable, StoredLines> stored = new EnumMap<>(SndsTable.class);
        for (SndsTable t : List.of(SndsTable.IR_PHA_R, SndsTable.DA_PRA_R, SndsTable.IR_BEN_R,
                SndsTable.IR_IMB_R, SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            Dataset<Row> in = raw.get(t);
            Dataset<Row> tg = switch (t) {
                // The referentials are checked in full every run (then stored, below); the flux tables read
                // from their stored lines.
                case IR_PHA_R -> drugReferential(in);
                case DA_PRA_R -> practitioners(in);
                case IR_BEN_R -> beneficiaries(in, latestFlux);
                case IR_IMB_R -> aldPeriods(in, kept.get(SndsTable.IR_BEN_R));
                case ER_PRS_F -> serviceLines(in, kept.get(SndsTable.IR_BEN_R), lineStore.child(t.name()),
                        serviceLineMonths, stored);
                case ER_PHA_F -> drugLines(in, tagged.get(SndsTable.ER_PRS_F), kept.get(SndsTable.IR_PHA_R),
                        lineStore.child(t.name()), drugLineMonths, stored, lineStore.child(SndsTable.ER_PRS_F.name()));
            };
            if (!t.partitionedByFlux()) {
                tg = stored(tg, lineStore.child(t.name()));
            }
            tagged.put(t, tg);
            Dataset<Row> own = tg.select(withQuarantineColumns(t));
            kept.put(t, own.filter(col(RULE).isNull()).select(schemaColumns(t)));
            quarantine.put(t, own.filter(col(RULE).isNotNull()));
            // A flux table's rows in are counted on its stored lines: one per row read, as every join before
            // the store is on a unique key (kept beneficiaries, kept service lines, quarantined keys grouped,
            // kept CIP codes). Counting the input would compute it once more, and an incremental run's input
            // is itself a join (its drug lines of older care passed over).
            long rowsIn = t.partitionedByFlux() ? stored.get(t).lines().count() : in.count();
            tables.add(tally(t, rowsIn, own, coercions(in), ExtractReader.passedOver(in)));
        }
        // Kept drug lines with the columns of their service line (the drug netting's input: joined once, here).
        List<String> claimed = new ArrayList<>(SndsTable.ER_PHA_F.columnNames());
        claimed.addAll(claimColumns());
        Dataset<Row> dispensed = tagged.get(SndsTable.ER_PHA_F).filter(col(RULE).isNull())
                .select(Columns.named(claimed.stream().distinct().toList()));
        return new ValidatedExtract(kept, quarantine, dispensed,
                new QualityReport(tables, config.maxQuarantineShare(), latestFlux));
    }

    /**
     * A referential's checked rows written once as Parquet in {@code dir} (replaced) and read back. Not
     * persisted in memory: Spark 3.5's adaptive plans never reuse an exchange above a cached table (the
     * query stage of a cached table is compared by its id, SPARK-58767), so each of the four event tables
     * broadcast its own copy of the patient dimension in the one query that stores them (four of IR_BEN_R's
     * 5.3 M patients at Occitanie size, 1.2 GB each, and four of their ALD periods); above a file scan Spark
     * builds one and reuses it.
     */
    private static Dataset<Row> stored(Dataset<Row> tagged, Store dir) {
        tagged.write().mode(SaveMode.Overwrite).parquet(dir.toString());
        return tagged.sparkSession().read().parquet(dir.toString());
    }

    /** The service line's columns a drug line takes along: what makes it the same service, and its amount. */
    private static List<String> claimColumns() {
        List<String> out = new ArrayList<>(DcirRules.prsDescriptiveColumns());
        out.add(BSE_REM_MNT);
        return out;
    }

    /** Latest flux month among service lines (FLX_DIS_DTD), e.g. the reference for "future" birth years. */
    public static Optional<YearMonth> latestFlux(Dataset<Row> prs) {
        Row r = prs.agg(max(col(FLX_DIS_DTD))).first();
        return r.isNullAt(0) ? Optional.empty() : Optional.of(YearMonth.from(r.getDate(0).toLocalDate()));
    }

    /**
     * The departments of {@code region} (3 characters) where no beneficiary was kept, in order. Their
     * people are missing from every output, yet a small department's quarantine can stay under the
     * allowed share: Ariège is 2.5 % of Occitanie's beneficiaries.
     */
    public static List<String> departmentsWithoutBeneficiary(Dataset<Row> keptBeneficiaries, Set<String> region) {
        if (region.isEmpty()) {
            return List.of();
        }
        TreeSet<String> missing = new TreeSet<>(region);
        keptBeneficiaries.select(Departments.normalised(col(BEN_RES_DPT))).distinct().collectAsList().forEach(r -> missing.remove(r.getString(0)));
        return List.copyOf(missing);
    }

    // ---- per table ---------------------------------------------------------------------------

    private Dataset<Row> drugReferential(Dataset<Row> in) {
        Dataset<Row> t = apply(start(in), List.of(
                new Check(MISSING_KEY, col(PHA_CIP_C13).isNull(), lit("PHA_CIP_C13 is null")),
                new Check(UNKNOWN_CODE, not(col(PHA_CIP_C13).between(CIP13_MIN, CIP13_MAX)),
                        concat(lit("PHA_CIP_C13 "), show(col(PHA_CIP_C13)), lit(" is not a 13-digit CIP code")))));
        return duplicates(t, List.of(PHA_CIP_C13), SndsTable.IR_PHA_R, "CIP13");
    }

    private Dataset<Row> practitioners(Dataset<Row> in) {
        Dataset<Row> t = apply(start(in), List.of(
                new Check(MISSING_KEY, blank(col(PFS_PFS_NUM)), lit("PFS_PFS_NUM is null or blank")),
                new Check(UNKNOWN_CODE, not(coalesce(trim(col(PFS_PRA_SPE)).rlike("^[0-9]{1,2}$")
                                .and(trim(col(PFS_PRA_SPE)).cast(DataTypes.IntegerType)
                                        .isin(nomenclatures.specialties().toArray())), lit(false))),
                        concat(lit("PFS_PRA_SPE "), quoted(col(PFS_PRA_SPE)), lit(" is not a specialty of "
                                + Nomenclatures.SPECIALTIES_TABLE)))));
        return duplicates(t, List.of(PFS_PFS_NUM), SndsTable.DA_PRA_R, "practitioner number");
    }

    private Dataset<Row> beneficiaries(Dataset<Row> in, Optional<YearMonth> latestFlux) {
        Column birth = col(BEN_NAI_ANN);
        Column birthYear = birth.cast(DataTypes.IntegerType);
        Column dept = upper(trim(col(BEN_RES_DPT)));
        Column deptNorm = Departments.normalised(col(BEN_RES_DPT));
        List<Check> checks = new ArrayList<>(List.of(
                missingPatient(),
                new Check(IMPOSSIBLE_DATE, not(coalesce(birth.rlike("^[0-9]{4}$"), lit(false))),
                        concat(lit("BEN_NAI_ANN "), quoted(birth), lit(" is not a year YYYY"))),
                new Check(IMPOSSIBLE_DATE, birthYear.lt(EARLIEST_BIRTH_YEAR),
                        concat(lit("birth year "), birth, lit(" is before " + EARLIEST_BIRTH_YEAR)))));
        latestFlux.ifPresent(l -> checks.add(new Check(IMPOSSIBLE_DATE, birthYear.gt(l.getYear()),
                concat(lit("birth year "), birth, lit(" is after the latest flux month " + l)))));
        checks.addAll(List.of(
                // 1600-01-01 is how the SNDS writes "not deceased": the living, not an error.
                new Check(IMPOSSIBLE_DATE, year(DcirRules.unlessNoDate(col(BEN_DCD_DTE))).lt(birthYear),
                        concat(lit("death date "), show(col(BEN_DCD_DTE)), lit(" is before birth year "), birth)),
                new Check(UNKNOWN_CODE, not(coalesce(col(BEN_SEX_COD).isin(1, 2), lit(false))),
                        concat(lit("BEN_SEX_COD "), show(col(BEN_SEX_COD)), lit(" is not 1 or 2"))),
                new Check(UNKNOWN_CODE, not(coalesce(dept.rlike(Departments.WELL_FORMED_SQL), lit(false))),
                        concat(lit("BEN_RES_DPT "), quoted(col(BEN_RES_DPT)), lit(" is not a department code")))));
        if (!config.departments().isEmpty()) {
            TreeSet<String> region = new TreeSet<>(config.departments());
            checks.add(new Check(UNKNOWN_CODE, not(deptNorm.isin(region.toArray())),
                    concat(lit("BEN_RES_DPT "), quoted(col(BEN_RES_DPT)), lit(" is not a department of the region "
                            + String.join(" ", region)))));
        }
        return duplicates(apply(start(in), checks), PATIENT_KEY, SndsTable.IR_BEN_R, "patient key");
    }

    private Dataset<Row> aldPeriods(Dataset<Row> in, Dataset<Row> keptBeneficiaries) {
        Dataset<Row> t = apply(start(in), List.of(
                missingPatient(),
                new Check(IMPOSSIBLE_DATE, col(IMB_ALD_DTD).isNull(), lit("IMB_ALD_DTD is null")),
                new Check(IMPOSSIBLE_DATE, year(col(IMB_ALD_DTD)).lt(EARLIEST_BIRTH_YEAR),
                        concat(lit("IMB_ALD_DTD "), show(col(IMB_ALD_DTD)), lit(" is before " + EARLIEST_BIRTH_YEAR))),
                // 1600-01-01 is how the SNDS writes "no end date": an open period, not an error.
                new Check(IMPOSSIBLE_DATE, DcirRules.unlessNoDate(col(IMB_ALD_DTF)).lt(col(IMB_ALD_DTD)),
                        concat(lit("IMB_ALD_DTF "), show(col(IMB_ALD_DTF)), lit(" is before IMB_ALD_DTD "),
                                show(col(IMB_ALD_DTD))))));
        return unknownBeneficiary(t, keptBeneficiaries);
    }

    private Dataset<Row> serviceLines(Dataset<Row> in, Dataset<Row> keptBeneficiaries, Store dir,
                                      Optional<FluxMonths> months, Map<SndsTable, StoredLines> stored) {
        // Every nature of the nomenclature is valid; those the job does not select pass and make no event.
        TreeSet<Integer> known = new TreeSet<>(config.extraPrestationCodes());
        known.addAll(nomenclatures.natures());
        Column nat = col(PRS_NAT_REF);
        Column ij = nat.isin(codes.sickLeaveIj().toArray());
        Column needsExecutant = nat.isin(codes.consultations().toArray());
        // Sick leave, drugs and transports are prescribed by a doctor or, for hospital prescriptions, a FINESS.
        Column needsPrescriber = ij.or(nat.isin(codes.pharmacy().toArray()))
                .or(nat.isin(codes.transports().toArray()));
        int earliest = config.earliestCareYear();
        List<Check> checks = new ArrayList<>();
        for (String k : JOIN_KEYS) {
            checks.add(new Check(MISSING_KEY, k.equals(ORG_CLE_NUM) ? blank(col(k)) : col(k).isNull(),
                    lit(k + " is null" + (k.equals(ORG_CLE_NUM) ? " or blank" : ""))));
        }
        checks.add(implausibleFlux());
        checks.add(missingPatient());
        checks.add(new Check(UNKNOWN_CODE, not(coalesce(nat.isin(known.toArray()), lit(false))),
                concat(lit("PRS_NAT_REF "), show(nat), lit(" is not a nature of service of " + Nomenclatures.NATURES_TABLE))));
        checks.add(new Check(UNKNOWN_CODE, ij.and(not(coalesce(col(RGO_ASU_NAT).isin(
                        codes.insurance().all().toArray()), lit(false)))),
                concat(lit("RGO_ASU_NAT "), show(col(RGO_ASU_NAT)), lit(" is not an insurance nature of IJ "
                        + codes.insurance().all()))));
        checks.add(new Check(IMPOSSIBLE_DATE, col(EXE_SOI_DTD).isNull(), lit("EXE_SOI_DTD is null")));
        checks.add(new Check(IMPOSSIBLE_DATE, year(col(EXE_SOI_DTD)).lt(earliest),
                concat(lit("care date "), show(col(EXE_SOI_DTD)), lit(" is before " + earliest))));
        // A null end, or 1600-01-01 (the SNDS's "no date"), is a line without care end: kept.
        checks.add(new Check(IMPOSSIBLE_DATE, col(EXE_SOI_DTD).gt(DcirRules.careEnd()),
                concat(lit("care start "), show(col(EXE_SOI_DTD)), lit(" is after care end "), show(col(EXE_SOI_DTF)))));
        checks.add(new Check(CARE_AFTER_FLUX, col(EXE_SOI_DTD).gt(last_day(col(FLX_DIS_DTD))),
                concat(lit("care date "), show(col(EXE_SOI_DTD)), lit(" is after its flux month "),
                        show(col(FLX_DIS_DTD)))));
        for (String m : List.of(PRS_ACT_QTE, PRS_ACT_NBR, BSE_REM_MNT)) {
            checks.add(new Check(MISSING_MEASURE, col(m).isNull(), lit(m + " is null")));
        }
        checks.add(new Check(MISSING_PRESCRIBER, needsExecutant.and(blank(col(PFS_EXE_NUM))),
                concat(lit("consultation "), show(nat), lit(" without the doctor seen (PFS_EXE_NUM)"))));
        checks.add(new Check(MISSING_PRESCRIBER, needsPrescriber.and(blank(col(PFS_PRE_NUM)))
                        .and(blank(col(ETB_PRE_FIN))),
                concat(lit("line "), show(nat), lit(" without prescriber (PFS_PRE_NUM) nor hospital (ETB_PRE_FIN)"))));
        UnaryOperator<Dataset<Row>> rowChecks = raw -> unknownBeneficiary(apply(start(raw), checks), keptBeneficiaries);
        // Stored once; the checks between lines then read it. FLX_DIS_DTD is one of the 9 keys: no
        // duplicate spans two flux months.
        StoredLines lines;
        clearOtherLayout(dir, months.isPresent());
        if (months.isPresent()) {
            lines = new MonthLines(dir.child(MONTHS)).lines(months.get(), rowChecks, knownPatients(keptBeneficiaries),
                    latestPlausibleFlux, JOIN_KEYS, DcirRules.prsDescriptiveColumns());
        } else {
            lines = StoredLines.write(rowChecks.apply(in), dir.child(LINES), JOIN_KEYS, DcirRules.prsDescriptiveColumns());
        }
        stored.put(SndsTable.ER_PRS_F, lines);
        Dataset<Row> duplicates = lines.duplicates(DUPLICATE_KEY, allColumns(SndsTable.ER_PRS_F));
        Dataset<Row> unmatched = lines.unmatchedRegularisations(PRS_ACT_QTE, UNMATCHED_REGULARISATION, duplicates);
        return withVerdicts(lines, List.of(duplicates, unmatched), dir, "9 join keys", PRS_ACT_QTE);
    }

    private Dataset<Row> drugLines(Dataset<Row> in, Dataset<Row> taggedPrs, Dataset<Row> keptDrugs, Store dir,
                                   Optional<FluxMonths> months, Map<SndsTable, StoredLines> stored, Store prsDir) {
        List<Check> checks = new ArrayList<>();
        for (String k : JOIN_KEYS) {
            checks.add(new Check(MISSING_KEY, k.equals(ORG_CLE_NUM) ? blank(col(k)) : col(k).isNull(),
                    lit(k + " is null" + (k.equals(ORG_CLE_NUM) ? " or blank" : ""))));
        }
        checks.add(implausibleFlux());
        checks.add(new Check(UNKNOWN_CODE, not(coalesce(col(PHA_PRS_C13).between(CIP13_MIN, CIP13_MAX), lit(false))),
                concat(lit("PHA_PRS_C13 "), show(col(PHA_PRS_C13)), lit(" is not a 13-digit CIP code"))));
        checks.add(new Check(MISSING_MEASURE, col(PHA_ACT_QSN).isNull(), lit("PHA_ACT_QSN is null")));

        // Its service line (9 keys unique among kept lines): a kept pharmacy claim, whose columns the line
        // takes along (the drug netting needs them); another kept line (its nature, for the reason); or
        // quarantined lines only (the first rule, for the reason). Each with its care date, for the latest
        // care among the key's service lines (PRS_CARE: stored lines are passed over by it when read back).
        Column pharmacy = col(PRS_NAT_REF).isin(codes.pharmacy().toArray());
        List<String> claimed = new ArrayList<>(JOIN_KEYS);
        claimed.addAll(claimColumns());
        Dataset<Row> keptPrs = taggedPrs.filter(col(RULE).isNull());
        Dataset<Row> claims = keptPrs.filter(pharmacy).select(Columns.named(claimed)).withColumn(H_KNOWN, lit(true));
        Dataset<Row> otherLines = keptPrs.filter(not(pharmacy))
                .select(Columns.named(JOIN_KEYS, PRS_NAT_REF, EXE_SOI_DTD)).withColumnRenamed(PRS_NAT_REF, H_PRS_NAT)
                .withColumn(H_OTHER_CARE, coalesce(col(EXE_SOI_DTD), NO_CARE_DATE)).drop(EXE_SOI_DTD);
        Dataset<Row> quarantinedPrs = taggedPrs.filter(col(RULE).isNotNull())
                .groupBy(Columns.named(JOIN_KEYS)).agg(min(col(RULE)).as(H_PRS_RULE),
                        max(coalesce(col(EXE_SOI_DTD), NO_CARE_DATE)).as(H_QUARANTINED_CARE));
        Dataset<Row> drugs = keptDrugs.select(col(PHA_CIP_C13).as(PHA_PRS_C13)).distinct().withColumn(H_KNOWN, lit(true));
        // Checks drug lines against the service lines of the same 9 keys; with flux months, only those
        // months' service lines are read, and both sides meet by flux date: a task then holds whole months,
        // and writes one file per month (a join by the 9 keys left a file per month in every task, whose
        // opening every later read paid for). The flux date is one of the 9 keys: no line crosses months.
        BiFunction<Dataset<Row>, Optional<SortedSet<YearMonth>>, Dataset<Row>> check = (raw, written) -> {
            // The service lines of the months' flux dates (the drug lines keep theirs: one dated outside its
            // folder is quarantined by the reader, and kept here).
            UnaryOperator<Dataset<Row>> drugSide = written.isEmpty() ? UnaryOperator.identity()
                    : d -> byFluxDate(d, written.get().size());
            UnaryOperator<Dataset<Row>> side = written.isEmpty() ? UnaryOperator.identity() : d -> byFluxDate(
                    d.where(col(FLX_DIS_DTD).between(Date.valueOf(written.get().first().atDay(1)),
                            Date.valueOf(written.get().last().atEndOfMonth()))), written.get().size());
            Dataset<Row> t = drugSide.apply(apply(start(raw), checks))
                    .join(side.apply(claims), ScalaSeqs.of(JOIN_KEYS), "left")
                    .join(side.apply(otherLines), ScalaSeqs.of(JOIN_KEYS), "left")
                    .join(side.apply(quarantinedPrs), ScalaSeqs.of(JOIN_KEYS), "left");
            Column noLine = col(H_KNOWN).isNull().and(col(H_PRS_NAT).isNull());
            t = apply(t, List.of(
                    new Check(ORPHAN_DRUG_LINE, noLine.and(col(H_PRS_RULE).isNotNull()),
                            concat(lit("its ER_PRS_F line is quarantined ("), col(H_PRS_RULE), lit(")"))),
                    new Check(ORPHAN_DRUG_LINE, noLine, lit("no ER_PRS_F line with these 9 keys")),
                    new Check(ORPHAN_DRUG_LINE, col(H_PRS_NAT).isNotNull(),
                            concat(lit("its ER_PRS_F line is not a pharmacy claim (PRS_NAT_REF "), show(col(H_PRS_NAT)), lit(")")))))
                    .withColumn(PRS_CARE, greatest(when(col(H_KNOWN).isNotNull(), coalesce(col(EXE_SOI_DTD), NO_CARE_DATE)),
                            col(H_OTHER_CARE), col(H_QUARANTINED_CARE)))
                    .drop(H_KNOWN, H_PRS_NAT, H_PRS_RULE, H_OTHER_CARE, H_QUARANTINED_CARE);
            return apply(t.join(broadcast(drugs), ScalaSeqs.of(List.of(PHA_PRS_C13)), "left"), List.of(
                    new Check(UNKNOWN_CODE, col(H_KNOWN).isNull(),
                            concat(lit("PHA_PRS_C13 "), show(col(PHA_PRS_C13)), lit(" is not in IR_PHA_R"))))).drop(H_KNOWN);
        };

        List<String> sameDrug = new ArrayList<>(DcirRules.prsDescriptiveColumns());
        sameDrug.add(PHA_PRS_C13);
        StoredLines lines;
        clearOtherLayout(dir, months.isPresent());
        if (months.isPresent()) {
            // Reused while IR_PHA_R's codes (in the settings) and the service lines' verdicts are unchanged.
            FluxMonths m = months.get().withSettings("IR_PHA_R codes " + DrugLineDependence.digest(drugs.select(PHA_PRS_C13)));
            BiFunction<Dataset<Row>, SortedSet<YearMonth>, Dataset<Row>> leaveOutThenCheck =
                    (raw, written) -> check.apply(m.leaveOut().apply(raw), Optional.of(written));
            String hash = "_q_judged_hash";
            Dataset<Row> judged = stored.get(SndsTable.ER_PRS_F).judgedHashes(
                    taggedPrs.sparkSession().read().parquet(prsDir.resolve(VERDICTS).toString()), List.of(BSE_REM_MNT),
                    List.of(FLX_DIS_DTD, EXE_SOI_DTD), hash);
            lines = new MonthLines(dir.child(MONTHS)).lines(taggedPrs.sparkSession(), m, leaveOutThenCheck, Optional.empty(),
                    DrugLineDependence.of(judged, hash, m), latestPlausibleFlux, JOIN_KEYS, sameDrug);
        } else {
            lines = StoredLines.write(check.apply(in, Optional.empty()), dir.child(LINES), JOIN_KEYS, sameDrug);
        }
        stored.put(SndsTable.ER_PHA_F, lines);
        Dataset<Row> unmatched = lines.unmatchedRegularisations(PHA_ACT_QSN, UNMATCHED_REGULARISATION);
        return withVerdicts(lines, List.of(unmatched), dir, "9 join keys", PHA_ACT_QSN);
    }

    /** One layout at a time in a flux table's store folder (by month or not): the other's files would only take disk space. */
    private static void clearOtherLayout(Store dir, boolean byMonth) {
        try {
            dir.child(byMonth ? LINES : MONTHS).delete();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + dir.shown(), e);
        }
    }

    /**
     * {@code lines} in {@code months} partitions by flux date, whole months in each, as every side of the
     * drug lines' joins is: Spark then joins them where they are, with no exchange by the 9 keys.
     */
    private static Dataset<Row> byFluxDate(Dataset<Row> lines, int months) {
        return lines.repartition(Math.max(1, months), col(FLX_DIS_DTD));
    }

    /**
     * The stored lines with the verdicts of the checks between lines, stored beside them (they are few,
     * and every later pass reads them), turned into rules and reasons like the row checks'.
     */
    private static Dataset<Row> withVerdicts(StoredLines lines, List<Dataset<Row>> verdicts, Store dir, String key,
                                             String qty) {
        SparkSession spark = lines.lines().sparkSession();
        String stored = dir.resolve(VERDICTS).toString();
        StoredLines.union(verdicts).write().mode(SaveMode.Overwrite).parquet(stored);
        Dataset<Row> t = lines.withVerdicts(spark.read().parquet(stored));
        Column verdict = col(StoredLines.VERDICT);
        return apply(t, List.of(
                new Check(DUPLICATE_KEY, verdict.equalTo(DUPLICATE_KEY.code()),
                        concat(lit(key + " held by "), col(StoredLines.VERDICT_COPIES).cast(DataTypes.StringType),
                                lit(" rows; the first is kept"))),
                new Check(UNMATCHED_REGULARISATION, verdict.equalTo(UNMATCHED_REGULARISATION.code()),
                        concat(lit(qty + " "), show(col(qty)), lit(" cancels no identical original line")))))
                .drop(StoredLines.VERDICT, StoredLines.VERDICT_COPIES, StoredLines.LINE);
    }

    // ---- cross-row checks (among rows still clean) ------------------------------------------

    /**
     * Keeps the first row of each key (ordered on all columns, deterministic); the others are
     * duplicates. For the referentials, small; the flux tables use {@link StoredLines#duplicates}.
     */
    private static Dataset<Row> duplicates(Dataset<Row> t, List<String> key, SndsTable table, String what) {
        List<Column> part = new ArrayList<>();
        for (String k : key) {
            part.add(col(k));
        }
        part.add(col(RULE).isNull());
        Column[] order = allColumns(table);
        // Rank and copies share one partitioning and ordering (the count over the whole frame), so
        // Spark computes both in one window operator: one shuffle and one sort of the table, not two.
        WindowSpec w = Window.partitionBy(part.toArray(Column[]::new)).orderBy(order);
        WindowSpec whole = w.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        Dataset<Row> ranked = t.withColumn(H_RANK, row_number().over(w))
                .withColumn(H_COPIES, count(lit(1)).over(whole));
        return apply(ranked, List.of(new Check(DUPLICATE_KEY, col(H_RANK).gt(1),
                concat(lit(what + " held by "), col(H_COPIES).cast(DataTypes.StringType),
                        lit(" rows; the first is kept"))))).drop(H_RANK, H_COPIES);
    }

    /** Every column of the table, nulls first: the order that decides which copy of a key is kept. */
    private static Column[] allColumns(SndsTable table) {
        return table.columnNames().stream().map(c -> col(c).asc_nulls_first()).toArray(Column[]::new);
    }

    /** Rows whose patient is not among the kept beneficiaries (a broadcast set: no row moves). */
    private static Dataset<Row> unknownBeneficiary(Dataset<Row> t, Dataset<Row> keptBeneficiaries) {
        Dataset<Row> known = knownPatients(keptBeneficiaries).withColumn(H_KNOWN, lit(true));
        return apply(t.join(broadcast(known), ScalaSeqs.of(PATIENT_KEY), "left"), List.of(
                new Check(UNKNOWN_BENEFICIARY, col(H_KNOWN).isNull(),
                        lit("patient not in IR_BEN_R (or quarantined there)")))).drop(H_KNOWN);
    }

    /** The kept beneficiaries' patient keys, each once. */
    private static Dataset<Row> knownPatients(Dataset<Row> keptBeneficiaries) {
        return keptBeneficiaries.select(Columns.named(PATIENT_KEY)).distinct();
    }

    // ---- mechanics -----------------------------------------------------------------------------

    private static Check missingPatient() {
        return new Check(MISSING_PATIENT, blank(col(BEN_NIR_PSA)).or(col(BEN_RNG_GEM).isNull()),
                when(blank(col(BEN_NIR_PSA)), lit("BEN_NIR_PSA is null or blank")).otherwise(lit("BEN_RNG_GEM is null")));
    }

    /** Flux dates before DCIR's first year or after the current month cannot be real fluxes. */
    private Check implausibleFlux() {
        return new Check(IMPLAUSIBLE_FLUX_DATE, not(plausibleFluxDate()),
                concat(lit("flux date FLX_DIS_DTD "), show(col(FLX_DIS_DTD)), lit(" is outside "
                        + config.earliestCareYear() + "-01.." + latestPlausibleFlux)));
    }

    private Column plausibleFluxDate() {
        return year(col(FLX_DIS_DTD)).geq(config.earliestCareYear())
                .and(col(FLX_DIS_DTD).lt(lit(Date.valueOf(latestPlausibleFlux.plusMonths(1).atDay(1)))));
    }

    private Column plausibleFlux(Dataset<Row> raw) {
        Column ok = coalesce(plausibleFluxDate(), lit(false));
        return hasReaderColumns(raw) ? ok.and(col(ExtractReader.INPUT_RULE).isNull()) : ok;
    }

    private static boolean hasReaderColumns(Dataset<Row> in) {
        return Arrays.asList(in.columns()).contains(ExtractReader.INPUT_RULE);
    }

    /** Rows the reader tagged (a value that fits no contract type, a flux date outside its folder) start quarantined. */
    private static Dataset<Row> start(Dataset<Row> in) {
        if (hasReaderColumns(in)) {
            return in.withColumn(RULE, col(ExtractReader.INPUT_RULE)).withColumn(REASON, col(ExtractReader.INPUT_REASON))
                    .drop(ExtractReader.INPUT_RULE, ExtractReader.INPUT_REASON);
        }
        return in.withColumn(RULE, lit(null).cast(DataTypes.StringType))
                .withColumn(REASON, lit(null).cast(DataTypes.StringType));
    }

    /** "COLUMN: found -> expected" for each column the reader coerced (from its metadata). */
    static List<String> coercions(Dataset<Row> in) {
        List<String> out = new ArrayList<>();
        for (org.apache.spark.sql.types.StructField f : in.schema().fields()) {
            if (f.metadata().contains(ExtractReader.COERCED_FROM)) {
                out.add(f.name() + ": " + f.metadata().getString(ExtractReader.COERCED_FROM) + " -> "
                        + f.dataType().simpleString());
            }
        }
        return out;
    }

    /** Tags still-clean rows with the first check they fail; tagged rows keep their first rule. */
    static Dataset<Row> apply(Dataset<Row> t, List<Check> checks) {
        Column rule = when(col(RULE).isNotNull(), col(RULE));
        Column reason = when(col(RULE).isNotNull(), col(REASON));
        for (Check c : checks) {
            Column v = coalesce(c.violated(), lit(false));
            rule = rule.when(v, lit(c.rule().code()));
            reason = reason.when(v, coalesce(c.reason(), lit(c.rule().code())));
        }
        // Reason first: its expression must see the rule column as it was before this step.
        return t.withColumn(REASON, reason).withColumn(RULE, rule);
    }

    private static TableQuality tally(SndsTable table, long rowsIn, Dataset<Row> tagged, List<String> coercions,
                                      List<String> passedOver) {
        List<Row> byRule = tagged.groupBy(col(RULE)).agg(count(lit(1)), min(col(REASON))).collectAsList();
        long kept = 0;
        Map<QuarantineRule, RuleCount> rules = new EnumMap<>(QuarantineRule.class);
        for (Row r : byRule) {
            if (r.isNullAt(0)) {
                kept = r.getLong(1);
            } else {
                QuarantineRule rule = QuarantineRule.valueOf(r.getString(0).toUpperCase(java.util.Locale.ROOT));
                rules.put(rule, new RuleCount(rule, r.getLong(1), r.getString(2)));
            }
        }
        long quarantined = rules.values().stream().mapToLong(RuleCount::rows).sum();
        if (rowsIn != kept + quarantined) {
            // A join multiplied or lost rows: a bug, never bad input.
            throw new IllegalStateException("table " + table + ": " + rowsIn + " rows in but " + kept + " kept + "
                    + quarantined + " quarantined");
        }
        return new TableQuality(table, rowsIn, kept, quarantined, List.copyOf(rules.values()), coercions, passedOver);
    }

    private static Column[] withQuarantineColumns(SndsTable t) {
        List<Column> out = new ArrayList<>(List.of(schemaColumns(t)));
        out.add(col(RULE));
        out.add(col(REASON));
        return out.toArray(Column[]::new);
    }

    private static Column[] schemaColumns(SndsTable t) {
        return Columns.named(t.columnNames());
    }

    private static Column blank(Column c) {
        return c.isNull().or(trim(c).equalTo(""));
    }

    private static Column not(Column c) {
        return org.apache.spark.sql.functions.not(c);
    }

    private static Column show(Column c) {
        return coalesce(c.cast(DataTypes.StringType), lit("null"));
    }

    private static Column quoted(Column c) {
        return when(c.isNull(), lit("null")).otherwise(concat(lit("'"), c.cast(DataTypes.StringType), lit("'")));
    }
}
