package io.causeway.conf.export;

/** The connection cannot be exported as asked (unknown name, no matching secret); the message says why. */
public final class ExportException extends Exception {
    public ExportException(String message) {
        super(message);
    }
}
