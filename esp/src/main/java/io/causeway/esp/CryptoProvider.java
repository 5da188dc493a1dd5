package io.causeway.esp;

/** Which implementation runs the ciphers and MACs of an SA. */
public enum CryptoProvider {
    /** SunJCE / SUN: AES, GHASH and SHA use HotSpot intrinsics (AES-NI, CLMUL, SHA-NI). */
    JCE,
    /** Bouncy Castle lightweight API: portable Java; no per-packet allocation except in its DESede engine. */
    BOUNCY_CASTLE,
    /**
     * Amazon Corretto Crypto Provider: AWS-LC's AES-GCM and AES-CBC through JCE; HMAC, DES and 3DES of such SAs
     * run on JCE. Its native library is for x86_64 glibc; where it does not load (or fails its self-tests) SAs
     * asking for it use JCE, and one warning per process says so.
     */
    ACCP;

    /**
     * The provider an SA gets when its config names none: ACCP for AES-GCM, JCE for the CBC suites (measured in
     * bench/README.md). aes*gcm8 runs on Bouncy Castle whatever is chosen, since neither JCE nor ACCP takes tags
     * under 96 bits.
     */
    public static CryptoProvider defaultFor(EspSuite suite) {
        return suite.aead() ? ACCP : JCE;
    }
}
