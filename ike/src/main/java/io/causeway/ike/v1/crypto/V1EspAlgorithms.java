package io.causeway.ike.v1.crypto;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.TransformType;
import java.util.Optional;

/**
 * Phase-2 (quick mode) ESP algorithm numbers and the configuration's {@link Algorithm} objects (IKEv2
 * numbers) they stand for, so {@code ProposalSelector} and {@code EspSuites} work unchanged for IKEv1.
 *
 * <p>ESP transform ids (RFC 2407 section 4.4.4, IANA "IPsec ESP Transform Identifiers"): ESP_DES = 2,
 * ESP_3DES = 3, ESP_AES (CBC, RFC 3602 section 5.2) = 12, ESP_AES_GCM with an 8, 12 or 16-byte ICV
 * (RFC 4106 section 8) = 18, 19, 20. These are the IKEv2 ENCR numbers too. AES takes a Key Length
 * attribute (class 6) in bits.
 *
 * <p>Authentication Algorithm attribute (class 5, RFC 2407 section 4.5): HMAC-MD5 = 1, HMAC-SHA = 2, and
 * for RFC 4868 (IANA "Authentication Algorithm" registry): HMAC-SHA2-256 = 5, HMAC-SHA2-384 = 6, HMAC-SHA2-512 = 7 (truncated to 128, 192,
 * 256 bits). These differ from the IKEv2 integrity numbers (12, 13, 14 for SHA2).
 */
public final class V1EspAlgorithms {
    /** Protocol id of ESP in a proposal and in KEYMAT (RFC 2407 section 4.4.1). */
    public static final int PROTO_IPSEC_ESP = 3;

    private static final int ESP_DES = 2;
    private static final int ESP_3DES = 3;
    private static final int ESP_AES = 12;
    private static final int ESP_AES_GCM_8 = 18;
    private static final int ESP_AES_GCM_16 = 20;

    private V1EspAlgorithms() {
    }

    /** The ESP transform id of a configured ESP encryption algorithm; IllegalArgumentException if none. */
    public static int espTransformId(Algorithm encr) {
        if (encr.type() != TransformType.ENCR) {
            throw new IllegalArgumentException(encr + " is not an encryption algorithm");
        }
        int id = encr.ianaId();
        if (id == ESP_DES || id == ESP_3DES || id == ESP_AES || (id >= ESP_AES_GCM_8 && id <= ESP_AES_GCM_16)) {
            return id;
        }
        throw new IllegalArgumentException("no IKEv1 ESP transform for " + encr);
    }

    /**
     * The configured algorithm for an ESP transform id and its Key Length attribute (0 when absent): DES and
     * 3DES take none (or their fixed 64 / 192 bits), AES-CBC takes 128, 192 or 256 and 128 when absent (as
     * strongSwan accepts; RFC 3602 section 5.3 requires the attribute), AES-GCM requires it (RFC 4106
     * section 8). Empty for anything else.
     */
    public static Optional<Algorithm> encryption(int transformId, int keyLengthBits) {
        return switch (transformId) {
            case ESP_DES -> keyLengthBits == 0 || keyLengthBits == 64 ? Algorithms.byKeyword("des") : Optional.empty();
            case ESP_3DES -> keyLengthBits == 0 || keyLengthBits == 192 ? Algorithms.byKeyword("3des")
                    : Optional.empty();
            case ESP_AES -> {
                int bits = keyLengthBits == 0 ? V1Cipher.AES_DEFAULT_KEY_BITS : keyLengthBits;
                yield aesBits(bits) ? Algorithms.byKeyword("aes" + bits) : Optional.empty();
            }
            case 18, 19, 20 -> aesBits(keyLengthBits)
                    ? Algorithms.byKeyword("aes" + keyLengthBits + "gcm" + (8 + 4 * (transformId - ESP_AES_GCM_8)))
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean aesBits(int bits) {
        return bits == 128 || bits == 192 || bits == 256;
    }

    /** The Authentication Algorithm attribute of a configured integrity algorithm (md5 ... sha512). */
    public static int authAttribute(Algorithm integ) {
        if (integ.type() != TransformType.INTEG) {
            throw new IllegalArgumentException(integ + " is not an integrity algorithm");
        }
        return switch (integ.ianaId()) {
            case 1 -> 1;
            case 2 -> 2;
            case 12 -> 5;
            case 13 -> 6;
            case 14 -> 7;
            default -> throw new IllegalArgumentException("no IKEv1 authentication algorithm for " + integ);
        };
    }

    /** The configured integrity algorithm for an Authentication Algorithm attribute value. */
    public static Optional<Algorithm> integrity(int authAttribute) {
        return switch (authAttribute) {
            case 1 -> Algorithms.byKeyword("md5");
            case 2 -> Algorithms.byKeyword("sha1");
            case 5 -> Algorithms.byKeyword("sha256");
            case 6 -> Algorithms.byKeyword("sha384");
            case 7 -> Algorithms.byKeyword("sha512");
            default -> Optional.empty();
        };
    }
}
