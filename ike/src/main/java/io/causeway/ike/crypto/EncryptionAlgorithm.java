package io.causeway.ike.crypto;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.TransformType;
import java.util.Optional;

/**
 * IKEv2 encryption transforms (IANA type 1) for the SK payload: DES/3DES-CBC (RFC 2451), AES-CBC
 * (RFC 3602) and AES-GCM with 8/12/16-byte ICVs (RFC 5282).
 */
public enum EncryptionAlgorithm {
    DES_CBC(2, 8, 0),
    TRIPLE_DES_CBC(3, 8, 0),
    AES_CBC(12, 16, 0),
    AES_GCM_8(18, 16, 8),
    AES_GCM_12(19, 16, 12),
    AES_GCM_16(20, 16, 16);

    /** RFC 5282 section 7.1: the last 4 bytes of SK_e are the GCM salt. */
    public static final int GCM_SALT_BYTES = 4;
    /** RFC 5282 section 3.1: the explicit IV of AES-GCM in an SK payload. */
    public static final int GCM_IV_BYTES = 8;

    private final int ianaId;
    private final int cipherBlockBytes;
    private final int aeadIcvBytes;

    EncryptionAlgorithm(int ianaId, int cipherBlockBytes, int aeadIcvBytes) {
        this.ianaId = ianaId;
        this.cipherBlockBytes = cipherBlockBytes;
        this.aeadIcvBytes = aeadIcvBytes;
    }

    public int ianaId() {
        return ianaId;
    }

    public boolean aead() {
        return aeadIcvBytes != 0;
    }

    /** Block size of the underlying block cipher. */
    public int cipherBlockBytes() {
        return cipherBlockBytes;
    }

    /** For AES-GCM the tag length; 0 for CBC ciphers, whose ICV comes from the integrity transform. */
    public int aeadIcvBytes() {
        return aeadIcvBytes;
    }

    /** Whether {@code keyBits} is a valid key length; AES takes 128/192/256, DES and 3DES a fixed one. */
    public boolean acceptsKeyBits(int keyBits) {
        return switch (this) {
            case DES_CBC -> keyBits == 64;
            case TRIPLE_DES_CBC -> keyBits == 192;
            default -> keyBits == 128 || keyBits == 192 || keyBits == 256;
        };
    }

    /** Key length implied when the transform carries no Key Length attribute (DES, 3DES). */
    public int defaultKeyBits() {
        return switch (this) {
            case DES_CBC -> 64;
            case TRIPLE_DES_CBC -> 192;
            default -> 0;
        };
    }

    public static Optional<EncryptionAlgorithm> forIanaId(int id) {
        for (EncryptionAlgorithm a : values()) {
            if (a.ianaId == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static EncryptionAlgorithm of(Algorithm algorithm) {
        if (algorithm.type() != TransformType.ENCR) {
            throw new IllegalArgumentException(algorithm + " is not an encryption transform");
        }
        return forIanaId(algorithm.ianaId())
                .orElseThrow(() -> new IllegalArgumentException("unsupported encryption algorithm " + algorithm));
    }
}
