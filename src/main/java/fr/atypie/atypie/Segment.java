package fr.atypie.atypie;

/** The rung of the action ladder a prescriber is placed on, with the action it calls for. */
public enum Segment {
    NOT_ASSESSABLE("Non évaluable", "aucune"),
    CONFORMING("Conforme", "retour positif"),
    IN_NORM("Dans la norme", "aucune"),
    GAIN_POTENTIAL("Centre de la distribution avec potentiel de gain", "visite DAM"),
    ATYPICAL("Atypique", "échange confraternel"),
    STRONGLY_ATYPICAL("Fortement et durablement atypique", "mise sous observation puis MSO/MSAP");

    private final String label;
    private final String action;

    Segment(String label, String action) {
        this.label = label;
        this.action = action;
    }

    public String label() {
        return label;
    }

    public String action() {
        return action;
    }
}
