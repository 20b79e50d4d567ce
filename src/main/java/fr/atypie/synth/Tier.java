package fr.atypie.synth;

/** Planted sick-leave behaviour of a GP (truth/prescribers.csv, column tier). */
public enum Tier {
    /** Strongly atypical on sick leave (1.5-3x the expected IJ days). */
    STRONG,
    /** Moderately above the norm (e.g. 1.2-1.4x). */
    MODERATE,
    /** Normal behaviour, but older / ALD-heavy / working-age-heavy patients: raw rates look high. */
    CASEMIX,
    /** Normal behaviour on a 30-150 patient practice: extreme by chance only. */
    SMALL,
    NORMAL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
