package io.causeway.esp;

import java.util.Arrays;

/**
 * Key material of one SA direction. For AES-GCM, {@code encKey} is the AES key followed by the 4-byte
 * salt (RFC 4106 section 8.1); {@code integKey} is empty for AEAD suites.
 */
public record SaKeys(byte[] encKey, byte[] integKey) {
    public SaKeys {
        encKey = encKey.clone();
        integKey = integKey == null ? new byte[0] : integKey.clone();
    }

    @Override
    public byte[] encKey() {
        return encKey.clone();
    }

    @Override
    public byte[] integKey() {
        return integKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaKeys k && Arrays.equals(encKey, k.encKey) && Arrays.equals(integKey, k.integKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(encKey) + Arrays.hashCode(integKey);
    }

    /** Keys never appear in logs: only their lengths. */
    @Override
    public String toString() {
        return "SaKeys[encKey=<" + encKey.length + " bytes redacted>, integKey=<" + integKey.length + " bytes redacted>]";
    }
}
