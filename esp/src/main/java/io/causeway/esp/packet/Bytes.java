package io.causeway.esp.packet;

/** Big-endian field access and constant-time comparison on byte arrays. */
public final class Bytes {
    private Bytes() {
    }

    public static int readInt(byte[] b, int off) {
        return IpHeaders.readInt(b, off);
    }

    public static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static void writeLong(byte[] b, int off, long v) {
        writeInt(b, off, (int) (v >>> 32));
        writeInt(b, off + 4, (int) v);
    }

    /** Compares without an early exit, so timing does not reveal how many ICV bytes matched. */
    public static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
