package io.causeway.ike.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * A repeatable {@link RandomSource} for tests and simulations: the byte stream SHA-256(seed | counter)
 * for counter = 0, 1, 2, ... Two sources with the same seed produce the same bytes. Never use it for
 * real keys.
 */
public final class DeterministicRandomSource implements RandomSource {
    private final byte[] seed;
    private final byte[] block = new byte[32];
    private long counter;
    private int available;

    public DeterministicRandomSource(byte[] seed) {
        this.seed = seed.clone();
    }

    public DeterministicRandomSource(String seed) {
        this(seed.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (available == 0) {
                refill();
            }
            out[i] = block[block.length - available--];
        }
    }

    private void refill() {
        SHA256Digest digest = new SHA256Digest();
        digest.update(seed, 0, seed.length);
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (counter >>> shift));
        }
        digest.doFinal(block, 0);
        counter++;
        available = block.length;
    }

    @Override
    public String toString() {
        return "DeterministicRandomSource[counter=" + counter + "]";
    }
}
