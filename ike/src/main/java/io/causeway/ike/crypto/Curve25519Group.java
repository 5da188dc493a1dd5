package io.causeway.ike.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Curve25519 group 31 (RFC 8031): X25519 of RFC 7748, 32-byte public values and shared secrets; an
 * all-zero result (a low-order peer value) is refused (RFC 8031 section 2.3, RFC 7748 section 6.1).
 */
public final class Curve25519Group implements DhGroup {
    static final Curve25519Group INSTANCE = new Curve25519Group();

    private Curve25519Group() {
    }

    @Override
    public int id() {
        return 31;
    }

    @Override
    public int publicValueLength() {
        return X25519.POINT_SIZE;
    }

    @Override
    public DhKeyPair generate(RandomSource random) {
        byte[] k = random.nextBytes(X25519.SCALAR_SIZE);
        X25519.clampPrivateKey(k);
        return keyPair(k);
    }

    /** A key pair from a known 32-byte scalar (known-answer tests); it is clamped as X25519 does. */
    KeyPair keyPair(byte[] scalar) {
        if (scalar.length != X25519.SCALAR_SIZE) {
            throw new IllegalArgumentException("X25519 scalars are 32 bytes");
        }
        return new KeyPair(scalar.clone());
    }

    @Override
    public String toString() {
        return "Curve25519 group 31";
    }

    /** One side's X25519 key. */
    static final class KeyPair implements DhKeyPair {
        private final byte[] k;
        private final byte[] publicValue = new byte[X25519.POINT_SIZE];

        private KeyPair(byte[] k) {
            this.k = k;
            X25519.generatePublicKey(k, 0, publicValue, 0);
        }

        @Override
        public DhGroup group() {
            return INSTANCE;
        }

        @Override
        public byte[] publicValue() {
            return publicValue.clone();
        }

        @Override
        public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPeerKeyException {
            if (peerPublicValue.length != X25519.POINT_SIZE) {
                throw new InvalidPeerKeyException("Curve25519 public value must be 32 bytes, not "
                        + peerPublicValue.length);
            }
            byte[] z = new byte[X25519.POINT_SIZE];
            if (!X25519.calculateAgreement(k, 0, peerPublicValue, 0, z, 0)) {
                Arrays.fill(z, (byte) 0);
                throw new InvalidPeerKeyException("Curve25519 agreement is all zero (low-order public value)");
            }
            return z;
        }

        @Override
        public String toString() {
            return "DhKeyPair[Curve25519 group 31, private <redacted>]";
        }
    }
}
