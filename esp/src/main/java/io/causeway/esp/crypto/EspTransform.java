package io.causeway.esp.crypto;

/**
 * The cryptographic half of ESP for one SA and one thread: not thread-safe, allocated once per worker.
 * Packet layout at {@code off}: SPI(4) | Seq(4) | IV | plaintext or ciphertext | ICV (RFC 4303 2).
 */
public interface EspTransform {
    int ivBytes();

    int icvBytes();

    /**
     * Encrypts {@code ptLen} bytes (payload, padding, pad length, next header) that follow the IV, in place,
     * and writes the ICV after them. The ESP header and IV are already in the buffer.
     *
     * @param seqHi high 32 bits of the ESN, authenticated but not sent (RFC 4303 2.2.1); ignored without ESN
     */
    void seal(byte[] buf, int off, int ptLen, int seqHi);

    /**
     * Verifies the ICV of the whole ESP packet {@code buf[off, off+len)} and decrypts its payload in place.
     * Returns false, leaving the payload undefined, when the ICV does not verify.
     */
    boolean open(byte[] buf, int off, int len, int seqHi);
}
