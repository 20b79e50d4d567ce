package fr.atypie.config;

import fr.atypie.publish.MonthlyRelease;
import fr.atypie.campaigns.CampaignEvaluator;
import fr.atypie.spark.SparkSettings;
import fr.atypie.settings.Section;
import fr.atypie.settings.Sha256;
import fr.atypie.campaigns.CampaignSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import fr.atypie.atypie.AtypieSettings;
import fr.atypie.atypie.TargetingSettings;
import fr.atypie.indicators.IndicatorSettings;
import fr.atypie.procedure.ProcedureSettings;
import fr.atypie.indicators.scorecard.CpgSettings;
import fr.atypie.stats.MethodsSettings;
import fr.atypie.synth.SynthConfig;
import fr.atypie.quality.QualityConfig;
import fr.atypie.snds.CodeLists;
import fr.atypie.snds.DcirSettings;
import fr.atypie.errors.ConfigError;
import fr.atypie.publish.PublishSettings;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole configuration, typed and validated once at start-up. Each stage reads its own
 * section record; none of them reads HOCON directly.
 */
public record AtypieConfig(Config raw, RegionSettings region, SparkSettings spark, SynthConfig synth, DcirSettings dcir,
                           QualityConfig quality, IndicatorSettings indicators, CpgSettings cpg,
                           MethodsSettings methods, AtypieSettings atypie, TargetingSettings targeting,
                           PublishSettings publish,
                           CampaignSettings campaigns, ProcedureSettings procedure)
        implements CampaignEvaluator.Settings, MonthlyRelease.Settings {

    public static AtypieConfig from(Config root) {
        Section atypie = Section.of(root, "atypie");
        IndicatorSettings indicators = IndicatorSettings.from(atypie.child("indicators"));
        SynthConfig synth = SynthConfig.from(atypie.child("synth"));
        DcirSettings dcir = DcirSettings.from(atypie.child("dcir"));
        requireGeneratedSpecialtiesMatch(synth, dcir);
        return new AtypieConfig(root,
                RegionSettings.from(atypie.child("region")),
                SparkSettings.from(atypie.child("spark")),
                synth,
                dcir,
                QualityConfig.from(atypie.child("quality")),
                indicators,
                CpgSettings.from(atypie.child("cpg")),
                MethodsSettings.from(atypie.child("methods")),
                AtypieSettings.from(atypie.child("atypie"), indicators),
                TargetingSettings.from(atypie.child("targeting")),
                PublishSettings.from(atypie.child("publish")),
                CampaignSettings.from(atypie.child("campaigns")),
                ProcedureSettings.from(atypie.child("procedure")));
    }

    /** The generator's GPs must be what the job calls general practice, its specialists not. */
    private static void requireGeneratedSpecialtiesMatch(SynthConfig synth, DcirSettings dcir) {
        Set<Integer> gp = dcir.codes().generalPractice();
        String codes = " (" + CodeLists.SECTION + ".general-practice = " + new TreeSet<>(gp) + ")";
        if (!gp.containsAll(synth.practitioners().gpCodes())) {
            throw new ConfigError("atypie.synth.practitioners.gp-codes must list general-practice codes"
                    + codes + ", found " + synth.practitioners().gpCodes());
        }
        if (synth.practitioners().specialistCodes().stream().anyMatch(gp::contains)) {
            throw new ConfigError("atypie.synth.practitioners.specialist-codes must list no "
                    + "general-practice code" + codes + ", found " + synth.practitioners().specialistCodes());
        }
    }

    /** SHA-256 of the resolved configuration (run manifests record it). */
    public String hash() {
        return Sha256.hex(raw.getConfig("atypie").root().render(ConfigRenderOptions.concise().setJson(true)));
    }

    /** SHA-256 of some sections of {@code atypie} (e.g. "quality", "dcir"), keys sorted. */
    public String hash(String... sections) {
        StringBuilder b = new StringBuilder();
        for (String s : sections) {
            b.append(s).append('=').append(raw.getConfig("atypie." + s).root()
                    .render(ConfigRenderOptions.concise().setJson(true))).append('\n');
        }
        return Sha256.hex(b.toString());
    }

}
