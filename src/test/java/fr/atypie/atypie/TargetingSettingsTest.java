package fr.atypie.atypie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.atypie.config.AtypieConfig;
import fr.atypie.errors.ConfigError;
import fr.atypie.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetingSettingsTest {
    @TempDir
    Path dir;

    private AtypieConfig load(String capacity) throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "atypie.targeting.capacity { " + capacity + " }\n");
        return ConfigLoader.load(Optional.of(conf), Map.of());
    }

    @Test
    void departmentKeysAreNormalisedToTheExtractsThreeCharacters() throws IOException {
        TargetingSettings t = load("\"34\" { dam = 80, ec = 20, mso-msap = 5 }, \"2a\" { dam = 7, ec = 1, mso-msap = 0 }").targeting();
        assertEquals(new TargetingSettings.Capacity(80, 20, 5), t.capacity("034"));
        assertEquals(new TargetingSettings.Capacity(7, 1, 0), t.capacity("02A"));
        assertEquals(new TargetingSettings.Capacity(40, 10, 3), t.capacity("011"));   // the default
    }

    @Test
    void aKeyThatIsNoDepartmentOrTwoKeysForOneAreRejected() {
        ConfigError bad = assertThrows(ConfigError.class, () -> load("\"Hérault\" { dam = 80, ec = 20, mso-msap = 5 }"));
        assertEquals("atypie.targeting.capacity: key \"Hérault\" is not a department code (three characters, e.g. "
                + "\"034\", \"02A\")", bad.getMessage());
        ConfigError twice = assertThrows(ConfigError.class, () -> load(
                "\"34\" { dam = 80, ec = 20, mso-msap = 5 }, \"034\" { dam = 8, ec = 2, mso-msap = 0 }"));
        assertEquals("atypie.targeting.capacity: department 034 is given twice", twice.getMessage());
    }
}
