package fr.atypie.version;

/** The job's version, from the jar manifest (set by Maven), or "dev" when run from classes. */
public final class Version {
    private Version() {}

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
