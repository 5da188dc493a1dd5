package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;

/** RFC 4106 section 5: AAD is SPI || Seq (8 bytes) or, with ESN, SPI || Seq-hi || Seq-lo (12 bytes). */
final class Aad {
    static final int MAX = 12;

    private Aad() {
    }

    /** Writes the AAD into {@code dst} and returns its length. */
    static int write(byte[] dst, byte[] esp, int off, boolean esn, int seqHi) {
        System.arraycopy(esp, off, dst, 0, 4);
        if (!esn) {
            System.arraycopy(esp, off + 4, dst, 4, 4);
            return 8;
        }
        Bytes.writeInt(dst, 4, seqHi);
        System.arraycopy(esp, off + 4, dst, 8, 4);
        return 12;
    }
}
