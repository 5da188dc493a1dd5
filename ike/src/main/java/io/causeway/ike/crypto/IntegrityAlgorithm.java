package io.causeway.ike.crypto;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.TransformType;
import java.util.Optional;

/** IKEv2 integrity transforms (IANA type 3): truncated HMACs, RFC 2403, RFC 2404, RFC 4868 section 2.1.1. */
public enum IntegrityAlgorithm {
    HMAC_MD5_96(1, PrfAlgorithm.HMAC_MD5, 16, 12),
    HMAC_SHA1_96(2, PrfAlgorithm.HMAC_SHA1, 20, 12),
    HMAC_SHA2_256_128(12, PrfAlgorithm.HMAC_SHA2_256, 32, 16),
    HMAC_SHA2_384_192(13, PrfAlgorithm.HMAC_SHA2_384, 48, 24),
    HMAC_SHA2_512_256(14, PrfAlgorithm.HMAC_SHA2_512, 64, 32);

    private final int ianaId;
    private final PrfAlgorithm hmac;
    private final int keyBytes;
    private final int icvBytes;

    IntegrityAlgorithm(int ianaId, PrfAlgorithm hmac, int keyBytes, int icvBytes) {
        this.ianaId = ianaId;
        this.hmac = hmac;
        this.keyBytes = keyBytes;
        this.icvBytes = icvBytes;
    }

    public int ianaId() {
        return ianaId;
    }

    /** The untruncated HMAC this transform is built on. */
    public PrfAlgorithm hmac() {
        return hmac;
    }

    public int keyBytes() {
        return keyBytes;
    }

    /** Truncated checksum length carried in the message. */
    public int icvBytes() {
        return icvBytes;
    }

    public static Optional<IntegrityAlgorithm> forIanaId(int id) {
        for (IntegrityAlgorithm a : values()) {
            if (a.ianaId == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static IntegrityAlgorithm of(Algorithm algorithm) {
        if (algorithm.type() != TransformType.INTEG) {
            throw new IllegalArgumentException(algorithm + " is not an integrity transform");
        }
        return forIanaId(algorithm.ianaId())
                .orElseThrow(() -> new IllegalArgumentException("unsupported integrity algorithm " + algorithm));
    }
}
