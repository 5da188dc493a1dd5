package io.causeway.ike.v1.crypto;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.TransformType;
import io.causeway.ike.crypto.Prf;
import io.causeway.ike.crypto.PrfAlgorithm;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The IKEv1 Hash Algorithm attribute (RFC 2409 Appendix A: 1 = MD5, 2 = SHA; the IANA "Hash Algorithm"
 * registry, for RFC 4868: 4 = SHA2-256, 5 = SHA2-384, 6 = SHA2-512). The plain hash serves the IVs and
 * NAT-D; its HMAC is IKEv1's prf, since no PRF attribute is negotiated in practice (RFC 2409 section 4:
 * without one, the HMAC of the negotiated hash is the prf).
 */
public enum V1Hash {
    MD5(1, 16, MD5Digest::new, PrfAlgorithm.HMAC_MD5, "md5"),
    SHA1(2, 20, SHA1Digest::new, PrfAlgorithm.HMAC_SHA1, "sha1"),
    SHA2_256(4, 32, SHA256Digest::new, PrfAlgorithm.HMAC_SHA2_256, "sha256"),
    SHA2_384(5, 48, SHA384Digest::new, PrfAlgorithm.HMAC_SHA2_384, "sha384"),
    SHA2_512(6, 64, SHA512Digest::new, PrfAlgorithm.HMAC_SHA2_512, "sha512");

    private final int id;
    private final int outputBytes;
    private final Supplier<Digest> digest;
    private final PrfAlgorithm hmac;
    private final String keyword;

    V1Hash(int id, int outputBytes, Supplier<Digest> digest, PrfAlgorithm hmac, String keyword) {
        this.id = id;
        this.outputBytes = outputBytes;
        this.digest = digest;
        this.hmac = hmac;
        this.keyword = keyword;
    }

    /** The Hash Algorithm attribute value (attribute class 2). */
    public int id() {
        return id;
    }

    /** Length of both the hash and the prf output. */
    public int outputBytes() {
        return outputBytes;
    }

    /** The HMAC this hash's prf is, as ike.crypto names it. */
    public PrfAlgorithm hmac() {
        return hmac;
    }

    /** HASH(part1 | part2 | ...), the plain hash (IVs, NAT-D). */
    public byte[] hash(byte[]... parts) {
        Digest d = digest.get();
        for (byte[] part : parts) {
            d.update(part, 0, part.length);
        }
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    /** prf(key, part1 | part2 | ...) = HMAC-hash (RFC 2104); keys of any length. */
    public byte[] prf(byte[] key, byte[]... parts) {
        return Prf.of(hmac).apply(key, parts);
    }

    public static Optional<V1Hash> forId(int id) {
        for (V1Hash h : values()) {
            if (h.id == id) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    /**
     * The hash for a configured integrity algorithm (md5, sha1, sha256, sha384, sha512: strongSwan's IKEv1
     * proposals name the hash that way) or PRF (prfmd5 ... prfsha512). Throws IllegalArgumentException for
     * any other algorithm.
     */
    public static V1Hash of(Algorithm integrityOrPrf) {
        TransformType type = integrityOrPrf.type();
        if (type != TransformType.INTEG && type != TransformType.PRF) {
            throw new IllegalArgumentException(integrityOrPrf + " is neither an integrity algorithm nor a PRF");
        }
        for (V1Hash h : values()) {
            int wanted = type == TransformType.INTEG ? h.integrity().ianaId() : h.hmac.ianaId();
            if (integrityOrPrf.ianaId() == wanted) {
                return h;
            }
        }
        throw new IllegalArgumentException("no IKEv1 hash for " + integrityOrPrf);
    }

    /** The configuration's integrity algorithm of the same name (md5 ... sha512), for status strings. */
    public Algorithm integrity() {
        return Algorithms.named(keyword);
    }
}
