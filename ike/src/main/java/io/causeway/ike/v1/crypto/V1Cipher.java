package io.causeway.ike.v1.crypto;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.TransformType;
import java.util.Optional;

/**
 * The phase-1 Encryption Algorithm attribute (RFC 2409 Appendix A: 1 = DES-CBC, 5 = 3DES-CBC; RFC 3602
 * section 5.1: 7 = AES-CBC). AES-GCM is not defined for phase 1.
 */
public enum V1Cipher {
    DES_CBC(1, 8, 8),
    TRIPLE_DES_CBC(5, 8, 24),
    AES_CBC(7, 16, 0);

    /** The key length assumed for AES-CBC without a Key Length attribute. */
    public static final int AES_DEFAULT_KEY_BITS = 128;

    private final int id;
    private final int blockBytes;
    private final int fixedKeyBytes;

    V1Cipher(int id, int blockBytes, int fixedKeyBytes) {
        this.id = id;
        this.blockBytes = blockBytes;
        this.fixedKeyBytes = fixedKeyBytes;
    }

    /** The Encryption Algorithm attribute value (attribute class 1). */
    public int id() {
        return id;
    }

    public int blockBytes() {
        return blockBytes;
    }

    /** Whether the cipher takes a Key Length attribute (class 14): AES only. */
    public boolean variableKeyLength() {
        return fixedKeyBytes == 0;
    }

    /**
     * The key length in bytes for a Key Length attribute in bits, 0 when the transform had none. DES and
     * 3DES have a fixed key and need no attribute; one with their own length (64 or 192 bits) is accepted. AES takes 128, 192 or 256. RFC 3602 section 5.3 requires the
     * attribute for AES; without one, 128 bits is assumed, as early drafts of RFC 3602 allowed and as
     * strongSwan does for peers that omit it. Throws IllegalArgumentException for any other length.
     */
    public int keyBytes(int keyLengthBitsOrZero) {
        if (!variableKeyLength()) {
            if (keyLengthBitsOrZero != 0 && keyLengthBitsOrZero != fixedKeyBytes * 8) {
                throw new IllegalArgumentException(this + " has a fixed " + fixedKeyBytes * 8 + "-bit key, not "
                        + keyLengthBitsOrZero);
            }
            return fixedKeyBytes;
        }
        int bits = keyLengthBitsOrZero == 0 ? AES_DEFAULT_KEY_BITS : keyLengthBitsOrZero;
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new IllegalArgumentException("AES key length must be 128, 192 or 256 bits, not " + bits);
        }
        return bits / 8;
    }

    public static Optional<V1Cipher> forId(int id) {
        for (V1Cipher c : values()) {
            if (c.id == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The phase-1 cipher of a configured encryption algorithm (des, 3des, aes128/192/256); the Key Length
     * attribute to send is {@code encr.keyLengthBits()} for AES. AES-GCM and any other algorithm are refused
     * with IllegalArgumentException: IKEv1 phase 1 has no AEAD cipher.
     */
    public static V1Cipher of(Algorithm encr) {
        if (encr.type() != TransformType.ENCR) {
            throw new IllegalArgumentException(encr + " is not an encryption algorithm");
        }
        if (encr.aead()) {
            throw new IllegalArgumentException(encr + " is not allowed in IKEv1 phase 1 (no AEAD ciphers there)");
        }
        return switch (encr.ianaId()) {
            case 2 -> DES_CBC;
            case 3 -> TRIPLE_DES_CBC;
            case 12 -> AES_CBC;
            default -> throw new IllegalArgumentException("no IKEv1 phase-1 cipher for " + encr);
        };
    }

    /** The configuration's algorithm for this cipher and key length in bits (0 as in {@link #keyBytes}). */
    public Algorithm algorithm(int keyBits) {
        int bytes = keyBytes(keyBits);
        return switch (this) {
            case DES_CBC -> Algorithms.named("des");
            case TRIPLE_DES_CBC -> Algorithms.named("3des");
            case AES_CBC -> Algorithms.named("aes" + bytes * 8);
        };
    }
}
