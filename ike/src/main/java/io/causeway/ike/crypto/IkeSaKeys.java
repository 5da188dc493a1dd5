package io.causeway.ike.crypto;

import java.util.Arrays;

/**
 * The seven secrets of an IKE SA (RFC 7296 section 2.14). SK_ai/SK_ar are empty for AEAD suites, whose
 * SK_ei/SK_er end with the 4-byte salt. Arrays are copied in and out; toString shows lengths only.
 */
public record IkeSaKeys(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr) {

    public IkeSaKeys {
        skD = skD.clone();
        skAi = skAi.clone();
        skAr = skAr.clone();
        skEi = skEi.clone();
        skEr = skEr.clone();
        skPi = skPi.clone();
        skPr = skPr.clone();
    }

    @Override
    public byte[] skD() {
        return skD.clone();
    }

    @Override
    public byte[] skAi() {
        return skAi.clone();
    }

    @Override
    public byte[] skAr() {
        return skAr.clone();
    }

    @Override
    public byte[] skEi() {
        return skEi.clone();
    }

    @Override
    public byte[] skEr() {
        return skEr.clone();
    }

    @Override
    public byte[] skPi() {
        return skPi.clone();
    }

    @Override
    public byte[] skPr() {
        return skPr.clone();
    }

    /** SK_e protecting messages sent by the initiator ({@code true}) or the responder. */
    public byte[] skE(boolean initiator) {
        return initiator ? skEi() : skEr();
    }

    /** SK_a protecting messages sent by the initiator ({@code true}) or the responder. */
    public byte[] skA(boolean initiator) {
        return initiator ? skAi() : skAr();
    }

    /** SK_p for the AUTH payload of the initiator ({@code true}) or the responder. */
    public byte[] skP(boolean initiator) {
        return initiator ? skPi() : skPr();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IkeSaKeys k && Arrays.equals(skD, k.skD) && Arrays.equals(skAi, k.skAi)
                && Arrays.equals(skAr, k.skAr) && Arrays.equals(skEi, k.skEi) && Arrays.equals(skEr, k.skEr)
                && Arrays.equals(skPi, k.skPi) && Arrays.equals(skPr, k.skPr);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {skD, skAi, skAr, skEi, skEr, skPi, skPr});
    }

    @Override
    public String toString() {
        return "IkeSaKeys[SK_d=" + Redacted.of(skD) + ", SK_ai=" + Redacted.of(skAi) + ", SK_ar=" + Redacted.of(skAr)
                + ", SK_ei=" + Redacted.of(skEi) + ", SK_er=" + Redacted.of(skEr) + ", SK_pi=" + Redacted.of(skPi)
                + ", SK_pr=" + Redacted.of(skPr) + "]";
    }
}
