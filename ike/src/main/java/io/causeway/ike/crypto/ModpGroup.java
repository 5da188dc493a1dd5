package io.causeway.ike.crypto;

import java.math.BigInteger;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * MODP Diffie-Hellman groups 1, 2 (RFC 2409 section 6), 5, 14-18 (RFC 3526) and 24, the 2048-bit group
 * with a 256-bit prime order subgroup (RFC 5114 section 2.3). Public values and shared secrets are
 * zero-padded to the length of the prime (RFC 7296 sections 3.4 and 2.14).
 */
public final class ModpGroup implements DhGroup {
    private static final DHParameters RFC5114_2048_256 = new DHParameters(
            new BigInteger("87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF45"
                    + "61B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF"
                    + "4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D525267"
                    + "35488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F79"
                    + "71506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D227"
                    + "6E11715F693877FAD7EF09CADB094AE91E1A1597", 16),
            new BigInteger("3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4A"
                    + "AC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5"
                    + "E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1"
                    + "FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E15"
                    + "57CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148"
                    + "D47954515E2327CFEF98C582664B4C0F6CC41659", 16),
            new BigInteger("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3", 16));

    private final int id;
    private final BigInteger p;
    private final BigInteger g;
    private final BigInteger q;
    private final int length;
    private final int exponentBits;

    private ModpGroup(int id, DHParameters params, int exponentBits) {
        this.id = id;
        this.p = params.getP();
        this.g = params.getG();
        this.q = params.getQ();
        this.length = (p.bitLength() + 7) / 8;
        this.exponentBits = exponentBits;
    }

    /**
     * Private exponents are twice the upper strength estimate of RFC 3526 section 8 (at least 256 bits);
     * group 24 draws them from [1, q-1].
     */
    static ModpGroup forId(int id) {
        return switch (id) {
            case 1 -> new ModpGroup(1, DHStandardGroups.rfc2409_768, 256);
            case 2 -> new ModpGroup(2, DHStandardGroups.rfc2409_1024, 256);
            case 5 -> new ModpGroup(5, DHStandardGroups.rfc3526_1536, 256);
            case 14 -> new ModpGroup(14, DHStandardGroups.rfc3526_2048, 320);
            case 15 -> new ModpGroup(15, DHStandardGroups.rfc3526_3072, 420);
            case 16 -> new ModpGroup(16, DHStandardGroups.rfc3526_4096, 480);
            case 17 -> new ModpGroup(17, DHStandardGroups.rfc3526_6144, 540);
            case 18 -> new ModpGroup(18, DHStandardGroups.rfc3526_8192, 620);
            case 24 -> new ModpGroup(24, RFC5114_2048_256, 256);
            default -> throw new IllegalArgumentException("not a MODP group: " + id);
        };
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int publicValueLength() {
        return length;
    }

    BigInteger prime() {
        return p;
    }

    BigInteger generator() {
        return g;
    }

    /** Order of the subgroup g generates, when the group defines one (group 24); else null. */
    BigInteger subgroupOrder() {
        return q;
    }

    @Override
    public DhKeyPair generate(RandomSource random) {
        BigInteger x;
        do {
            byte[] bytes = random.nextBytes((exponentBits + 7) / 8);
            x = new BigInteger(1, bytes);
        } while (!validPrivate(x));
        return keyPair(x);
    }

    private boolean validPrivate(BigInteger x) {
        if (q != null) {
            return x.signum() > 0 && x.compareTo(q) < 0;
        }
        return x.compareTo(BigInteger.TWO) >= 0 && x.compareTo(p.subtract(BigInteger.TWO)) <= 0;
    }

    /** A key pair from a known private exponent (known-answer tests). */
    KeyPair keyPair(BigInteger x) {
        return new KeyPair(x, g.modPow(x, p));
    }

    /** Checks 1 < y < p-1, the exact length, and y^q = 1 mod p for groups with a known subgroup order. */
    BigInteger validatePeer(byte[] peer) throws InvalidPeerKeyException {
        if (peer.length != length) {
            throw new InvalidPeerKeyException("MODP group " + id + " public value must be " + length + " bytes, not "
                    + peer.length);
        }
        BigInteger y = new BigInteger(1, peer);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
            throw new InvalidPeerKeyException("MODP group " + id + " public value out of range (1, p-1)");
        }
        if (q != null && !y.modPow(q, p).equals(BigInteger.ONE)) {
            throw new InvalidPeerKeyException("MODP group " + id + " public value is not in the prime order subgroup");
        }
        return y;
    }

    @Override
    public String toString() {
        return "MODP group " + id + " (" + p.bitLength() + " bits)";
    }

    /** One side's MODP key. */
    final class KeyPair implements DhKeyPair {
        private final BigInteger x;
        private final byte[] publicValue;

        private KeyPair(BigInteger x, BigInteger y) {
            this.x = x;
            this.publicValue = BigIntegers.asUnsignedByteArray(length, y);
        }

        @Override
        public DhGroup group() {
            return ModpGroup.this;
        }

        @Override
        public byte[] publicValue() {
            return publicValue.clone();
        }

        @Override
        public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPeerKeyException {
            BigInteger y = validatePeer(peerPublicValue);
            BigInteger z = y.modPow(x, p);
            if (z.compareTo(BigInteger.ONE) <= 0) {
                throw new InvalidPeerKeyException("MODP group " + id + " agreement is degenerate");
            }
            return BigIntegers.asUnsignedByteArray(length, z);
        }

        @Override
        public String toString() {
            return "DhKeyPair[" + ModpGroup.this + ", private <redacted>]";
        }
    }
}
