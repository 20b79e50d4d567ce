package fr.atypie.config;

import fr.atypie.errors.ConfigError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void aKeyWhoseDefaultReadsAnEnvironmentVariableCanBeSetOnTheCommandLine() {
        // master = "local[*]" then ${?ATYPIE_SPARK_MASTER}: unresolved while unknown keys are checked.
        AtypieConfig c = ConfigLoader.load(Optional.empty(), Map.of("atypie.spark.master", "local[2]"));
        assertEquals("local[2]", c.spark().master());
        ConfigError e = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of("atypie.spark.mastr", "local[2]")));
        assertTrue(e.getMessage().contains("atypie.spark.mastr"), e.getMessage());
    }

    @Test
    void defaultsLoadAndValidate() {
        AtypieConfig c = ConfigLoader.defaults();
        assertEquals(8, c.spark().shufflePartitions());
        assertEquals(4, c.spark().advisoryPartitionMb());
    }

    @Test
    void userFileAndOverridesWinOverDefaults(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("my.conf");
        Files.writeString(f, "atypie.spark.shuffle-partitions = 3\n");
        assertEquals(3, ConfigLoader.load(Optional.of(f), Map.of()).spark().shufflePartitions());
        assertEquals(5, ConfigLoader.load(Optional.of(f), Map.of("atypie.spark.shuffle-partitions", "5"))
                .spark().shufflePartitions());
    }

    @Test
    void unknownKeyIsRejectedWithItsNameAndTheKnownKeys(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("typo.conf");
        Files.writeString(f, "atypie.spark.shuffle-partition = 3\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(f), Map.of()));
        assertTrue(e.getMessage().contains("atypie.spark.shuffle-partition"), e.getMessage());
        assertTrue(e.getMessage().contains("shuffle-partitions"), e.getMessage());
    }

    @Test
    void outOfRangeAndWrongTypeNameTheKey() {
        ConfigError range = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of("atypie.spark.shuffle-partitions", "0")));
        assertEquals("atypie.spark.shuffle-partitions = 0 is outside [1, 100000]", range.getMessage());
        ConfigError type = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of("atypie.spark.shuffle-partitions", "many")));
        assertTrue(type.getMessage().startsWith("configuration key 'atypie.spark.shuffle-partitions' has the wrong type"),
                type.getMessage());
    }

    @Test
    void missingFileIsAClearError() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.of(Path.of("/nonexistent/x.conf")), Map.of()));
        assertEquals("configuration file not found: /nonexistent/x.conf", e.getMessage());
    }

    @Test
    void hashChangesWithTheConfiguration() {
        assertEquals(ConfigLoader.defaults().hash(), ConfigLoader.defaults().hash());
        assertNotEquals(ConfigLoader.defaults().hash(),
                ConfigLoader.load(Optional.empty(), Map.of("atypie.spark.shuffle-partitions", "9")).hash());
    }

    @Test
    void defaultCatalogueLoadsAndBadIndicatorsAreNamed() {
        AtypieConfig c = ConfigLoader.defaults();
        assertEquals(12, c.indicators().windowMonths());
        assertEquals(12, c.indicators().catalogue().size());
        ConfigError band = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("atypie.indicators.catalogue.antibiotics-per-100.filter.age-min", "18")));
        assertEquals("atypie.indicators.catalogue.antibiotics-per-100.filter.age-min = 18 is not an age-band lower bound "
                + "[0, 16, 25, 35, 45, 55, 65, 75, 85]", band.getMessage());
        ConfigError measure = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of("atypie.indicators.catalogue.generic-share.numerator.measure", "generic-box")));
        assertTrue(measure.getMessage().startsWith(
                "atypie.indicators.catalogue.generic-share.numerator.measure = 'generic-box' is not a measure"), measure.getMessage());
    }

    @Test
    void theWeeklyRunsSettingsAreTypedAndChecked(@TempDir Path dir) throws IOException {
        var weekly = ConfigLoader.defaults().procedure().weekly();
        assertEquals(List.of(6, 3, 4, 12, 5), List.of(weekly.lookbackMonths(), weekly.risingWeeks(), weekly.recentWeeks(),
                weekly.baselineWeeks(), weekly.defaultCapacity()));
        // A department override, "34" read as "034"; the others keep the default.
        Path f = dir.resolve("weekly.conf");
        Files.writeString(f, "atypie.procedure.weekly.capacity { \"34\" { alerts = 9 } }\n");
        var read = ConfigLoader.load(Optional.of(f), Map.of()).procedure().weekly();
        assertEquals(9, read.capacity("034"));
        assertEquals(5, read.capacity("011"));
        assertEquals(5, read.capacity(null));
        // Day 90 and 16 weeks compared need 5 months read (ceil(112 / 30) + 1).
        ConfigError shortLookback = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of("atypie.procedure.weekly.lookback-months", "4")));
        assertEquals("atypie.procedure.weekly.lookback-months = 4 is too short: day 90 of a spell and 16 weeks compared need "
                + "at least 5 months", shortLookback.getMessage());
        assertEquals(5, ConfigLoader.load(Optional.empty(), Map.of("atypie.procedure.weekly.lookback-months", "5"))
                .procedure().weekly().lookbackMonths());
        Files.writeString(f, "atypie.procedure.weekly.capacity { herault { alerts = 9 } }\n");
        ConfigError badKey = assertThrows(ConfigError.class, () -> ConfigLoader.load(Optional.of(f), Map.of()));
        assertTrue(badKey.getMessage().startsWith("atypie.procedure.weekly.capacity: key \"herault\" is not a department code"),
                badKey.getMessage());
        ConfigError unknown = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of("atypie.procedure.weekly.rising-week", "2")));
        assertTrue(unknown.getMessage().contains("rising-weeks"), unknown.getMessage());
    }
}
