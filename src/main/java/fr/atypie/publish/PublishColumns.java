package fr.atypie.publish;

/** Columns the publication stage adds to the tables it publishes. */
public final class PublishColumns {
    private PublishColumns() {}

    /** True when the row's counts and measures were blanked for statistical secrecy. */
    public static final String SECRET = "secret";
}
