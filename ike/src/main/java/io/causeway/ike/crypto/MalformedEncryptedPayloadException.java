package io.causeway.ike.crypto;

/**
 * An SK payload whose lengths cannot be right: too short for IV and ICV, not a whole number of cipher
 * blocks, or (after a good ICV) a Pad Length longer than the data.
 */
public final class MalformedEncryptedPayloadException extends SkPayloadException {
    public MalformedEncryptedPayloadException(String message) {
        super(message);
    }
}
