package fr.atypie.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.errors.ConfigError;
import fr.atypie.config.ConfigLoader;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SynthConfigTest {

    @Test
    void defaultsAreOccitanieWithThePublishedCounts() {
        SynthConfig c = ConfigLoader.defaults().synth();
        assertEquals(13, c.departments().size());
        assertEquals(5_317_132L, c.departments().stream().mapToLong(SynthConfig.Department::population).sum());
        assertEquals(5_369, c.departments().stream().mapToInt(SynthConfig.Department::gps).sum());
        assertEquals("034", c.departments().stream().filter(d -> d.code().equals("34")).findFirst().orElseThrow()
                .residenceCode());
        assertEquals(YearMonth.of(2023, 1), c.firstMonth());
        assertEquals(YearMonth.of(2024, 1), c.campaignM0());
        assertEquals(YearMonth.of(2024, 12), c.lastFluxMonth());
    }

    @Test
    void sharesAboveOneAreRejectedNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("atypie.synth.mess.same-flux-share", "0.9", "atypie.synth.mess.within-six-share", "0.2")));
        assertTrue(e.getMessage().contains("atypie.synth.mess.same-flux-share"), e.getMessage());
        ConfigError range = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of("atypie.synth.scale", "0")));
        assertEquals("atypie.synth.scale = 0.0 is outside [1.0E-5, 10.0]", range.getMessage());
    }

    @Test
    void departmentsCanBeReplacedByTheUser() {
        SynthConfig c = ConfigLoader.load(Optional.empty(), Map.of(
                "atypie.synth.departments.\"2A\".name", "Corse-du-Sud",
                "atypie.synth.departments.\"2A\".population", "150000",
                "atypie.synth.departments.\"2A\".gps", "160")).synth();
        assertTrue(c.departments().stream().anyMatch(d -> d.code().equals("2A") && d.gps() == 160));
    }
}
