package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.ConfigError;
import fr.atypie.config.ConfigLoader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishSettingsTest {

    @Test
    void defaultsAreTenPatientsAndFrenchExcelCsv() {
        PublishSettings p = ConfigLoader.defaults().publish();
        assertEquals(new PublishSettings(10, CsvFormat.FRENCH_EXCEL), p);
    }

    @Test
    void thresholdMayBeRaisedButNeverLowered() {
        assertEquals(12, load(Map.of("atypie.publish.small-cell-threshold", "12")).smallCellThreshold());
        ConfigError e = assertThrows(ConfigError.class, () -> load(Map.of("atypie.publish.small-cell-threshold", "5")));
        assertEquals("atypie.publish.small-cell-threshold = 5 is below 10:"
                + " statistical secrecy allows raising the threshold, never lowering it", e.getMessage());
    }

    @Test
    void csvSeparatorsAreCheckedAndNamed() {
        assertEquals(new CsvFormat(',', '.', false, 3), load(Map.of("atypie.publish.csv.separator", ",",
                "atypie.publish.csv.decimal-separator", ".", "atypie.publish.csv.bom", "false",
                "atypie.publish.csv.max-decimals", "3")).csv());
        ConfigError same = assertThrows(ConfigError.class, () -> load(Map.of("atypie.publish.csv.separator", ",")));
        assertEquals("atypie.publish.csv.decimal-separator = ',' is also the field separator (atypie.publish.csv.separator)",
                same.getMessage());
        ConfigError odd = assertThrows(ConfigError.class, () -> load(Map.of("atypie.publish.csv.separator", "x")));
        assertEquals("atypie.publish.csv.separator = 'x' is not one of [;, ,, \t, |]", odd.getMessage());
    }

    @Test
    void catalogRegistrationIsOffByDefaultAndItsKeysAreChecked() {
        assertEquals(new CatalogSettings(false, "atypie", false), ConfigLoader.defaults().publish().catalog());
        assertEquals(new CatalogSettings(true, "risk_93", true), load(Map.of("atypie.publish.catalog.enabled", "true",
                "atypie.publish.catalog.database", "risk_93", "atypie.publish.catalog.restricted", "true")).catalog());
        assertEquals("risk_93_restricted", new CatalogSettings(true, "risk_93", true).restrictedDatabase());
        ConfigError name = assertThrows(ConfigError.class, () -> load(Map.of("atypie.publish.catalog.database", "Risk-93")));
        assertEquals("atypie.publish.catalog.database = 'Risk-93' is not a database name ([a-z][a-z0-9_]*)", name.getMessage());
        ConfigError type = assertThrows(ConfigError.class, () -> load(Map.of("atypie.publish.catalog.enabled", "yes please")));
        assertTrue(type.getMessage().startsWith("configuration key 'atypie.publish.catalog.enabled' has the wrong type"),
                type.getMessage());
        ConfigError typo = assertThrows(ConfigError.class, () -> load(Map.of("atypie.publish.catalog.databse", "x")));
        assertTrue(typo.getMessage().contains("atypie.publish.catalog.databse (known keys under atypie.publish.catalog:"
                + " database, enabled, restricted)"), typo.getMessage());
    }

    private static PublishSettings load(Map<String, String> overrides) {
        return ConfigLoader.load(Optional.empty(), overrides).publish();
    }
}
