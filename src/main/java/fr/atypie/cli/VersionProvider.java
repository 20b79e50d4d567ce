package fr.atypie.cli;

import fr.atypie.version.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code atypie --version}: the jar's version (see {@link Version}), Spark line and Java release. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"atypie " + Version.current() + " (Spark 3.5, Java " + Runtime.version().feature() + ")"};
    }
}
