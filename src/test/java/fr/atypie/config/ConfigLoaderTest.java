package fr.atypie.config;

import fr.atypie.errors.ConfigError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
