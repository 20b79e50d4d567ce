package fr.atypie.campaigns;

import fr.atypie.atypie.TargetingSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The expected effects of the actions, measured on the region's own campaigns: what targeting
 * uses instead of the configured effects once {@code atypie evaluate} has evaluated a campaign.
 *
 * <p>A published evaluation measures the effect of one action when all its contacts are that
 * action (DAM visits, or EC, or procedures: observation, MSO, MSAP). Its effect is the relative
 * change of the contacted prescribers' own IJ days per patient over the configured window,
 * −Δ / (treated before + controls' change), floored at 0 (a campaign that measured no reduction
 * gives none). Several campaigns of one action are pooled, weighted by their treated prescribers.
 * A secret or undefined estimate is not used.
 */
public final class MeasuredEffects {
    private MeasuredEffects() {}

    /** One action's measured effect and a sentence saying where it comes from. */
    public record Measured(double effect, String source) {}

    /** The action of targeting a campaign action belongs to. */
    static TargetingSettings.Action targeting(CampaignContact.Action a) {
        return switch (a) {
            case DAM -> TargetingSettings.Action.DAM;
            case EC -> TargetingSettings.Action.EC;
            case OBSERVATION, MSO, MSAP -> TargetingSettings.Action.MSO_MSAP;
        };
    }

    public static Map<TargetingSettings.Action, Measured> from(List<PublishedEvaluation> evaluations, String window) {
        Map<TargetingSettings.Action, double[]> sums = new EnumMap<>(TargetingSettings.Action.class);
        Map<TargetingSettings.Action, List<String>> names = new EnumMap<>(TargetingSettings.Action.class);
        for (PublishedEvaluation e : evaluations) {
            if (e.problem().isPresent() || e.contacts().isEmpty()) {
                continue;
            }
            List<TargetingSettings.Action> actions = e.contacts().keySet().stream()
                    .map(a -> targeting(CampaignContact.Action.valueOf(a))).distinct().toList();
            if (actions.size() != 1) {
                continue; // a mixed campaign does not say what one action does
            }
            for (PublishedEvaluation.Effect x : e.effects()) {
                if (x.measure().equals(CampaignMeasure.IJ_DAYS_PER_PATIENT.code()) && x.window().equals(window)
                        && !x.secret() && Double.isFinite(x.relative()) && x.treated() > 0) {
                    double effect = Math.max(0, -x.relative());
                    double[] s = sums.computeIfAbsent(actions.get(0), k -> new double[2]);
                    s[0] += effect * x.treated();
                    s[1] += x.treated();
                    names.computeIfAbsent(actions.get(0), k -> new ArrayList<>()).add(String.format(Locale.FRANCE,
                            "%s (%d prescripteurs, %+.1f %%)", e.campaign(), x.treated(), 100 * x.relative()));
                }
            }
        }
        Map<TargetingSettings.Action, Measured> out = new EnumMap<>(TargetingSettings.Action.class);
        sums.forEach((a, s) -> out.put(a, new Measured(s[0] / s[1], "mesuré par atypie evaluate, jours d'IJ par patient à M+"
                + window + " : " + String.join(", ", names.get(a)))));
        return out;
    }

    /** The targeting settings with the measured effects in place of the configured ones. */
    public static TargetingSettings apply(TargetingSettings settings, List<PublishedEvaluation> evaluations) {
        Map<TargetingSettings.Action, Measured> measured = from(evaluations, settings.measuredEffectWindow());
        Map<TargetingSettings.Action, Double> effects = new EnumMap<>(TargetingSettings.Action.class);
        Map<TargetingSettings.Action, String> sources = new EnumMap<>(TargetingSettings.Action.class);
        measured.forEach((a, m) -> {
            effects.put(a, m.effect());
            sources.put(a, m.source());
        });
        return settings.withMeasured(effects, sources);
    }
}
