package io.causeway.conf.secrets;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A pre-shared key. Its bytes are only reachable through bytes(); every text form is redacted so a
 * key cannot leak into logs, status output or error messages by accident.
 */
public final class Psk {
    private final byte[] secret;

    public Psk(byte[] secret) {
        this.secret = secret.clone();
    }

    /** A copy of the key material, for the PRF computation only. */
    public byte[] bytes() {
        return secret.clone();
    }

    public int length() {
        return secret.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Psk other && MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public int hashCode() {
        // never derived from the key: hash codes end up in debug output too
        return Psk.class.hashCode();
    }

    @Override
    public String toString() {
        return "Psk[redacted]";
    }

    /** Overwrites the key material once it is no longer needed. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }
}
