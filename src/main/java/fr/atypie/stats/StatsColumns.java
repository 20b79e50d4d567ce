package fr.atypie.stats;

/**
 * Names of the columns the statistical stages add to a Dataset (the caller's own columns, such as
 * the unit and peer-group ids, keep their names).
 */
public final class StatsColumns {
    private StatsColumns() {}

    /** Reference rate of a stratum: Σ observed / Σ denominator over the reference. */
    public static final String REFERENCE_RATE = "reference_rate";
    /** Observed count O of a unit. */
    public static final String OBSERVED = "observed";
    /** Expected count E = Σ_s n_s · r_s. */
    public static final String EXPECTED = "expected";
    /** Standardised ratio O/E. */
    public static final String SR = "sr";
    /** Exact Poisson interval of SR (coverage atypie.methods.interval-level). */
    public static final String SR_LOWER = "sr_lower";
    public static final String SR_UPPER = "sr_upper";

    /** Proportion x/n of a unit, and the peer proportion p0. */
    public static final String PROPORTION = "proportion";
    public static final String PEER_PROPORTION = "peer_proportion";

    /** Funnel z = (O − E)/√E, or (p − p0)/s. */
    public static final String Z = "z";
    /** Over-dispersion φ of the peer group (winsorised). */
    public static final String PHI = "phi";
    /** Between-unit variance τ² of the peer group (additive model; reported in both modes). */
    public static final String TAU2 = "tau2";
    /** Correction actually applied: "multiplicative", "additive", or "none" when φ ≤ 1. */
    public static final String OVER_DISPERSION = "over_dispersion";
    /** z after the over-dispersion correction. */
    public static final String Z_ADJUSTED = "z_adjusted";
    /** Position against the funnel limits from z_adjusted: 1 above, −1 below (when both sides are flagged), 0 inside. */
    public static final String FUNNEL_95 = "funnel_95";
    public static final String FUNNEL_998 = "funnel_998";

    /** Poisson-Gamma prior of the peer group (null when degenerate: no between-unit variance). */
    public static final String EB_ALPHA = "eb_alpha";
    public static final String EB_BETA = "eb_beta";
    /** Peer mean m = Σ O / Σ E. */
    public static final String PEER_MEAN = "peer_mean";
    /** Shrunk ratio SR* = (O + α)/(E + β), and its posterior interval. */
    public static final String SR_SHRUNK = "sr_shrunk";
    public static final String SR_SHRUNK_LOWER = "sr_shrunk_lower";
    public static final String SR_SHRUNK_UPPER = "sr_shrunk_upper";
    /**
     * Flags: 1 (or −1) when the unit is beyond the limit by its adjusted z AND its shrunk SR* is
     * beyond the same limit too (for proportions: the funnel position alone).
     */
    public static final String FLAG_95 = "flag_95";
    public static final String FLAG_998 = "flag_998";
    /** Percentile among peers, 0 (lowest) to 100 (highest), of SR* (of the proportion for proportions). */
    public static final String PEER_PERCENTILE = "peer_percentile";
    /** Units of the peer group with E &gt; 0 (n &gt; 0) that the fit used. */
    public static final String PEER_UNITS = "peer_units";
}
