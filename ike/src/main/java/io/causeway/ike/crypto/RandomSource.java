package io.causeway.ike.crypto;

/** Where SPIs, nonces, IVs and DH private keys come from; injected so engines stay deterministic under test. */
public interface RandomSource {

    /** Fills {@code out} with random bytes. */
    void nextBytes(byte[] out);

    default byte[] nextBytes(int length) {
        byte[] out = new byte[length];
        nextBytes(out);
        return out;
    }
}
