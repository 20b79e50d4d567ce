package fr.atypie.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import fr.atypie.errors.PlantedBackEdge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers that only point down: errors, version and configuration primitives at
 * the bottom; reading and validation; events; analytics; publication; the assembled configuration;
 * orchestration and the command line on top. A class may use its own package and the packages
 * listed before it, never one listed after it, and no two packages may depend on each other
 * through any path.
 */
class ArchitectureTest {
    /** Bottom first. Sub-packages belong to their parent (indicators.scorecard, publish.report). */
    static final List<String> LAYERS = List.of(
            "errors", "version", "settings",    // primitives: exceptions, version, typed HOCON sections
            "fs",                               // folders on any Hadoop file system (local, hdfs://, s3a://...)
            "spark",                            // session, schema helpers
            "snds", "quality",                  // reading the extract, validation and quarantine
            "events",                           // claims -> typed events, the event store
            "stats", "indicators", "atypie",    // analytics
            "publish",                          // the one way out: staging, secrecy, exports, manifest
            "campaigns",                        // evaluation of past targeting (reads atypie, writes via publish)
            "procedure",                        // the graduated procedure of art. L162-1-15 (reads atypie, campaigns)
            "synth",                            // the synthetic extract generator
            "config",                           // the assembled configuration (every feature's settings)
            "refresh",                          // orchestration of the monthly run
            "cli");                             // the commands

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("fr.atypie");
    }

    static ArchRule layering() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> "fr.atypie." + p + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage("fr.atypie." + LAYERS.get(i) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because(LAYERS.get(i) + " sits below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size()))));
        }
        return CompositeArchRule.of(rules);
    }

    static ArchRule noCycles() {
        return slices().matching("fr.atypie.(*)..").should().beFreeOfCycles();
    }

    @Test
    void everyPackageIsInALayer() {
        List<String> unplaced = main.stream().map(c -> c.getPackageName())
                .filter(p -> p.startsWith("fr.atypie."))
                .map(p -> p.substring("fr.atypie.".length()).split("\\.")[0])
                .distinct().filter(p -> !LAYERS.contains(p)).sorted().toList();
        assertTrue(unplaced.isEmpty(), "packages missing from LAYERS: " + unplaced);
    }

    @Test
    void dependenciesOnlyPointDown() {
        layering().check(main);
    }

    @Test
    void packagesAreFreeOfCycles() {
        noCycles().check(main);
    }

    /** The rules can fail: one planted class in the bottom layer that uses the command line. */
    @Test
    void aPlantedBackEdgeIsReported() {
        ImportOption mainAndPlant = location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                || location.contains(PlantedBackEdge.class.getSimpleName());
        JavaClasses withPlant = new ClassFileImporter().withImportOption(mainAndPlant).importPackages("fr.atypie");
        EvaluationResult layers = layering().evaluate(withPlant);
        assertTrue(layers.hasViolation());
        String report = String.join("\n", layers.getFailureReport().getDetails());
        assertTrue(report.contains(PlantedBackEdge.class.getName()) && report.contains("fr.atypie.cli.AtypieCli"), report);
        assertTrue(noCycles().evaluate(withPlant).hasViolation());
        assertFalse(layering().evaluate(main).hasViolation());
    }
}
