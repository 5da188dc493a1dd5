package io.causeway.ike.v1.crypto;

import java.util.Arrays;

/**
 * Main and aggressive mode authentication hashes (RFC 2409 section 5) and the IVs of IKEv1's CBC
 * encryption (Appendix B).
 */
public final class Phase1Hashes {
    private Phase1Hashes() {
    }

    /**
     * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b).
     *
     * @param saiBody  the body of the initiator's SA payload (DOI, situation, proposals), its generic
     *                 header excluded; the responder uses the initiator's too
     * @param idiiBody the initiator's ID payload body: ID type, protocol, port, data
     */
    public static byte[] hashI(V1Hash prf, byte[] skeyid, byte[] gxi, byte[] gxr, long cookieI, long cookieR,
                               byte[] saiBody, byte[] idiiBody) {
        return prf.prf(skeyid, gxi, gxr, Bytes.of(cookieI), Bytes.of(cookieR), saiBody, idiiBody);
    }

    /**
     * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b): the arguments are in that order,
     * so {@code gxr} is the responder's public value, and SAi_b is still the initiator's SA body.
     */
    public static byte[] hashR(V1Hash prf, byte[] skeyid, byte[] gxr, byte[] gxi, long cookieR, long cookieI,
                               byte[] saiBody, byte[] idirBody) {
        return prf.prf(skeyid, gxr, gxi, Bytes.of(cookieR), Bytes.of(cookieI), saiBody, idirBody);
    }

    /** The IV of the first phase-1 encrypted message: the first {@code blockBytes} of HASH(g^xi | g^xr). */
    public static byte[] phase1Iv(V1Hash hash, byte[] gxi, byte[] gxr, int blockBytes) {
        return truncate(hash, hash.hash(gxi, gxr), blockBytes);
    }

    /**
     * The first IV of a quick mode or informational exchange: the first {@code blockBytes} of HASH(last
     * phase-1 CBC output block | M-ID), the M-ID as the 4 header bytes. Later messages of the exchange
     * continue from the last ciphertext block of the one before.
     */
    public static byte[] phase2Iv(V1Hash hash, byte[] lastPhase1CipherBlock, int messageId, int blockBytes) {
        return truncate(hash, hash.hash(lastPhase1CipherBlock, Bytes.of(messageId)), blockBytes);
    }

    private static byte[] truncate(V1Hash hash, byte[] digest, int blockBytes) {
        if (blockBytes <= 0 || blockBytes > digest.length) {
            throw new IllegalArgumentException(hash + " gives " + digest.length + " bytes, not a " + blockBytes
                    + "-byte IV");
        }
        return Arrays.copyOf(digest, blockBytes);
    }
}
