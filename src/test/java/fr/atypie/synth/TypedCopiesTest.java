package fr.atypie.synth;

import static fr.atypie.snds.SndsColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.events.EventTable;
import fr.atypie.events.Ingestion;
import fr.atypie.events.IngestionResult;
import fr.atypie.quality.QuarantineRule;
import fr.atypie.snds.ExtractLayout;
import fr.atypie.snds.PrestationCodes;
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

/**
 * A tiny generated extract (with its nomenclatures and lines of natures the job does not use),
 * its Oracle-typed and its SAS-typed copies: all three validate alike and give the same events,
 * row for row, so every stage after them publishes the same values.
 */
class TypedCopiesTest {

    @Test
    void oracleAndSasTypedCopiesGiveTheSameEvents(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("tiny.conf"), """
                atypie.synth { scale = 0.0004, months = 4, first-month = "2024-01", extra-flux-months = 1,
                  campaign.enabled = false, mess.other-lines-per-claim = 1.5 }
                """);
        AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
        GenerationSummary s = ExtractGenerator.generate(config.synth(), dir.resolve("data"));
        Path oracle = dir.resolve("oracle");
        Path sas = dir.resolve("sas");
        TypedCopy.write(SharedSpark.get(), s.extract(), oracle, TypedCopy.Flavour.ORACLE);
        TypedCopy.write(SharedSpark.get(), s.extract(), sas, TypedCopy.Flavour.SAS);
        assertEquals(new DecimalType(10, 0), SharedSpark.get().read().parquet(oracle.resolve("ER_PRS_F").toString())
                .schema().apply(PRS_NAT_REF).dataType());
        assertEquals(DataTypes.TimestampType, SharedSpark.get().read().parquet(sas.resolve("ER_PRS_F").toString())
                .schema().apply("exe_soi_dtd").dataType());

        IngestionResult base = Ingestion.run(SharedSpark.get(), new ExtractLayout(s.extract()), config);
        // Lines of natures the job does not select pass validation: none is an unknown code.
        assertEquals(0, base.validation().report().table(SndsTable.ER_PRS_F).count(QuarantineRule.UNKNOWN_CODE));
        Dataset<Row> kept = base.validation().kept(SndsTable.ER_PRS_F);
        long selected = kept.filter(col(PRS_NAT_REF).isin(config.dcir().codes().selectedNatures().toArray())).count();
        assertTrue(selected < kept.count() / 2, selected + " of " + kept.count() + " lines of the job's natures");
        assertTrue(kept.filter(col(DPN_QLF).equalTo(PrestationCodes.INFORMATION_ONLY)).count() > 0);
        assertTrue(kept.filter(col(PFS_PRE_NUM).isNull().and(col(ETB_PRE_FIN).isNotNull())).count() > 0);
        assertTrue(kept.filter(col(BEN_AMA_COD).geq(1000)).count() > 0, "ages in months below 2 years");
        for (Path copy : List.of(oracle, sas)) {
            IngestionResult other = Ingestion.run(SharedSpark.get(), new ExtractLayout(copy), config);
            for (SndsTable t : SndsTable.values()) {
                assertEquals(base.validation().report().table(t).kept(), other.validation().report().table(t).kept(), copy + " " + t);
            }
            for (EventTable e : EventTable.values()) {
                assertEquals(sorted(base.events().get(e)), sorted(other.events().get(e)), copy + " " + e);
            }
            assertTrue(!other.validation().report().table(SndsTable.ER_PRS_F).coercions().isEmpty());
        }
    }

    private static List<String> sorted(Dataset<Row> d) {
        return d.collectAsList().stream().map(Row::toString).sorted().toList();
    }
}
