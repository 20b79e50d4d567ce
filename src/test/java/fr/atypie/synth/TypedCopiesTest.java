package fr.atypie.synth;

import static fr.atypie.snds.SndsColumns.PRS_NAT_REF;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.IngestionResult;
import fr.atypie.quality.QualityReportFormat;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.ExtractReader;
import fr.atypie.snds.FluxSelection;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A small generated extract (with its nomenclatures and, at DCIR-like shares, lines of natures the
 * job does not use), its Oracle-typed and its SAS-typed copies publish the same rows and values; its
 * copy out of a Hive warehouse reads as the same rows.
 * Shown in two parts:
 * <ul>
 *   <li>the reader gives every table of each copy (claims, referentials, nomenclatures) as the very
 *       rows of the generated extract, coerced to the contract types, none tagged;</li>
 *   <li>each copy, validated and typed as a refresh does, gives the same events and the same kept and
 *       quarantined lines, and those are not empty: what a refresh publishes is computed from them,
 *       whatever the physical types and file layout read.</li>
 * </ul>
 * (Refreshing both copies and comparing their publications, as this test did before, cost 114 s
 * of the suite's time, mostly fixed Spark overhead of two refreshes, for no further cover.)
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
class TypedCopiesTest {
    @Test
    void oracleSasAndHiveCopiesPublishTheSameRowsAndValues(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("tiny.conf"), """
                atypie.synth { scale = 0.001, months = 4, first-month = "2024-01", extra-flux-months = 1,
                  campaign.enabled = false, mess.other-lines-per-claim = 1.5 }
                atypie.indicators.window-months = 3
                atypie.atypie { activity-bands = [0], min-patients = 10 }
                """);
        AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
        GenerationSummary s = ExtractGenerator.generate(config.synth(), dir.resolve("data"));
        Path oracle = dir.resolve("oracle");
        Path sas = dir.resolve("sas");
        TypedCopy.write(SharedSpark.get(), s.extract(), oracle, TypedCopy.Flavour.ORACLE);
        TypedCopy.write(SharedSpark.get(), s.extract(), sas, TypedCopy.Flavour.SAS);
        Path hive = dir.resolve("hive");
        TypedCopy.write(SharedSpark.get(), s.extract(), hive, TypedCopy.Flavour.HIVE);
        Path hiveLines = hive.resolve("er_prs_f").resolve("flux_month=2024-02").resolve("000000_0");
        Dataset<Row> hiveRead = SharedSpark.get().read().parquet(hiveLines.toString());
        assertEquals(DataTypes.BinaryType, hiveRead.schema().apply("ben_nir_psa").dataType());
        // Paris's midnight of 1 February in UTC: the 31st of January at 23:00.
        assertEquals(List.of("2024-01-31 23:00:00"), hiveRead.select(col("flx_dis_dtd").cast(DataTypes.StringType)).distinct()
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        assertEquals(new DecimalType(10, 0), SharedSpark.get().read().parquet(oracle.resolve("ER_PRS_F").toString())
                .schema().apply(PRS_NAT_REF).dataType());
        assertEquals(DataTypes.TimestampType, SharedSpark.get().read().parquet(sas.resolve("ER_PRS_F").toString())
                .schema().apply("exe_soi_dtd").dataType());
        // The SAS copy's referential dates are day counts since 1960 (doubles): read back as the same days (1).
        assertEquals(DataTypes.DoubleType, SharedSpark.get().read().parquet(sas.resolve("IR_IMB_R").toString())
                .schema().apply("imb_ald_dtd").dataType());
        // At mess.other-lines-per-claim = 1.5 the job's own natures are a minority of the lines, as in DCIR.
        Dataset<Row> lines = SharedSpark.get().read().parquet(s.extract().resolve("ER_PRS_F").toString());
        long selected = lines.filter(col(PRS_NAT_REF).isin(config.dcir().codes().selectedNatures().toArray())).count();
        assertTrue(selected < lines.count() / 2, selected + " of " + lines.count() + " lines of the job's natures");

        // 1. Read as the contract says, every table of each copy is the generated extract's.
        Map<SndsTable, Dataset<Row>> generated = new ExtractReader(SharedSpark.get(), new ExtractLayout(s.extract()))
                .readAll(FluxSelection.ALL);
        Map<SndsTable, List<String>> expected = new java.util.EnumMap<>(SndsTable.class);
        generated.forEach((t, rows) -> expected.put(t, rows(rows)));
        for (Path copy : List.of(oracle, sas, hive)) {
            Map<SndsTable, Dataset<Row>> read = new ExtractReader(SharedSpark.get(), new ExtractLayout(copy)).readAll(FluxSelection.ALL);
            for (SndsTable t : SndsTable.values()) {
                // With the reader's rule and reason columns: null on every row, as on the generated extract's.
                assertEquals(expected.get(t), rows(read.get(t)), copy + " " + t);
            }
        }
        Nomenclatures n = Nomenclatures.of(SharedSpark.get(), new ExtractLayout(s.extract()));
        for (Path copy : List.of(oracle, sas, hive)) {
            Nomenclatures c = Nomenclatures.of(SharedSpark.get(), new ExtractLayout(copy));
            assertEquals(n.natures(), c.natures(), copy.toString());
            assertEquals(n.specialties(), c.specialties(), copy.toString());
            assertTrue(c.source().contains("the extract's"), c.source());
        }

        // 2. Each copy validated and typed into events as a refresh does: the same events, and the same
        // kept and quarantined lines of every table. All a refresh publishes is computed from these (the
        // events and the kept referentials), so the publication follows; the quality reports differ only
        // by the coercions they list. The Oracle copy is validated without a store; the SAS copy as a
        // monthly refresh validates it, its service and drug lines kept by flux month (flux dates there
        // are timestamps, codes doubles): the first run checks and writes every month, the second reads
        // them all back. Both runs give the Oracle run's lines and events, so this shows at once that the
        // types change nothing and that the stored months change nothing (a validation of the SAS copy
        // without a store, as this test ran before, cost a fifth of its CPU).
        IngestionResult fromOracle = Ingestion.run(SharedSpark.get(), new ExtractLayout(oracle), config);
        // Each table collected once: an event table is a lazy plan over the validated lines.
        Map<EventTable, List<String>> events = new java.util.EnumMap<>(EventTable.class);
        for (EventTable t : EventTable.values()) {
            events.put(t, rows(fromOracle.events(t)));
        }
        assertTrue(events.get(EventTable.CONSULTATIONS).size() > 100);
        assertTrue(events.get(EventTable.DISPENSATIONS).size() > 100);
        Map<SndsTable, List<String>> kept = new java.util.EnumMap<>(SndsTable.class);
        Map<SndsTable, List<String>> quarantined = new java.util.EnumMap<>(SndsTable.class);
        for (SndsTable t : SndsTable.values()) {
            kept.put(t, rows(fromOracle.validation().kept(t)));
            quarantined.put(t, rows(fromOracle.quarantine(t)));
        }
        fr.atypie.fs.Store monthStore = fr.atypie.fs.Store.local(dir.resolve("lines"));
        for (int run = 1; run <= 2; run++) {
            IngestionResult fromSas = Ingestion.run(SharedSpark.get(), new ExtractLayout(sas), config, Optional.empty(),
                    Optional.empty(), Optional.of(monthStore), Optional.of("typed copies"), false);
            // Every table and event table on the run that checks the months; the flux tables and the
            // consultations on the run that reads them back.
            for (SndsTable t : run == 1 ? List.of(SndsTable.values()) : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
                assertEquals(kept.get(t), rows(fromSas.validation().kept(t)), t + " kept, run " + run);
                assertEquals(quarantined.get(t), rows(fromSas.quarantine(t)), t + " quarantined, run " + run);
            }
            for (EventTable t : run == 1 ? List.of(EventTable.values()) : List.of(EventTable.CONSULTATIONS)) {
                assertEquals(events.get(t), rows(fromSas.events(t)), t + ", run " + run);
            }
            if (run == 1) {
                for (Path copy : List.of(oracle, sas)) {
                    String report = QualityReportFormat.text((copy == oracle ? fromOracle : fromSas).qualityReport(),
                            copy.toString());
                    // Lines of natures the job does not select pass validation: none is an unknown code.
                    assertTrue(!report.contains("unknown_code"), report);
                    assertTrue(report.contains("    coerced PRS_NAT_REF: " + (copy == oracle ? "decimal(10,0)" : "double")
                            + " -> int"), report);
                    assertEquals(copy == sas, report.contains("    coerced IMB_ALD_DTD: double -> date"), report);
                }
            }
        }
        // Five flux months (four of care, one of late lines), every one written by the first run and
        // read back by the second: the second wrote no generation.
        for (SndsTable t : List.of(SndsTable.ER_PRS_F, SndsTable.ER_PHA_F)) {
            assertEquals(Map.of("2024-01", 1, "2024-02", 1, "2024-03", 1, "2024-04", 1, "2024-05", 1),
                    fr.atypie.testing.StoredLineMonths.generations(monthStore, t), t.name());
        }
    }

    private static List<String> rows(Dataset<Row> table) {
        return table.collectAsList().stream().map(Row::toString).sorted().toList();
    }
}
