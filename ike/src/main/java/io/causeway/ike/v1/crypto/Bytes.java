package io.causeway.ike.v1.crypto;

import io.causeway.ike.crypto.Octets;

/** Byte-array plumbing of this package: concatenation, big-endian integers, constant-time comparison. */
final class Bytes {
    private Bytes() {
    }

    static byte[] concat(byte[]... parts) {
        return Octets.concat(parts);
    }

    static byte[] of(long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (value >>> (56 - 8 * i));
        }
        return out;
    }

    static byte[] of(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return Octets.constantTimeEquals(a, b);
    }

    /** How secrets print: their length only. */
    static String redacted(byte[] secret) {
        return secret == null ? "null" : "<" + secret.length + " bytes redacted>";
    }
}
