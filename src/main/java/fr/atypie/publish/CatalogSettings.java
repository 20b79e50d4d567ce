package fr.atypie.publish;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;

/**
 * Section {@code atypie.publish.catalog}: whether a refresh registers the month's published tables
 * in the session's Spark catalog (see {@link CatalogRegistration}), in which database, and whether the
 * restricted (prescriber-level) tables are registered too, in their own database {@code <database>_restricted}.
 */
public record CatalogSettings(boolean enabled, String database, boolean restricted) {

    public static final CatalogSettings DISABLED = new CatalogSettings(false, "atypie", false);

    /** Lower-case letters, digits and '_': accepted unquoted by Spark, Hive and every SQL client. */
    private static final String NAME = "[a-z][a-z0-9_]*";

    public static CatalogSettings from(Section s) {
        String db = s.string("database");
        if (!db.matches(NAME)) {
            throw new ConfigError(s.key("database") + " = '" + db + "' is not a database name (" + NAME + ")");
        }
        return new CatalogSettings(s.bool("enabled"), db, s.bool("restricted"));
    }

    /** The database of the restricted tables: a separate one, so that access is granted per database. */
    public String restrictedDatabase() {
        return database + "_restricted";
    }
}
