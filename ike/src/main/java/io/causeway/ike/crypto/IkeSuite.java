package io.causeway.ike.crypto;

import io.causeway.conf.proposal.Algorithm;

/**
 * The negotiated IKE SA transforms that decide key lengths (RFC 7296 section 2.14): encryption with its
 * key length, integrity ({@code null} for AEAD ciphers, RFC 5282 section 7) and PRF.
 */
public record IkeSuite(EncryptionAlgorithm encryption, int encryptionKeyBits, IntegrityAlgorithm integrity,
                       PrfAlgorithm prf) {

    public IkeSuite {
        if (encryption == null || prf == null) {
            throw new IllegalArgumentException("an IKE suite needs an encryption algorithm and a PRF");
        }
        if (!encryption.acceptsKeyBits(encryptionKeyBits)) {
            throw new IllegalArgumentException(encryption + " does not take a " + encryptionKeyBits + "-bit key");
        }
        if (encryption.aead() && integrity != null) {
            throw new IllegalArgumentException(encryption + " is AEAD: no integrity algorithm goes with it");
        }
        if (!encryption.aead() && integrity == null) {
            throw new IllegalArgumentException(encryption + " needs an integrity algorithm");
        }
    }

    /** From the negotiated transforms as the conf module models them; {@code integrity} may be null for AEAD. */
    public static IkeSuite of(Algorithm encryption, Algorithm integrity, Algorithm prf) {
        EncryptionAlgorithm encr = EncryptionAlgorithm.of(encryption);
        int bits = encryption.keyLengthBits() != 0 ? encryption.keyLengthBits() : encr.defaultKeyBits();
        return new IkeSuite(encr, bits, integrity == null ? null : IntegrityAlgorithm.of(integrity),
                PrfAlgorithm.of(prf));
    }

    public boolean aead() {
        return encryption.aead();
    }

    /** Length of SK_ei/SK_er: the cipher key, plus the 4-byte salt for AES-GCM (RFC 5282 section 7.1). */
    public int encryptionKeyBytes() {
        return encryptionKeyBits / 8 + (aead() ? EncryptionAlgorithm.GCM_SALT_BYTES : 0);
    }

    /** Length of SK_ai/SK_ar: 0 for AEAD. */
    public int integrityKeyBytes() {
        return integrity == null ? 0 : integrity.keyBytes();
    }

    /** Length of SK_d, SK_pi and SK_pr: the PRF's preferred key length. */
    public int prfKeyBytes() {
        return prf.keyBytes();
    }

    @Override
    public String toString() {
        return encryption + "-" + encryptionKeyBits + (integrity == null ? "" : "/" + integrity) + "/PRF_" + prf;
    }
}
