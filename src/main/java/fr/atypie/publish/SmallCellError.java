package fr.atypie.publish;

/** A table about to be published still shows a cell built on too few patients. */
public final class SmallCellError extends IllegalStateException {
    public SmallCellError(String message) {
        super(message);
    }
}
