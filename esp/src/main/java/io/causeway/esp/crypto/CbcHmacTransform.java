package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;

/**
 * Encrypt-then-MAC ESP (RFC 4303 3.3.2 / 3.4.4): CBC over the payload, then the ICV over
 * SPI, Seq, IV and ciphertext. Opening checks the ICV before decrypting anything. A null ICV means a
 * confidentiality-only SA (RFC 4303 3.2), kept for the RFC 3602 known-answer packets.
 */
final class CbcHmacTransform implements EspTransform {
    private static final int ESP_HEADER = 8;

    private final CbcCipher cbc;
    private final Icv icv;
    private final int ivBytes;
    private final int icvBytes;
    private final boolean esn;
    private final byte[] expected = new byte[64];

    CbcHmacTransform(CbcCipher cbc, Icv icv, boolean esn) {
        this.cbc = cbc;
        this.icv = icv;
        this.ivBytes = cbc.blockBytes();
        this.icvBytes = icv == null ? 0 : icv.icvBytes();
        this.esn = esn;
    }

    CbcCipher cbc() {
        return cbc;
    }

    Icv icv() {
        return icv;
    }

    @Override
    public int ivBytes() {
        return ivBytes;
    }

    @Override
    public int icvBytes() {
        return icvBytes;
    }

    @Override
    public void seal(byte[] buf, int off, int ptLen, int seqHi) {
        int ivOff = off + ESP_HEADER;
        int ptOff = ivOff + ivBytes;
        cbc.encrypt(buf, ptOff, ptLen, buf, ivOff);
        if (icv != null) {
            icv.compute(buf, off, ESP_HEADER + ivBytes + ptLen, esn, seqHi, buf, ptOff + ptLen);
        }
    }

    @Override
    public boolean open(byte[] buf, int off, int len, int seqHi) {
        int authLen = len - icvBytes;
        if (icv != null) {
            icv.compute(buf, off, authLen, esn, seqHi, expected, 0);
            if (!Bytes.constantTimeEquals(expected, 0, buf, off + authLen, icvBytes)) {
                return false;
            }
        }
        int ivOff = off + ESP_HEADER;
        cbc.decrypt(buf, ivOff + ivBytes, authLen - ESP_HEADER - ivBytes, buf, ivOff);
        return true;
    }
}
