package io.causeway.ike.crypto;

/**
 * The peer's Diffie-Hellman public value failed validation (wrong length, out of range, not in the
 * subgroup, not on the curve, or a degenerate result). The engine answers INVALID_SYNTAX or drops the
 * message; the value is never used.
 */
public final class InvalidPeerKeyException extends Exception {
    public InvalidPeerKeyException(String message) {
        super(message);
    }
}
