package fr.atypie.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static PublishSettings load(Map<String, String> overrides) {
        return ConfigLoader.load(Optional.empty(), overrides).publish();
    }
}
