package fr.atypie.atypie;

import java.time.YearMonth;

/**
 * What targeting needs from the campaign history: whether a prescriber was contacted recently
 * or is under procedure. Defined here, implemented by {@code campaigns.CampaignHistory}, so that
 * campaigns (which evaluate targeting) sit above atypie and not beside it in a cycle.
 */
public interface ContactHistory {
    /** Whether {@code prescriber} must be left out of the action lists of {@code month}. */
    boolean excludes(String prescriber, YearMonth month, int months);
}
