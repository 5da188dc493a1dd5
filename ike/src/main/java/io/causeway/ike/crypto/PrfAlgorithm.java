package io.causeway.ike.crypto;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.TransformType;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/** IKEv2 PRF transforms (IANA transform type 2) built on HMAC: RFC 2104, RFC 4868 section 2.1.2. */
public enum PrfAlgorithm {
    HMAC_MD5(1, 16, MD5Digest::new),
    HMAC_SHA1(2, 20, SHA1Digest::new),
    HMAC_SHA2_256(5, 32, SHA256Digest::new),
    HMAC_SHA2_384(6, 48, SHA384Digest::new),
    HMAC_SHA2_512(7, 64, SHA512Digest::new);

    private final int ianaId;
    private final int outputBytes;
    private final Supplier<Digest> digest;

    PrfAlgorithm(int ianaId, int outputBytes, Supplier<Digest> digest) {
        this.ianaId = ianaId;
        this.outputBytes = outputBytes;
        this.digest = digest;
    }

    public int ianaId() {
        return ianaId;
    }

    /** Output length of one PRF block. */
    public int outputBytes() {
        return outputBytes;
    }

    /** Preferred key length: for HMAC PRFs the output length (RFC 7296 2.14, RFC 4868 2.1.2). */
    public int keyBytes() {
        return outputBytes;
    }

    Digest newDigest() {
        return digest.get();
    }

    public static Optional<PrfAlgorithm> forIanaId(int id) {
        for (PrfAlgorithm a : values()) {
            if (a.ianaId == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The PRF for a configured transform; throws if it is not a PRF Causeway implements. */
    public static PrfAlgorithm of(Algorithm algorithm) {
        if (algorithm.type() != TransformType.PRF) {
            throw new IllegalArgumentException(algorithm + " is not a PRF transform");
        }
        return forIanaId(algorithm.ianaId())
                .orElseThrow(() -> new IllegalArgumentException("unsupported PRF " + algorithm));
    }
}
