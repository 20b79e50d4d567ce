package fr.atypie.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.snds.SndsTable;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityReportTest {
    /**
     * A run whose every service line is quarantined stops before its report is written: the error
     * itself says how many rows were read and which rules took them, with a reason each.
     */
    @Test
    void aTableWithNothingKeptIsExplainedRuleByRule() {
        QualityReport report = new QualityReport(List.of(
                new TableQuality(SndsTable.ER_PRS_F, 571_713, 0, 571_713, List.of(
                        new RuleCount(QuarantineRule.FLUX_DATE_MISMATCH, 571_700,
                                "FLX_DIS_DTD 2024-01-31 is not in its folder flux_month=2024-02"),
                        new RuleCount(QuarantineRule.UNKNOWN_BENEFICIARY, 13, "patient not in IR_BEN_R")))),
                0.05, Optional.of(YearMonth.of(2024, 2)));
        assertEquals("""
                table ER_PRS_F: no row kept of 571,713 read
                    flux_date_mismatch           571700  e.g. FLX_DIS_DTD 2024-01-31 is not in its folder flux_month=2024-02
                    unknown_beneficiary              13  e.g. patient not in IR_BEN_R""",
                QualityReportFormat.nothingKept(report, SndsTable.ER_PRS_F));
        // The same lines as the report's, under the table's line.
        assertTrue(QualityReportFormat.text(report, "x").contains(
                "    unknown_beneficiary              13  e.g. patient not in IR_BEN_R\n"));
    }
}
