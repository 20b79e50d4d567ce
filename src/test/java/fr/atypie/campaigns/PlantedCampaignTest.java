package fr.atypie.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.atypie.config.AtypieConfig;
import fr.atypie.config.ConfigLoader;
import fr.atypie.fs.Store;
import fr.atypie.synth.ExtractGenerator;
import fr.atypie.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole evaluation on a small generated extract with a planted, staggered sick-leave campaign:
 * contacts spread over 3 months, every action cutting the contacted GP's own sick-leave notices by
 * 40 % from its own contact month for 6 months, then fading to 0 at 12 months (no MSAP
 * circumvention, so the own-notice reduction is exactly the planted one). More GPs are contacted
 * than by default so that the treated group is not tiny.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside other classes: see the pom (surefire)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedCampaignTest {
    static final double PLANTED = 0.4;

    @TempDir
    static Path dir;
    CampaignEvaluation.Result result;
    Path folder;

    @BeforeAll
    void generateAndEvaluate() throws IOException {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, """
                atypie.synth { scale = 0.006, months = 22, campaign { m0-position = 0.55, strong-contact-share = 1.0,
                  moderate-contact-share = 1.0, other-contact-share = 0.1, effect-dam = 0.4, effect-ec = 0.4, effect-mso = 0.4, effect-msap = 0.4,
                  msap-circumvention = 0, spread-months = 3 } }
                atypie.campaigns { match-within = region, caliper = 1.0, after-windows = ["1-3", "5-7"],
                  min-base-patients = 50 }
                atypie.methods.bootstrap.replicates = 500
                """);
        AtypieConfig config = ConfigLoader.load(Optional.of(conf), Map.of());
        ExtractGenerator.generate(config.synth(), dir.resolve("data"), new PrintStream(OutputStream.nullOutputStream()));
        CampaignHistory history = TruthHistory.read(dir.resolve("data/truth"));
        String id = TruthHistory.id("sick-leave", config.synth().campaignM0());
        // As 'evaluate --work WORK' where WORK holds no event store yet: the extract is validated, and said so.
        Store noStore = Store.local(dir.resolve("work/state/events"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        CampaignEvaluator.Outcome o = CampaignEvaluator.run(SharedSpark.get(), config,
                new CampaignEvaluator.Request(id, history, Store.local(dir.resolve("data/extract")), Store.local(dir.resolve("out")),
                        Optional.of(new CampaignEvaluator.StoredEvents(noStore, "settings"))),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        result = o.result();
        folder = o.folder();
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("evaluate: the event store is not used (no event store in "
                + noStore.shown() + "): validating the extract\n"), progress.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("work")), "a missing store is not created");
        assertFalse(result.notes().contains(CampaignEvaluator.FROM_STORE_NOTE), result.notes().toString());
    }

    CampaignEvaluation.Effect effect(CampaignMeasure m, String window) {
        return result.effects().stream().filter(e -> e.measure() == m && e.window().equals(window)).findFirst().orElseThrow();
    }

    @Test
    void recoversThePlantedEffectWithinItsInterval() {
        // Contacts in M0, M0 + 1 and M0 + 2, each GP evaluated from its own month.
        assertEquals(3, result.cohorts().size(), result.cohorts().toString());
        // Planted relative cut of own new notices from the GP's own contact month, mean over the window's months
        // (full to month 6, −1/6 a month after).
        for (String window : List.of("1-3", "5-7")) {
            double relative = window.equals("1-3") ? PLANTED : PLANTED * (1 + 1 + 5.0 / 6) / 3;
            CampaignEvaluation.Effect e = effect(CampaignMeasure.NEW_SPELL_SHARE, window);
            double counterfactual = e.treatedBefore() + (e.controlAfter() - e.controlBefore());
            double planted = -relative * counterfactual;
            assertTrue(e.ciLow() <= planted && planted <= e.ciHigh(), window + ": planted " + planted + " outside " + e);
            assertTrue(e.ciHigh() < 0, window + ": the effect should be detected: " + e);
            assertTrue(e.treated() >= 5, e.toString());
            assertTrue(e.placeboLow() <= 0 && 0 <= e.placeboHigh(), window + ": placebo shows an effect: " + e);
        }
        // CNAM's share of patients paid IJ on the GP's prescriptions falls too (fewer new spells), by less than the
        // new notices: patients of spells begun before the contact are still paid.
        CampaignEvaluation.Effect paid = effect(CampaignMeasure.IJ_PATIENT_SHARE, "1-3");
        assertTrue(paid.ciHigh() < 0 && paid.relative() > -PLANTED, paid.toString());
    }

    @Test
    void matchedGroupsAreBalancedOnThePrePeriodLevel() {
        CampaignEvaluation.Balance level = result.balance().get(0);
        assertEquals(CampaignEvaluation.LEVEL, level.covariate());
        // Contacted GPs are the atypical ones: far above the candidates before matching, close after.
        assertTrue(level.smdBeforeMatching() > 0.5, level.toString());
        assertTrue(Math.abs(level.smdAfterMatching()) < Math.abs(level.smdBeforeMatching()) / 3, level.toString());
    }

    @Test
    void writesTheEvaluationFolder() throws IOException {
        assertEquals(List.of("balance.csv", "contacts.csv", "cost.csv", "effects.csv", "effects.parquet", "report.html"),
                Files.list(folder).map(p -> p.getFileName().toString()).sorted().toList());
        List<Row> rows = SharedSpark.get().read().parquet(folder.resolve("effects.parquet").toString()).collectAsList();
        assertEquals(result.effects().size(), rows.size());
        assertEquals(19, rows.get(0).size());
        List<String> csv = Files.readAllLines(folder.resolve("effects.csv"));
        assertEquals("measure,window,treated_before,treated_after,control_before,control_after,did,ci_low,ci_high,"
                + "n_treated,n_controls,placebo_did,placebo_ci_low,placebo_ci_high,time_placebo_did,time_placebo_ci_low,"
                + "time_placebo_ci_high,time_placebo_status,secret", csv.get(0));
        assertEquals(result.effects().size() + 1, csv.size());
        // No patient identifier anywhere (synthetic pseudonyms look like the generator's).
        String all = String.join("\n", csv) + Files.readString(folder.resolve("report.html"));
        assertFalse(all.contains("patient_id"));
        assertTrue(result.savings().stream().allMatch(s -> s.contacts() > 0 && s.staffDays() > 0), result.savings().toString());
    }
}
