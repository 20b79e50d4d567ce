package fr.atypie.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.campaigns.TargetingHistory;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code atypie history} reads the targeting CSV by its French headers and list labels: they must be the published ones. */
class TargetingHistoryContractTest {
    @Test
    void historyReadsThePublishedHeadersAndActionLabels() {
        var published = OutputTables.labels(OutputTables.TARGETING).labels();
        assertEquals("Dans la capacité du mois", published.get("within_capacity"));
        for (String header : TargetingHistory.REQUIRED) {
            assertTrue(published.containsValue(header), header + " is not a published targeting header: " + published);
        }
        assertEquals(Set.copyOf(OutputTables.ACTIONS), TargetingHistory.ACTIONS.keySet());
    }
}
