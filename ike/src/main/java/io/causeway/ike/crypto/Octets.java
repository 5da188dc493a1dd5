package io.causeway.ike.crypto;

/** Byte-array plumbing of the IKE crypto of both versions: concatenation and constant-time comparison. */
public final class Octets {
    private Octets() {
    }

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** Compares two ranges in time that depends only on {@code length}. */
    public static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return a.length == b.length && constantTimeEquals(a, 0, b, 0, a.length);
    }
}
