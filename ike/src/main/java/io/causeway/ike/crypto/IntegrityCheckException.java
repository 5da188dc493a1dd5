package io.causeway.ike.crypto;

/** The ICV of an SK payload did not verify: the message is dropped silently (RFC 7296 section 2.21.2). */
public final class IntegrityCheckException extends SkPayloadException {
    public IntegrityCheckException(String message) {
        super(message);
    }
}
