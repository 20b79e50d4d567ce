package fr.atypie.procedure;

/** Where a prescriber stands on the graduated procedure of one theme. */
public enum ProcedureStep {
    NONE("Aucune procédure"),
    DAM("Visite DAM"),
    EC("Échange confraternel"),
    OBSERVATION("Période d'observation"),
    MSO("MSO (mise sous objectif)"),
    MSAP("MSAP (mise sous accord préalable)"),
    PENALTY_PROPOSED("Pénalité financière proposée");

    private final String label;

    ProcedureStep(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
