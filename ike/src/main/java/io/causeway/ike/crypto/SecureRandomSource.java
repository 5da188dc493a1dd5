package io.causeway.ike.crypto;

import java.security.SecureRandom;

/** The production {@link RandomSource}: the platform's strong {@link SecureRandom}. */
public final class SecureRandomSource implements RandomSource {
    private final SecureRandom random;

    public SecureRandomSource() {
        this(new SecureRandom());
    }

    public SecureRandomSource(SecureRandom random) {
        this.random = random;
    }

    @Override
    public void nextBytes(byte[] out) {
        random.nextBytes(out);
    }

    @Override
    public String toString() {
        return "SecureRandomSource[" + random.getAlgorithm() + "]";
    }
}
