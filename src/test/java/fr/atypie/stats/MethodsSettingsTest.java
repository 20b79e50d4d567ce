package fr.atypie.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.errors.ConfigError;
import fr.atypie.config.ConfigLoader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MethodsSettingsTest {

    @Test
    void shippedDefaultsAreTheDocumentedOnes() {
        assertEquals(MethodsSettings.DEFAULTS, ConfigLoader.defaults().methods());
    }

    @Test
    void overridesAndErrorsNameTheKey() {
        MethodsSettings m = ConfigLoader.load(Optional.empty(), Map.of(
                "atypie.methods.over-dispersion", "additive", "atypie.methods.winsorisation", "0.2")).methods();
        assertEquals(OverDispersion.Mode.ADDITIVE, m.overDispersion());
        assertEquals(0.2, m.winsorisation());
        assertEquals(MethodsSettings.Reference.MEDIAN, MethodsSettings.DEFAULTS.reference());
        assertEquals(MethodsSettings.Reference.MEAN, ConfigLoader.load(Optional.empty(),
                Map.of("atypie.methods.reference", "mean")).methods().reference());
        ConfigError reference = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("atypie.methods.reference", "mode")));
        assertEquals("atypie.methods.reference = 'mode' is not one of [mean, median]", reference.getMessage());
        ConfigError mode = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("atypie.methods.over-dispersion", "random")));
        assertEquals("atypie.methods.over-dispersion = 'random' is not one of [multiplicative, additive]", mode.getMessage());
        ConfigError share = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("atypie.methods.winsorisation", "0.5")));
        assertEquals("atypie.methods.winsorisation = 0.5 is outside [0.0, 0.49]", share.getMessage());
    }
}
