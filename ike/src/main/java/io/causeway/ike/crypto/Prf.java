package io.causeway.ike.crypto;

import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** An IKEv2 pseudo-random function (RFC 2104 HMAC) and its prf+ expansion (RFC 7296 section 2.13). */
public final class Prf {
    private static final int MAX_PRF_PLUS_BLOCKS = 255;

    private final PrfAlgorithm algorithm;

    private Prf(PrfAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    public static Prf of(PrfAlgorithm algorithm) {
        return new Prf(algorithm);
    }

    public PrfAlgorithm algorithm() {
        return algorithm;
    }

    public int outputBytes() {
        return algorithm.outputBytes();
    }

    /** prf(key, part1 | part2 | ...). Keys of any length are allowed, as HMAC allows them. */
    public byte[] apply(byte[] key, byte[]... parts) {
        HMac mac = new HMac(algorithm.newDigest());
        mac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * prf+(key, seed) truncated to {@code length} bytes: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n).
     * At most 255 blocks can be produced.
     */
    public byte[] plus(byte[] key, byte[] seed, int length) {
        int blocks = (length + outputBytes() - 1) / outputBytes();
        if (length < 0 || blocks > MAX_PRF_PLUS_BLOCKS) {
            throw new IllegalArgumentException("prf+ cannot produce " + length + " bytes with " + algorithm);
        }
        HMac mac = new HMac(algorithm.newDigest());
        mac.init(new KeyParameter(key));
        byte[] out = new byte[blocks * outputBytes()];
        for (int n = 1; n <= blocks; n++) {
            if (n > 1) {
                mac.update(out, (n - 2) * outputBytes(), outputBytes());
            }
            mac.update(seed, 0, seed.length);
            mac.update((byte) n);
            mac.doFinal(out, (n - 1) * outputBytes());
        }
        if (out.length == length) {
            return out;
        }
        byte[] truncated = java.util.Arrays.copyOf(out, length);
        java.util.Arrays.fill(out, (byte) 0);
        return truncated;
    }

    @Override
    public String toString() {
        return "Prf[" + algorithm + "]";
    }
}
