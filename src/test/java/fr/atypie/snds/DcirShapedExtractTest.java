package fr.atypie.snds;

import static fr.atypie.events.EventColumns.AGE;
import static fr.atypie.events.EventColumns.ALD;
import static fr.atypie.events.EventColumns.BOXES;
import static fr.atypie.events.EventColumns.HOSPITAL_PRESCRIPTION;
import static fr.atypie.events.EventColumns.PAID_DAYS;
import static fr.atypie.events.EventColumns.PATIENT;
import static fr.atypie.events.EventColumns.PRESCRIBER;
import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ald;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.pra;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.ConfigLoader;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.IngestionResult;
import fr.atypie.quality.QuarantineColumns;
import fr.atypie.quality.TableQuality;
import fr.atypie.testing.SharedSpark;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A small extract written by hand the way real DCIR exports arrive, not the way the generator
 * writes them: one plain folder per table (no flux partitions), extra columns of the real tables,
 * names upper, lower or mixed case, service and drug lines typed as an Oracle export (NUMBER as
 * decimals, DATE as timestamps), beneficiaries and ALD periods as a SAS export (doubles,
 * timestamps), practitioners and drugs as a CSV converted to Parquet (text). Its lines come from
 * across IR_NAT_V (biology, nursing, dental, CCAM, majorations with CPL_MAJ_TOP = 2, a hospital
 * outpatient line with DPN_QLF = 71, a hospital prescription with ETB_PRE_FIN and no PFS_PRE_NUM),
 * with twins and an infant's age in months (BEN_AMA_COD). Mixed in are rows like the Health Data
 * Hub's public synthetic SNDS samples (dates in 1913 or 1974, random strings, codes that are no
 * codes): each is quarantined with its own reason, the run goes on, and the good rows give exactly
 * the events computed by hand.
 */
@Isolated("sets session settings for a while")
class DcirShapedExtractTest {
    @TempDir
    static Path root;
    private static IngestionResult result;

    @BeforeAll
    static void ingest() {
        // Care in February 2024, flux March 2024; patient P1 (born 1958, ALD), twins T1 ranks 1 and 2.
        SndsFixture line = prs().with(BEN_NAI_ANN, "1958").with(PRS_NAT_REF, 1110);
        SndsFixture twin = line.with(BEN_NIR_PSA, "T1").with(BEN_NAI_ANN, "2023").with(BEN_AMA_COD, 1008)
                .with(BEN_RES_DPT, "031");
        Dataset<Row> prs = SndsFixture.df(SndsTable.ER_PRS_F,
                line.keys(1),                                                        // G of P1 by D1
                line.keys(2).with(PRS_NAT_REF, 1116).with(CPL_MAJ_TOP, 2).with(BSE_REM_MNT, 5.0),   // MPC
                line.keys(3).with(CPL_MAJ_TOP, 2).with(BSE_REM_MNT, 2.0),            // majoration coded G
                line.keys(4).with(PRS_NAT_REF, 3211).with(PFS_EXE_NUM, "LAB1").with(BSE_REM_MNT, 14.2), // biology
                line.keys(5).with(PRS_NAT_REF, 3111).with(PFS_EXE_NUM, "IDE1").with(BSE_REM_MNT, 9.5),  // nursing AMI
                line.keys(6).with(PRS_NAT_REF, 1451).with(PFS_EXE_NUM, "DEN1").with(PFS_PRE_NUM, null)
                        .with(PSP_SPE_COD, null).with(BSE_REM_MNT, 21.0),           // dental care
                line.keys(7).with(PRS_NAT_REF, 1111).with(PFS_EXE_NUM, "340780477").with(DPN_QLF, 71), // outpatient
                line.keys(8).with(PRS_NAT_REF, 3313).with(PFS_EXE_NUM, "PH1").with(PFS_PRE_NUM, null)
                        .with(PSP_SPE_COD, null).with(ETB_PRE_FIN, "340780477").with(BSE_REM_MNT, 12.0), // hospital Rx
                twin.keys(9).with(BEN_SEX_COD, 2),
                twin.keys(10).with(BEN_RNG_GEM, 2),
                line.keys(11).with(PRS_NAT_REF, 6111).with(PFS_EXE_NUM, null).with(EXE_SOI_DTD, d("2024-02-01"))
                        .with(EXE_SOI_DTF, d("2024-02-10")).with(PRS_ACT_QTE, 10.0).with(PRS_ACT_NBR, 10.0)
                        .with(BSE_REM_MNT, 300.0),                                  // 10 IJ days
                line.keys(12).with(PRS_NAT_REF, 1352).with(PFS_EXE_NUM, "D2").with(BSE_REM_MNT, 69.1), // CCAM act
                // Health Data Hub-like rows.
                line.keys(101).with(FLX_DIS_DTD, d("1974-10-21")).with(FLX_TRT_DTD, d("2018-02-13"))
                        .with(BEN_NIR_PSA, "ZGgyhJhsTIquZiIjE").with(BEN_RNG_GEM, 4).with(BEN_AMA_COD, 1000)
                        .with(BEN_RES_DPT, "003").with(PRS_NAT_REF, 1092).with(EXE_SOI_DTD, d("1988-02-20"))
                        .with(EXE_SOI_DTF, d("1914-06-23")).with(PFS_EXE_NUM, "YBaPS").with(PFS_PRE_NUM, "YBaPS")
                        .with(ETB_PRE_FIN, "wsOgc").with(PRS_ACT_QTE, 153.22).with(RGO_ASU_NAT, 40).with(DPN_QLF, 35)
                        .with(IJR_RVL_NAT, "SM"),
                line.keys(102).with(BEN_NIR_PSA, "bcMDhfNxzEWXEBuHy").with(BEN_RNG_GEM, 8).with(PRS_NAT_REF, 0)
                        .with(EXE_SOI_DTD, d("1913-10-16")).with(EXE_SOI_DTF, d("1927-05-27")),
                line.keys(103).with(PRS_NAT_REF, 9998),
                line.keys(104).with(BEN_NIR_PSA, "LliGbdTtjdwtpRVbk"),
                line.keys(105).with(PRS_NAT_REF, 6112).with(RGO_ASU_NAT, 80));
        Dataset<Row> pha = SndsFixture.df(SndsTable.ER_PHA_F,
                pha(8).with(PHA_ACT_QSN, 2),
                pha(106).with(FLX_DIS_DTD, d("1974-11-07")).with(PHA_PRS_C13, 3400921605068L),
                pha(107).with(PHA_PRS_C13, 3400921604818L));
        Dataset<Row> ben = SndsFixture.df(SndsTable.IR_BEN_R,
                ben("P1").with(BEN_NAI_ANN, "1958"),
                ben("T1").with(BEN_NAI_ANN, "2023").with(BEN_SEX_COD, 2).with(BEN_RES_DPT, "031"),
                ben("T1").with(BEN_RNG_GEM, 2).with(BEN_NAI_ANN, "2023").with(BEN_RES_DPT, "031"),
                ben("fvROSurjXIfxJwEop").with(BEN_RNG_GEM, 5).with(BEN_NAI_ANN, "2028").with(BEN_SEX_COD, 9),
                ben("oSrnDNBgmCrvLrSiZ").with(BEN_NAI_ANN, "1943").with(BEN_SEX_COD, 0),
                ben("EZYHWLIARxwkPaoaj").with(BEN_RNG_GEM, 2).with(BEN_NAI_ANN, "1988")
                        .with(BEN_DCD_DTE, d("1964-06-28")),
                ben("HzJkUpDOJvJGLqoJS").with(BEN_RES_DPT, "007"));
        Dataset<Row> imb = SndsFixture.df(SndsTable.IR_IMB_R,
                ald("P1", "2015-01-01", "1600-01-01"),
                ald("LliGbdTtjdwtpRVbk", "1939-02-16", "1964-04-20"),
                ald("fvROSurjXIfxJwEop", "1932-02-14", "1929-08-27").with(BEN_RNG_GEM, 5));
        Dataset<Row> pra = SndsFixture.df(SndsTable.DA_PRA_R, pra("D1", "1"), pra("D2", "22"),
                pra("xpEXSrO", "nm"), pra("wg", ""));
        Dataset<Row> drugs = SndsFixture.df(SndsTable.IR_PHA_R, SndsFixture.drug(SndsFixture.CIP, "J01CA04"),
                SndsFixture.drug(9406948L, "A10BA02"));

        write(export(prs, DcirShapedExtractTest::oracle, n -> n, Map.of("PRS_REJ_TOP", lit(0).cast(new DecimalType(1, 0)),
                "EXE_SOI_AMD", lit("202402"), "BSE_PRS_NAT", col(PRS_NAT_REF).cast(new DecimalType(4, 0)),
                "ORG_CLE_NEW", lit("01C731221"), "PSE_SPE_COD", lit(0).cast(new DecimalType(2, 0)))), root, SndsTable.ER_PRS_F);
        write(export(pha, DcirShapedExtractTest::oracle, n -> n, Map.of("PHA_ORD_NUM", lit(1).cast(new DecimalType(3, 0)),
                "PHA_ACT_PRU", lit(4.15).cast(new DecimalType(38, 10)))), root, SndsTable.ER_PHA_F);
        // SAS holds the birth year as a number too.
        write(export(ben, DcirShapedExtractTest::sas, n -> n.toLowerCase(Locale.ROOT), Map.of("ben_nai_moi", lit(6.0),
                "ben_cdi_nir", lit("00"))).withColumn("ben_nai_ann", col("ben_nai_ann").cast(DataTypes.DoubleType)),
                root, SndsTable.IR_BEN_R);
        write(export(imb, DcirShapedExtractTest::sas, DcirShapedExtractTest::mixedCase, Map.of("Imb_Etm_Nat", lit(41.0),
                "Med_Ncl_Idt", lit("CIM10"))), root, SndsTable.IR_IMB_R);
        write(export(pra, t -> DataTypes.StringType, n -> n, Map.of("EXC_EXC_NAT", lit("LIBERAL"), "PRA_MEP_COD", lit("40"))),
                root, SndsTable.DA_PRA_R);
        // A CIP code that is a random string, as in the public samples: only a text column can hold it.
        Dataset<Row> drugText = export(drugs, t -> DataTypes.StringType, n -> n, Map.of());
        drugText = drugText.union(SharedSpark.get().createDataFrame(List.of(RowFactory.create("wsOgc", "YBaPS", "J01",
                "G9", "2", "1.0")), drugText.schema()));
        write(drugText, root, SndsTable.IR_PHA_R);

        result = Ingestion.run(SharedSpark.get(), new ExtractLayout(root), ConfigLoader.defaults());
    }

    @Test
    void everyNonsenseRowIsQuarantinedWithItsReasonAndEveryRealRowIsKept() {
        String now = YearMonth.now(ZoneOffset.UTC).toString();
        assertEquals(List.of(
                "101 implausible_flux_date: flux date FLX_DIS_DTD 1974-10-21 is outside 2006-01.." + now,
                "102 impossible_date: care date 1913-10-16 is before 2006",
                "103 unknown_code: PRS_NAT_REF 9998 is not a nature of service of IR_NAT_V",
                "104 unknown_beneficiary: patient not in IR_BEN_R (or quarantined there)",
                "105 unknown_code: RGO_ASU_NAT 80 is not an insurance nature of IJ [10, 30, 40, 41]"),
                quarantine(SndsTable.ER_PRS_F, DCT_ORD_NUM));
        assertEquals(List.of(
                "106 implausible_flux_date: flux date FLX_DIS_DTD 1974-11-07 is outside 2006-01.." + now,
                "107 orphan_drug_line: no ER_PRS_F line with these 9 keys"), quarantine(SndsTable.ER_PHA_F, DCT_ORD_NUM));
        assertEquals(List.of(
                "EZYHWLIARxwkPaoaj impossible_date: death date 1964-06-28 is before birth year 1988",
                "HzJkUpDOJvJGLqoJS unknown_code: BEN_RES_DPT '007' is not a department of the region "
                        + "009 011 012 030 031 032 034 046 048 065 066 081 082",
                "fvROSurjXIfxJwEop impossible_date: birth year 2028 is after the latest flux month 2024-03",
                "oSrnDNBgmCrvLrSiZ unknown_code: BEN_SEX_COD 0 is not 1 or 2"), quarantine(SndsTable.IR_BEN_R, BEN_NIR_PSA));
        assertEquals(List.of(
                "LliGbdTtjdwtpRVbk unknown_beneficiary: patient not in IR_BEN_R (or quarantined there)",
                "fvROSurjXIfxJwEop impossible_date: IMB_ALD_DTF 1929-08-27 is before IMB_ALD_DTD 1932-02-14"),
                quarantine(SndsTable.IR_IMB_R, BEN_NIR_PSA));
        assertEquals(List.of("wg unknown_code: PFS_PRA_SPE '' is not a specialty of IR_SPE_V",
                "xpEXSrO unknown_code: PFS_PRA_SPE 'nm' is not a specialty of IR_SPE_V"), quarantine(SndsTable.DA_PRA_R, PFS_PFS_NUM));
        assertEquals(List.of("9406948 unknown_code: PHA_CIP_C13 9406948 is not a 13-digit CIP code",
                "null uncoercible_value: PHA_CIP_C13 wsOgc (string) does not fit bigint"), quarantine(SndsTable.IR_PHA_R, PHA_CIP_C13));

        // Rows in = kept + quarantined; kept: the 12 real service lines, 1 drug line, 3 beneficiaries...
        Map<SndsTable, long[]> expected = Map.of(SndsTable.ER_PRS_F, new long[] {17, 12}, SndsTable.ER_PHA_F, new long[] {3, 1},
                SndsTable.IR_BEN_R, new long[] {7, 3}, SndsTable.IR_IMB_R, new long[] {3, 1},
                SndsTable.DA_PRA_R, new long[] {4, 2}, SndsTable.IR_PHA_R, new long[] {3, 1});
        for (SndsTable t : SndsTable.values()) {
            TableQuality q = result.validation().report().table(t);
            assertEquals(expected.get(t)[0], q.rowsIn(), t.name());
            assertEquals(expected.get(t)[1], q.kept(), t.name());
        }
        // What was coerced from each export's types is reported.
        List<String> coerced = result.validation().report().table(SndsTable.ER_PRS_F).coercions();
        assertTrue(coerced.containsAll(List.of("PRS_NAT_REF: decimal(10,0) -> int", "EXE_SOI_DTD: timestamp -> date",
                "BSE_REM_MNT: decimal(38,10) -> double")), coerced.toString());
        assertTrue(result.validation().report().table(SndsTable.IR_BEN_R).coercions().contains("BEN_NAI_ANN: double -> string"));
        assertTrue(result.validation().report().table(SndsTable.IR_PHA_R).coercions().contains("PHA_CIP_C13: string -> bigint"));
    }

    @Test
    void theRealRowsGiveTheEventsComputedByHand() {
        // Consultations: G of P1 (66 years old, ALD) and of each twin (8 months old: age 0), two patients.
        // The MPC, the majoration coded G, the outpatient C (DPN_QLF 71), biology, nursing, dental and
        // CCAM lines make none.
        assertEquals(List.of("P1:1 D1 66 true", "T1:1 D1 0 false", "T1:2 D1 0 false"),
                events(EventTable.CONSULTATIONS, PATIENT, PRESCRIBER, AGE, ALD));
        assertEquals(List.of("P1:1 D1 10.0"), events(EventTable.SICK_LEAVE_PERIODS, PATIENT, PRESCRIBER, PAID_DAYS));
        // The hospital prescription: no prescribing doctor, the hospital's FINESS instead.
        assertEquals(List.of("P1:1 null 2 true"), events(EventTable.DISPENSATIONS, PATIENT, PRESCRIBER, BOXES,
                HOSPITAL_PRESCRIPTION));
        assertEquals(0, result.events().get(EventTable.TRANSPORTS).count());
    }

    private static List<String> quarantine(SndsTable t, String id) {
        return result.validation().quarantine(t).collectAsList().stream()
                .map(r -> r.getAs(id) + " " + r.getAs(QuarantineColumns.RULE) + ": " + r.getAs(QuarantineColumns.REASON))
                .sorted().toList();
    }

    private static List<String> events(EventTable t, String... columns) {
        return result.events().get(t).select(Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new))
                .collectAsList().stream()
                .map(r -> String.join(" ", java.util.stream.IntStream.range(0, columns.length)
                        .mapToObj(i -> String.valueOf(r.get(i))).toList()))
                .sorted().toList();
    }

    /** The table as an export writes it: each contract column in {@code type}'s type and {@code name}'s spelling, then the extra columns. */
    private static Dataset<Row> export(Dataset<Row> contract, UnaryOperator<DataType> type, Function<String, String> name,
                                       Map<String, Column> extra) {
        List<Column> cols = new ArrayList<>();
        for (StructField f : contract.schema().fields()) {
            cols.add(col(f.name()).cast(type.apply(f.dataType())).as(name.apply(f.name())));
        }
        new java.util.TreeMap<>(extra).forEach((n, c) -> cols.add(c.as(n)));
        return contract.select(cols.toArray(Column[]::new));
    }

    /** Oracle NUMBER columns arrive as decimals, DATE columns as timestamps. */
    private static DataType oracle(DataType t) {
        if (t.equals(DataTypes.IntegerType)) {
            return new DecimalType(10, 0);
        }
        if (t.equals(DataTypes.LongType)) {
            return new DecimalType(19, 0);
        }
        if (t.equals(DataTypes.DoubleType)) {
            return new DecimalType(38, 10);
        }
        return t.equals(DataTypes.DateType) ? DataTypes.TimestampType : t;
    }

    /** SAS has numbers (doubles) and texts; dates arrive as timestamps. */
    private static DataType sas(DataType t) {
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)) {
            return DataTypes.DoubleType;
        }
        return t.equals(DataTypes.DateType) ? DataTypes.TimestampType : t;
    }

    /** BEN_NIR_PSA → Ben_Nir_Psa. */
    private static String mixedCase(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("_")) {
            b.append(b.length() == 0 ? "" : "_").append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    /**
     * A plain folder per table, as an export leaves it (two part files for the service lines). The
     * SNDS "no end" date 1600-01-01 is written as it is (proleptic calendar), as non-legacy tools do.
     */
    private static void write(Dataset<Row> table, Path root, SndsTable t) {
        List<String> rebase = List.of("spark.sql.parquet.datetimeRebaseModeInWrite", "spark.sql.parquet.int96RebaseModeInWrite");
        List<String> before = rebase.stream().map(k -> SharedSpark.get().conf().get(k)).toList();
        rebase.forEach(k -> SharedSpark.get().conf().set(k, "CORRECTED"));
        try {
            table.repartition(t == SndsTable.ER_PRS_F ? 2 : 1).write().parquet(new ExtractLayout(root).tableDir(t).toString());
        } finally {
            for (int i = 0; i < rebase.size(); i++) {
                SharedSpark.get().conf().set(rebase.get(i), before.get(i));
            }
        }
    }
}
