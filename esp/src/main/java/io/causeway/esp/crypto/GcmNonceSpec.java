package io.causeway.esp.crypto;

import javax.crypto.spec.GCMParameterSpec;

/**
 * A GCMParameterSpec that is rewritten for every packet instead of allocated for it. The JDK's spec is immutable
 * and copies its IV in and out, which costs three allocations per packet; providers only read getIV() and
 * getTLen() during Cipher.init. getIV() hands out one of two arrays in turn rather than a copy: a provider that
 * refuses a repeated (key, IV) for encryption compares the new IV with the one it kept from the previous init,
 * and that one must still hold the previous nonce, so the array written now is never the one it kept. That holds
 * only if every init of the Cipher in one direction goes through one spec: a transform keeps one for sealing and one
 * for opening.
 */
final class GcmNonceSpec extends GCMParameterSpec {
    static final int NONCE_BYTES = 12;
    private static final int SALT_BYTES = 4;

    private final byte[] salt;
    private final byte[][] nonces = {new byte[NONCE_BYTES], new byte[NONCE_BYTES]};
    private int current;

    GcmNonceSpec(int tagBits, byte[] salt, int saltOff) {
        super(tagBits, new byte[NONCE_BYTES]);
        this.salt = new byte[SALT_BYTES];
        System.arraycopy(salt, saltOff, this.salt, 0, SALT_BYTES);
    }

    /** Nonce = salt || explicit IV (RFC 4106 4); the whole nonce is written, so a provider may clear what it read. */
    GcmNonceSpec next(byte[] iv, int ivOff) {
        current ^= 1;
        byte[] nonce = nonces[current];
        System.arraycopy(salt, 0, nonce, 0, SALT_BYTES);
        System.arraycopy(iv, ivOff, nonce, SALT_BYTES, NONCE_BYTES - SALT_BYTES);
        return this;
    }

    @Override
    public byte[] getIV() {
        return nonces[current];
    }
}
