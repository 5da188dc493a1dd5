package io.causeway.esp;

/** Which implementation runs the ciphers and MACs of an SA. */
public enum CryptoProvider {
    /** SunJCE / SUN: AES, GHASH and SHA use HotSpot intrinsics (AES-NI, CLMUL, SHA-NI). */
    JCE,
    /** Bouncy Castle lightweight API: portable Java; no per-packet allocation except in its DESede engine. */
    BOUNCY_CASTLE;

    /**
     * JCE, chosen by the JMH run in bench/README.md (AMD EPYC, 2 shared vCPUs, JDK 17.0.15, AES-NI, CLMUL and
     * SHA-NI present). AES-GCM at 1400 bytes, seal: JCE 7.70 Gbit/s (aes128gcm16) and 7.25 Gbit/s
     * (aes256gcm16) against Bouncy Castle 0.61 and 0.56 Gbit/s; open: JCE 6.68 and 5.05 against 0.53 and
     * 0.50. JCE costs about 1.1 KB of garbage per GCM packet (GCMParameterSpec and SunJCE's per-init state);
     * Bouncy Castle allocates nothing but is 10 to 13 times slower, which no GC saving makes up for.
     */
    public static final CryptoProvider DEFAULT = JCE;
}
