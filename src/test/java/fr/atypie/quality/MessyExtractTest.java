package fr.atypie.quality;

import static fr.atypie.quality.QuarantineRule.*;
import static fr.atypie.snds.SndsColumns.*;
import static fr.atypie.snds.SndsFixture.ald;
import static fr.atypie.snds.SndsFixture.ben;
import static fr.atypie.snds.SndsFixture.d;
import static fr.atypie.snds.SndsFixture.drug;
import static fr.atypie.snds.SndsFixture.pha;
import static fr.atypie.snds.SndsFixture.pra;
import static fr.atypie.snds.SndsFixture.prs;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.atypie.cli.AtypieCli;
import fr.atypie.cli.ExitCodes;
import fr.atypie.snds.SndsFixture;
import fr.atypie.snds.SndsTable;
import fr.atypie.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kind of nonsense of the Health Data Hub's public synthetic SNDS rows (real column names,
 * random strings, dates in 1913, codes out of their nomenclatures, extra columns the job does not
 * read): validation meets it with a report, exact counts per rule, and exit 5, not a stack trace.
 */
class MessyExtractTest {

    @Test
    void nonsenseRowsGiveACleanReportWithExactCounts(@TempDir Path dir) throws IOException {
        Map<SndsTable, Dataset<Row>> t = SndsFixture.extract(
                prs().keys(1).flux("1974-10-21").with(BEN_NIR_PSA, "ZGgyhJhsTIquZiIjE").with(PRS_NAT_REF, 1092)
                        .with(EXE_SOI_DTD, d("1988-02-20")).with(EXE_SOI_DTF, d("1914-06-23")),   // implausible_flux_date
                prs().keys(2).with(PRS_NAT_REF, 4).with(EXE_SOI_DTD, d("1913-09-03"))
                        .with(EXE_SOI_DTF, d("1913-09-03")),                                     // unknown_code (4 is no nature)
                prs().keys(6).with(EXE_SOI_DTD, d("1913-09-03"))
                        .with(EXE_SOI_DTF, d("1913-09-03")),                                     // impossible_date
                prs().keys(3).flux("2018-02-13").with(EXE_SOI_DTD, d("2020-01-10"))
                        .with(EXE_SOI_DTF, d("2020-01-10")),                                     // care_after_flux
                prs().keys(4).with(BEN_NIR_PSA, "bcMDhfNxzEWXEBuHy"),                           // unknown_beneficiary
                prs().keys(5).with(FLX_EMT_ORD, null),                                           // missing_key
                pha(1).flux("1974-10-21"),                                                       // implausible_flux_date
                pha(77),                                                                         // orphan (no line)
                ben("P1"),
                ben("fvROSurjXIfxJwEop").with(BEN_NAI_ANN, "2028"),                             // impossible_date
                ben("oSrnDNBgmCrvLrSiZ").with(BEN_NAI_ANN, "1943").with(BEN_SEX_COD, 0),        // unknown_code
                ben("EZYHWLIARxwkPaoaj").with(BEN_SEX_COD, 2).with(BEN_RES_DPT, "007"),         // unknown_code
                ald("LliGbdTtjdwtpRVbk", "1939-02-16", "1964-04-20"),                            // unknown_beneficiary
                ald("P1", "2020-06-05", "1933-03-19"),                                           // impossible_date
                pra("xpEXSrO", "4"), pra("wg", "nm"),                                            // -, unknown_code
                drug(3400921605068L, "C09AA05"), drug(12345L, "zz"));                            // -, unknown_code
        // Columns of the real tables the job does not read, as in the HDH files.
        t.put(SndsTable.ER_PRS_F, t.get(SndsTable.ER_PRS_F).withColumn("BEN_CDI_NIR", lit("99")).withColumn("PRS_REJ_TOP", lit(6)));
        t.put(SndsTable.IR_BEN_R, t.get(SndsTable.IR_BEN_R).withColumn("BEN_IDT_ANO", lit("AcZaAckxCilGUEdOw")));
        Path extract = dir.resolve("extract");
        SndsFixture.write(t, extract);
        Path out = dir.resolve("out");
        SharedSpark.get();

        assertEquals(ExitCodes.TOO_MUCH_QUARANTINE, AtypieCli.execute("validate", extract.toString(), "--out", out.toString()));

        JsonNode report = new ObjectMapper().readTree(out.resolve(QualityOutputs.REPORT_JSON).toFile());
        assertEquals(false, report.get("acceptable").asBoolean());
        assertEquals("2024-03", report.get("latest_flux_month").asText());
        Map<String, JsonNode> tables = new HashMap<>();
        report.get("tables").forEach(n -> tables.put(n.get("table").asText(), n));
        assertTable(tables.get("ER_PRS_F"), 6, 0, Map.of(IMPLAUSIBLE_FLUX_DATE, 1, UNKNOWN_CODE, 1, IMPOSSIBLE_DATE, 1,
                CARE_AFTER_FLUX, 1, UNKNOWN_BENEFICIARY, 1, MISSING_KEY, 1));
        assertTable(tables.get("ER_PHA_F"), 2, 0, Map.of(IMPLAUSIBLE_FLUX_DATE, 1, ORPHAN_DRUG_LINE, 1));
        assertTable(tables.get("IR_BEN_R"), 4, 1, Map.of(IMPOSSIBLE_DATE, 1, UNKNOWN_CODE, 2));
        assertTable(tables.get("IR_IMB_R"), 2, 0, Map.of(UNKNOWN_BENEFICIARY, 1, IMPOSSIBLE_DATE, 1));
        assertTable(tables.get("DA_PRA_R"), 2, 1, Map.of(UNKNOWN_CODE, 1));
        assertTable(tables.get("IR_PHA_R"), 2, 1, Map.of(UNKNOWN_CODE, 1));
        String json = report.toString();
        assertTrue(json.contains("care date 1913-09-03 is before 2006"), json);
        assertTrue(json.contains("flux date FLX_DIS_DTD 1974-10-21 is outside 2006-01.."), json);
        assertTrue(json.contains("PRS_NAT_REF 4 is not a nature of service of IR_NAT_V"), json);
        assertTrue(json.contains("IMB_ALD_DTF 1933-03-19 is before IMB_ALD_DTD 2020-06-05"), json);
        for (String nir : new String[] {"ZGgyhJhsTIquZiIjE", "bcMDhfNxzEWXEBuHy", "fvROSurjXIfxJwEop", "LliGbdTtjdwtpRVbk"}) {
            assertTrue(!json.contains(nir), "the report names a patient: " + nir);
        }
    }

    private static void assertTable(JsonNode t, int in, int kept, Map<QuarantineRule, Integer> rules) {
        String name = t.get("table").asText();
        assertEquals(in, t.get("rows_in").asInt(), name);
        assertEquals(kept, t.get("kept").asInt(), name);
        assertEquals(in - kept, t.get("quarantined").asInt(), name);
        Map<QuarantineRule, Integer> found = new java.util.EnumMap<>(QuarantineRule.class);
        t.get("rules").forEach(r -> found.put(QuarantineRule.valueOf(r.get("rule").asText().toUpperCase()), r.get("rows").asInt()));
        assertEquals(rules, found, name);
    }
}
