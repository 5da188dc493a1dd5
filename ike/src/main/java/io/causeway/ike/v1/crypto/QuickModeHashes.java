package io.causeway.ike.v1.crypto;

/**
 * The HASH payloads of quick mode (RFC 2409 section 5.5) and of informational exchanges (section 5.7),
 * keyed with SKEYID_a. M-ID is the 4-byte message id of the header; "payloads after HASH" are the
 * messages's payloads, generic headers included, from the one after HASH to the end of the last payload
 * (the encryption padding excluded).
 */
public final class QuickModeHashes {
    private static final byte[] ZERO = {0};

    private QuickModeHashes() {
    }

    /** HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]). */
    public static byte[] hash1(V1Hash prf, byte[] skeyidA, int messageId, byte[] payloadsAfterHash) {
        return prf.prf(skeyidA, Bytes.of(messageId), payloadsAfterHash);
    }

    /** HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [| KE] [| IDci | IDcr]); Ni_b is the initiator's nonce body. */
    public static byte[] hash2(V1Hash prf, byte[] skeyidA, int messageId, byte[] nonceIBody,
                               byte[] payloadsAfterHash) {
        return prf.prf(skeyidA, Bytes.of(messageId), nonceIBody, payloadsAfterHash);
    }

    /** HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b), the 0 a single octet. */
    public static byte[] hash3(V1Hash prf, byte[] skeyidA, int messageId, byte[] nonceIBody, byte[] nonceRBody) {
        return prf.prf(skeyidA, ZERO, Bytes.of(messageId), nonceIBody, nonceRBody);
    }

    /** HASH(1) of an informational exchange = prf(SKEYID_a, M-ID | N/D) (RFC 2409 section 5.7). */
    public static byte[] informational(V1Hash prf, byte[] skeyidA, int messageId, byte[] payloadsAfterHash) {
        return hash1(prf, skeyidA, messageId, payloadsAfterHash);
    }
}
