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
     * The provider an SA gets when its config names none, chosen per suite by the JMH run in bench/README.md
     * (1400-byte packets, AMD EPYC with AES-NI, VAES, VPCLMULQDQ and SHA-NI, 2 vCPUs shared with other builds, JDK
     * 17.0.15; Gbit/s seal / open, bytes allocated per seal / open):
     * <ul>
     * <li>AES-GCM: ACCP. aes128gcm16 ACCP 23.9 / 13.6 (64 / 32 B), JCE 16.5 / 10.1 (1040 / 1057 B), Bouncy Castle
     * 0.82 / 0.69 (0 / 0 B); aes256gcm16 ACCP 21.3 / 14.3, JCE 15.0 / 9.2, Bouncy Castle 0.69 / 0.72. No provider is
     * both fast and allocation-free here: ACCP is the fastest and allocates a sixteenth of JCE; what it still
     * allocates is its own (a lock object per native call, a boxed length), see JceGcmTransform. Bouncy Castle, the
     * only one at zero, is 20 to 30 times slower.
     * <li>AES-CBC with HMAC: JCE. Both JCE and ACCP (AWS-LC's CBC, the JDK's HMAC) allocate nothing, and JCE was as
     * fast or a little faster: aes128-sha256 JCE 5.24 / 7.56 against ACCP 4.99 / 6.86, aes256-sha1 JCE 4.61 / 7.56
     * against 4.27 / 6.90, within this machine's noise.
     * <li>3DES and DES: Bouncy Castle (three or one DESEngine, nothing allocated), faster than SunJCE in both runs:
     * 3des-sha1 0.19 / 0.19 against 0.15 / 0.13, des-sha1 0.45 / 0.44 against 0.25 / 0.23. ACCP has neither.
     * </ul>
     * aes*gcm8 runs on Bouncy Castle whatever is chosen, since neither JCE nor ACCP takes tags under 96 bits. Where
     * ACCP does not load, its SAs run on JCE.
     */
    public static CryptoProvider defaultFor(EspSuite suite) {
        return switch (suite.cipher()) {
            case AES_GCM -> ACCP;
            case AES_CBC -> JCE;
            case DES3_CBC, DES_CBC -> BOUNCY_CASTLE;
        };
    }
}
