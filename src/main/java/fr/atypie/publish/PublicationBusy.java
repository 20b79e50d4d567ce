package fr.atypie.publish;

/**
 * Another run holds the output folder's lock: nothing was done, try again later. Its own exit code
 * (6) so that a scheduler can retry instead of alerting.
 */
public final class PublicationBusy extends IllegalStateException {
    public PublicationBusy(String message) {
        super(message);
    }
}
