package fr.atypie.synth;

/** Rungs of the accompaniment ladder a planted campaign uses (atypie-and-campaigns.md). */
public enum CampaignAction {
    /** Visit by a health-insurance delegate. */
    DAM,
    /** Échange confraternel with a medical adviser. */
    EC,
    /** Mise sous objectif. */
    MSO,
    /** Mise sous accord préalable: prior approval of each new notice. */
    MSAP
}
