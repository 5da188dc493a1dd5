package io.causeway.ike.v1.crypto;

import java.util.Arrays;

/**
 * The secrets of an IKEv1 phase-1 SA (RFC 2409 section 5): SKEYID, SKEYID_d (keys quick mode KEYMAT),
 * SKEYID_a (the HASHes of quick mode and informational exchanges), SKEYID_e and the encryption key derived
 * from it (Appendix B). Arrays are copied in and out; toString shows lengths only.
 */
public record Phase1Keys(byte[] skeyid, byte[] skeyidD, byte[] skeyidA, byte[] skeyidE, byte[] encryptionKey) {

    private static final byte[] ZERO = {0};
    private static final byte[] ONE = {1};
    private static final byte[] TWO = {2};

    public Phase1Keys {
        skeyid = skeyid.clone();
        skeyidD = skeyidD.clone();
        skeyidA = skeyidA.clone();
        skeyidE = skeyidE.clone();
        encryptionKey = encryptionKey.clone();
    }

    /**
     * Keys for pre-shared key authentication: SKEYID = prf(pre-shared-key, Ni_b | Nr_b), then
     * {@link #derive}.
     *
     * @param nonceI       Ni_b, the body of the initiator's Nonce payload
     * @param sharedSecret g^xy, the full-length big-endian shared secret (see {@link DhValues#leftPad})
     * @param encryptionKeyBytes the phase-1 cipher's key length ({@link V1Cipher#keyBytes})
     */
    public static Phase1Keys derivePsk(V1Hash prf, byte[] psk, byte[] nonceI, byte[] nonceR, byte[] sharedSecret,
                                       long cookieI, long cookieR, int encryptionKeyBytes) {
        byte[] skeyid = skeyidPsk(prf, psk, nonceI, nonceR);
        try {
            return derive(prf, skeyid, sharedSecret, cookieI, cookieR, encryptionKeyBytes);
        } finally {
            Arrays.fill(skeyid, (byte) 0);
        }
    }

    /** SKEYID for pre-shared keys: prf(pre-shared-key, Ni_b | Nr_b) (RFC 2409 section 5). */
    public static byte[] skeyidPsk(V1Hash prf, byte[] psk, byte[] nonceI, byte[] nonceR) {
        return prf.prf(psk, nonceI, nonceR);
    }

    /** SKEYID for signature authentication: prf(Ni_b | Nr_b, g^xy) (RFC 2409 section 5). */
    public static byte[] skeyidSignature(V1Hash prf, byte[] nonceI, byte[] nonceR, byte[] sharedSecret) {
        byte[] key = Bytes.concat(nonceI, nonceR);
        try {
            return prf.prf(key, sharedSecret);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0), SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I |
     * CKY-R | 1), SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2), and the encryption key from
     * SKEYID_e ({@link #encryptionKey(V1Hash, byte[], int)}). The cookies are the 8-byte header values.
     */
    public static Phase1Keys derive(V1Hash prf, byte[] skeyid, byte[] sharedSecret, long cookieI, long cookieR,
                                    int encryptionKeyBytes) {
        byte[] ckyI = Bytes.of(cookieI);
        byte[] ckyR = Bytes.of(cookieR);
        byte[] d = prf.prf(skeyid, sharedSecret, ckyI, ckyR, ZERO);
        byte[] a = prf.prf(skeyid, d, sharedSecret, ckyI, ckyR, ONE);
        byte[] e = prf.prf(skeyid, a, sharedSecret, ckyI, ckyR, TWO);
        byte[] ka = encryptionKey(prf, e, encryptionKeyBytes);
        try {
            return new Phase1Keys(skeyid, d, a, e, ka);
        } finally {
            Arrays.fill(d, (byte) 0);
            Arrays.fill(a, (byte) 0);
            Arrays.fill(e, (byte) 0);
            Arrays.fill(ka, (byte) 0);
        }
    }

    /**
     * The cipher key from SKEYID_e (RFC 2409 Appendix B): its first {@code bytes} octets when it is long
     * enough, else the first {@code bytes} of Ka = K1 | K2 | K3 ... with K1 = prf(SKEYID_e, 0) (one zero
     * octet) and K(n+1) = prf(SKEYID_e, Kn). E.g. AES-256 (32 bytes) and 3DES (24) with SHA-1 (20) or MD5
     * (16).
     */
    public static byte[] encryptionKey(V1Hash prf, byte[] skeyidE, int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative key length");
        }
        if (skeyidE.length >= bytes) {
            return Arrays.copyOf(skeyidE, bytes);
        }
        int block = prf.outputBytes();
        byte[] ka = new byte[(bytes + block - 1) / block * block];
        byte[] k = ZERO;
        for (int off = 0; off < bytes; off += block) {
            k = prf.prf(skeyidE, k);
            System.arraycopy(k, 0, ka, off, block);
        }
        Arrays.fill(k, (byte) 0);
        byte[] out = Arrays.copyOf(ka, bytes);
        Arrays.fill(ka, (byte) 0);
        return out;
    }

    @Override
    public byte[] skeyid() {
        return skeyid.clone();
    }

    @Override
    public byte[] skeyidD() {
        return skeyidD.clone();
    }

    @Override
    public byte[] skeyidA() {
        return skeyidA.clone();
    }

    @Override
    public byte[] skeyidE() {
        return skeyidE.clone();
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Phase1Keys k && Arrays.equals(skeyid, k.skeyid) && Arrays.equals(skeyidD, k.skeyidD)
                && Arrays.equals(skeyidA, k.skeyidA) && Arrays.equals(skeyidE, k.skeyidE)
                && Arrays.equals(encryptionKey, k.encryptionKey);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {skeyid, skeyidD, skeyidA, skeyidE, encryptionKey});
    }

    @Override
    public String toString() {
        return "Phase1Keys[SKEYID=" + Bytes.redacted(skeyid) + ", SKEYID_d=" + Bytes.redacted(skeyidD)
                + ", SKEYID_a=" + Bytes.redacted(skeyidA) + ", SKEYID_e=" + Bytes.redacted(skeyidE)
                + ", encryptionKey=" + Bytes.redacted(encryptionKey) + "]";
    }
}
