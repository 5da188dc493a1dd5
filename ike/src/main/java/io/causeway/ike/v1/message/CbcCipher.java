package io.causeway.ike.v1.message;

/**
 * A block cipher in CBC mode without padding, as IKEv1 encrypts messages (RFC 2409 5.3, Appendix B).
 * Inputs are whole blocks; implementations throw IllegalArgumentException otherwise.
 */
public interface CbcCipher {
    int blockSize();

    byte[] encrypt(byte[] iv, byte[] plaintext);

    byte[] decrypt(byte[] iv, byte[] ciphertext);
}
