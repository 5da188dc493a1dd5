package io.causeway.ike.crypto;

import java.util.Arrays;

/**
 * IKE SA keys: SKEYSEED and {SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr} (RFC 7296 section 2.14),
 * and SKEYSEED when an IKE SA is rekeyed (RFC 7296 section 2.18).
 */
public final class IkeKeyDerivation {
    private IkeKeyDerivation() {
    }

    /** SKEYSEED = prf(Ni | Nr, g^ir), nonces without payload headers. */
    public static byte[] skeyseed(PrfAlgorithm prf, byte[] nonceI, byte[] nonceR, byte[] sharedSecret) {
        return Prf.of(prf).apply(Octets.concat(nonceI, nonceR), sharedSecret);
    }

    /**
     * SKEYSEED of a rekeyed IKE SA = prf(SK_d (old), g^ir (new) | Ni | Nr). The PRF is the old IKE SA's:
     * the rekeying exchange belongs to it.
     */
    public static byte[] rekeySkeyseed(PrfAlgorithm oldPrf, byte[] oldSkD, byte[] newSharedSecret, byte[] nonceI,
                                       byte[] nonceR) {
        return Prf.of(oldPrf).apply(oldSkD, newSharedSecret, nonceI, nonceR);
    }

    /**
     * prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) cut into the seven keys with the suite's lengths. For a rekeyed
     * IKE SA pass the new SA's SPIs and nonces.
     */
    public static IkeSaKeys deriveKeys(IkeSuite suite, byte[] skeyseed, byte[] nonceI, byte[] nonceR, byte[] spiI,
                                       byte[] spiR) {
        requireSpi(spiI);
        requireSpi(spiR);
        int prfLen = suite.prfKeyBytes();
        int integLen = suite.integrityKeyBytes();
        int encLen = suite.encryptionKeyBytes();
        int total = 3 * prfLen + 2 * integLen + 2 * encLen;
        byte[] stream = Prf.of(suite.prf()).plus(skeyseed, Octets.concat(nonceI, nonceR, spiI, spiR), total);
        try {
            int off = 0;
            byte[] skD = Arrays.copyOfRange(stream, off, off += prfLen);
            byte[] skAi = Arrays.copyOfRange(stream, off, off += integLen);
            byte[] skAr = Arrays.copyOfRange(stream, off, off += integLen);
            byte[] skEi = Arrays.copyOfRange(stream, off, off += encLen);
            byte[] skEr = Arrays.copyOfRange(stream, off, off += encLen);
            byte[] skPi = Arrays.copyOfRange(stream, off, off += prfLen);
            byte[] skPr = Arrays.copyOfRange(stream, off, off + prfLen);
            return new IkeSaKeys(skD, skAi, skAr, skEi, skEr, skPi, skPr);
        } finally {
            Arrays.fill(stream, (byte) 0);
        }
    }

    /** Initial IKE SA: SKEYSEED from the IKE_SA_INIT exchange, then the seven keys. */
    public static IkeSaKeys deriveInitial(IkeSuite suite, byte[] sharedSecret, byte[] nonceI, byte[] nonceR,
                                          byte[] spiI, byte[] spiR) {
        byte[] seed = skeyseed(suite.prf(), nonceI, nonceR, sharedSecret);
        try {
            return deriveKeys(suite, seed, nonceI, nonceR, spiI, spiR);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static void requireSpi(byte[] spi) {
        if (spi.length != 8) {
            throw new IllegalArgumentException("IKE SPIs are 8 bytes, not " + spi.length);
        }
    }
}
