package io.causeway.ike.crypto;

/**
 * Protection of the Encrypted payload (RFC 7296 section 3.14; RFC 5282 for AES-GCM) for one direction
 * of one IKE SA, working in place on an encoded IKE message.
 *
 * <p>Layout, offsets into {@code message}: {@code headerOffset} is the first byte of the IKE header;
 * {@code ivOffset} the first byte after the SK payload's generic header, where the IV goes; the
 * ciphertext follows the IV, then the ICV ends the SK payload. Integrity covers (CBC) or authenticates
 * as AAD (GCM) everything from the IKE header up to the IV; the header's length fields must therefore
 * be final before {@link #encrypt} and are checked by {@link #decrypt}.
 *
 * <p>The plaintext is the inner payloads followed by Padding and the Pad Length byte. Instances are
 * not thread-safe (one control thread owns an IKE SA).
 */
public interface SkCipher {

    /** Bytes of IV after the SK generic header: the block size for CBC, 8 for GCM. */
    int ivLength();

    /** Bytes of ICV at the end of the SK payload. */
    int icvLength();

    /** Alignment the padded plaintext must reach: the cipher block for CBC, 1 for GCM (no padding). */
    int blockSize();

    /** Padding + Pad Length bytes added after {@code plaintextLength} bytes of inner payloads. */
    default int paddingLength(int plaintextLength) {
        int unpadded = plaintextLength + 1;
        return (blockSize() - unpadded % blockSize()) % blockSize() + 1;
    }

    /** Bytes from {@code ivOffset} to the end of the SK payload: IV, encrypted data and ICV. */
    default int encryptedLength(int plaintextLength) {
        return ivLength() + plaintextLength + paddingLength(plaintextLength) + icvLength();
    }

    /**
     * Encrypts in place. The inner payloads are at {@code ivOffset + ivLength()}, {@code plaintextLength}
     * bytes; the buffer must have room for {@link #encryptedLength} bytes from {@code ivOffset}. Writes IV,
     * padding, Pad Length, ciphertext and ICV.
     *
     * @return the offset just after the ICV, i.e. the end of the message
     */
    int encrypt(byte[] message, int headerOffset, int ivOffset, int plaintextLength);

    /**
     * Verifies the ICV, then decrypts in place. {@code endOffset} is the end of the SK payload (its last
     * ICV byte + 1). On success the inner payloads are at {@code ivOffset + ivLength()}.
     *
     * @return the length of the inner payloads, padding and Pad Length removed
     * @throws IntegrityCheckException            if the ICV does not verify; nothing was decrypted
     * @throws MalformedEncryptedPayloadException if the lengths cannot be right
     */
    int decrypt(byte[] message, int headerOffset, int ivOffset, int endOffset) throws SkPayloadException;

    /**
     * The SK cipher for a suite and one direction's keys: SK_ei/SK_ai for messages the initiator sends,
     * SK_er/SK_ar for the responder's. {@code integrityKey} is ignored (may be null) for AEAD suites.
     */
    static SkCipher create(IkeSuite suite, byte[] encryptionKey, byte[] integrityKey, RandomSource random) {
        if (encryptionKey.length != suite.encryptionKeyBytes()) {
            throw new IllegalArgumentException("SK_e for " + suite + " is " + suite.encryptionKeyBytes()
                    + " bytes, not " + encryptionKey.length);
        }
        if (suite.aead()) {
            return new GcmSkCipher(suite.encryption(), encryptionKey, random);
        }
        if (integrityKey == null || integrityKey.length != suite.integrityKeyBytes()) {
            throw new IllegalArgumentException("SK_a for " + suite + " must be " + suite.integrityKeyBytes() + " bytes");
        }
        return new CbcHmacSkCipher(suite.encryption(), encryptionKey, suite.integrity(), integrityKey, random);
    }

    /** The cipher protecting messages sent by the initiator ({@code true}) or by the responder. */
    static SkCipher forSender(IkeSuite suite, IkeSaKeys keys, boolean initiatorSends, RandomSource random) {
        return create(suite, keys.skE(initiatorSends), suite.aead() ? null : keys.skA(initiatorSends), random);
    }
}
