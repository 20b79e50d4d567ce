package fr.atypie.quality;

import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.ConfigError;
import fr.atypie.config.ConfigLoader;
import fr.atypie.refresh.MonthlyRefresh;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.Nomenclatures;
import fr.atypie.snds.PrestationCodes;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DecimalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PRS_NAT_REF and specialties are checked against the full nomenclatures, not against the job's selections. */
class NomenclatureValidationTest {

    @Test
    void everyNatureOfIrNatVValidatesAndAnAbsentCodeIsQuarantinedByName() {
        Set<Integer> natures = Nomenclatures.packaged().natures();
        assertEquals(1348, natures.size());
        List<SndsFixture> lines = new ArrayList<>();
        int key = 0;
        for (int nature : natures) {
            // Prescribed by D1, seen by D1, sickness risk: every nature the job selects has what it needs.
            lines.add(prs().keys(++key).with(PRS_NAT_REF, nature));
        }
        lines.add(prs().keys(++key).with(PRS_NAT_REF, 1));
        Map<SndsTable, Dataset<Row>> extract = SndsFixture.extract(lines.toArray(SndsFixture[]::new));
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes()).validate(extract);
        TableQuality q = v.report().table(SndsTable.ER_PRS_F);
        assertEquals(1349, q.rowsIn());
        assertEquals(1348, q.kept());
        assertEquals(1, q.count(QuarantineRule.UNKNOWN_CODE));
        assertEquals(List.of("PRS_NAT_REF 1 is not a nature of service of IR_NAT_V"), v.quarantine(SndsTable.ER_PRS_F)
                .select(QuarantineColumns.REASON).as(Encoders.STRING()).collectAsList());
        // A majoration the job does not select (MPC) is among the kept lines.
        assertEquals(1, v.kept(SndsTable.ER_PRS_F).filter(col(PRS_NAT_REF).equalTo(1116)).count());
    }

    @Test
    void theExtractsOwnNomenclatureWinsAndTheJobsSelectionsAreCheckedAgainstIt(@TempDir Path root) {
        // The extract's IR_NAT_V as an Oracle export: the job's natures and MPC, PRS_NAT as decimal.
        TreeSet<Integer> own = new TreeSet<>();
        own.addAll(SndsFixture.codes().selectedNatures());
        own.add(1116);
        SharedSpark.get().createDataset(new ArrayList<>(own), Encoders.INT()).toDF("PRS_NAT")
                .select(col("PRS_NAT").cast(new DecimalType(4, 0)).as("prs_nat"))
                .write().parquet(root.resolve(Nomenclatures.NATURES_TABLE).toString());
        Nomenclatures n = Nomenclatures.of(SharedSpark.get(), new ExtractLayout(root));
        assertEquals(own, n.natures());
        assertEquals(Nomenclatures.packaged().specialties(), n.specialties());
        // The event store is fingerprinted with the codes (other codes, a full rebuild), not with where they were read.
        assertNotEquals(MonthlyRefresh.eventSettings(ConfigLoader.defaults(), Nomenclatures.packaged()),
                MonthlyRefresh.eventSettings(ConfigLoader.defaults(), n));
        assertEquals(MonthlyRefresh.eventSettings(ConfigLoader.defaults(), n), MonthlyRefresh.eventSettings(
                ConfigLoader.defaults(), new Nomenclatures(own, Nomenclatures.packaged().specialties(), "elsewhere")));
        ValidatedExtract v = new Validator(ConfigLoader.defaults().quality(), SndsFixture.codes(), n).validate(SndsFixture.extract(
                prs().keys(1).with(PRS_NAT_REF, 1116), prs().keys(2).with(PRS_NAT_REF, 1092)));
        assertEquals(1, v.report().table(SndsTable.ER_PRS_F).kept());
        assertEquals(1, v.report().table(SndsTable.ER_PRS_F).count(QuarantineRule.UNKNOWN_CODE));

        Set<Integer> withoutTaxis = new TreeSet<>(own);
        withoutTaxis.remove(PrestationCodes.TRANSPORT_TAXI);
        ConfigError e = assertThrows(ConfigError.class, () -> new Validator(ConfigLoader.defaults().quality(),
                SndsFixture.codes(), new Nomenclatures(withoutTaxis, n.specialties(), "test")));
        assertEquals("atypie.dcir.codes.transports: 4214 is not a nature of service of IR_NAT_V (checked against test)",
                e.getMessage());
    }
}
