package fr.atypie.errors;

/**
 * The input cannot be used at all (missing table, missing or mistyped column): the message names
 * the table, the column and the reason. Maps to exit code 4.
 */
public class InputError extends RuntimeException {
    public InputError(String message) {
        super(message);
    }
}
