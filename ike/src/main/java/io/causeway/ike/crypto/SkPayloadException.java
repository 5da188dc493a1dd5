package io.causeway.ike.crypto;

/** An Encrypted (SK) payload that cannot be opened; its contents must not be parsed (RFC 7296 section 3.14). */
public abstract sealed class SkPayloadException extends Exception
        permits IntegrityCheckException, MalformedEncryptedPayloadException {
    SkPayloadException(String message) {
        super(message);
    }
}
