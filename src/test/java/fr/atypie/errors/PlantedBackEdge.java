package fr.atypie.errors;

import fr.atypie.cli.AtypieCli;

/** A deliberate back-edge (bottom layer -> cli), only for ArchitectureTest to see its rules fail; never called. */
public final class PlantedBackEdge {
    private PlantedBackEdge() {}

    static int version() {
        return AtypieCli.execute("--version");
    }
}
