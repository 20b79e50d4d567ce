package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.fs.RestrictedAccess;
import fr.atypie.fs.Store;
import fr.atypie.procedure.ProcedureState;
import fr.atypie.procedure.ProcedureStep;
import fr.atypie.procedure.ProcedureTracking;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.MiniHdfs;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * What the weekly run does on the file system, on HDFS: finds the latest flux partition, reads the procedure states
 * the monthly refresh carried, writes a restricted folder and its CSV (rendered locally, copied in), owner-only.
 */
@Isolated("starts a MiniDFSCluster: one at a time in the JVM")
class WeeklyRunHdfsTest {
    @RegisterExtension
    static final MiniHdfs.PerClass HDFS = new MiniHdfs.PerClass();

    @Test
    void theWeeklyRunsFilesWorkOnHdfs() throws IOException {
        AtypieConfig config = ConfigLoader.defaults();
        Store extract = Store.at(HDFS.uri() + "/risk/extract", HDFS.configuration());
        ExtractLayout layout = new ExtractLayout(extract);
        Store prs = layout.table(SndsTable.ER_PRS_F);
        for (String m : List.of("2024-11", "2025-01", "2024-12")) {
            prs.child(ExtractLayout.FLUX_PARTITION + "=" + m).mkdirs().writeText("part-0.parquet", "x");
        }
        prs.child("_temporary").mkdirs();
        assertEquals(Optional.of(YearMonth.of(2025, 1)), WeeklyRun.latestFluxPartition(layout));
        assertEquals(Optional.empty(), WeeklyRun.latestFluxPartition(new ExtractLayout(
                Store.at(HDFS.uri() + "/risk/unpartitioned", HDFS.configuration()))));

        // The states of the month before, when the week's month has none; only those under a step count.
        Store work = Store.at(HDFS.uri() + "/risk/work", HDFS.configuration());
        ProcedureTracking.write(ProcedureTracking.stateFile(work, YearMonth.of(2024, 12)), List.of(
                state("H1", ProcedureStep.MSO), state("H2", ProcedureStep.EC)));
        Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), 1);
        assertEquals(List.of("H1"), List.copyOf(WeeklyRun.underProcedure(work, YearMonth.of(2025, 1), progress).keySet()));
        assertEquals(List.of(), List.copyOf(WeeklyRun.underProcedure(work, YearMonth.of(2025, 3), progress).keySet()));

        RestrictedAccess access = RestrictedAccess.from(config.publish().restrictedGroup());
        Store folder = access.directory(Store.at(HDFS.uri() + "/risk/signals", HDFS.configuration()).child("week-ending-2024-12-31"));
        var rows = SharedSpark.get().createDataFrame(List.of(RowFactory.create("034", 60, 12L), RowFactory.create("011", 90, 15L)),
                new StructType().add("dept", DataTypes.StringType).add("day", DataTypes.IntegerType)
                        .add("insured", DataTypes.LongType));
        assertEquals(2, ProcedureOutputs.writeCsv(folder, "arrets-longs.csv", rows, List.of("dept", "day"),
                fr.atypie.publish.ColumnLabels.of("dept", "Département", "day", "Jour", "insured", "Assurés"), config));
        access.protect(folder);
        String csv = folder.readText("arrets-longs.csv").orElseThrow();
        assertEquals(List.of("\uFEFFDépartement;Jour;Assurés", "011;90;15", "034;60;12"), csv.lines().toList());
        assertEquals("rwx------", folder.fs().getFileStatus(folder.root()).getPermission().toString());
        assertEquals("rw-------", folder.fs().getFileStatus(folder.resolve("arrets-longs.csv")).getPermission().toString());
        assertFalse(folder.isLocal());
    }

    static ProcedureState state(String p, ProcedureStep step) {
        return new ProcedureState(p, ProcedureTracking.SICK_LEAVE, YearMonth.of(2024, 12), step,
                Optional.of(YearMonth.of(2024, 11)), step == ProcedureStep.EC ? Optional.empty() : Optional.of(YearMonth.of(2025, 2)),
                true, true, 100.0, null, false, false, "r", "n");
    }
}
