package io.causeway.ike.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * NIST prime curve groups 19, 20, 21 (RFC 5903): public value x | y without a point-format byte
 * (section 7), shared secret the x coordinate of the agreed point.
 */
public final class EcpGroup implements DhGroup {
    private static final EcpGroup P256 = new EcpGroup(19, "secp256r1");
    private static final EcpGroup P384 = new EcpGroup(20, "secp384r1");
    private static final EcpGroup P521 = new EcpGroup(21, "secp521r1");

    private final int id;
    private final String curveName;
    private final ECCurve curve;
    private final ECPoint generator;
    private final BigInteger order;
    private final int coordinateBytes;

    private EcpGroup(int id, String curveName) {
        X9ECParameters params = CustomNamedCurves.getByName(curveName);
        this.id = id;
        this.curveName = curveName;
        this.curve = params.getCurve();
        this.generator = params.getG();
        this.order = params.getN();
        this.coordinateBytes = (curve.getFieldSize() + 7) / 8;
    }

    static EcpGroup forId(int id) {
        return switch (id) {
            case 19 -> P256;
            case 20 -> P384;
            case 21 -> P521;
            default -> throw new IllegalArgumentException("not an ECP group: " + id);
        };
    }

    @Override
    public int id() {
        return id;
    }

    /** x | y: twice the coordinate length (64, 96 or 132 bytes). */
    @Override
    public int publicValueLength() {
        return 2 * coordinateBytes;
    }

    /** Length of the shared secret, the x coordinate alone. */
    public int sharedSecretLength() {
        return coordinateBytes;
    }

    @Override
    public DhKeyPair generate(RandomSource random) {
        BigInteger d;
        int bits = order.bitLength();
        do {
            byte[] bytes = random.nextBytes((bits + 7) / 8);
            d = new BigInteger(1, bytes);
            d = d.and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        } while (d.signum() == 0 || d.compareTo(order) >= 0);
        return keyPair(d);
    }

    /** A key pair from a known private scalar (known-answer tests). */
    KeyPair keyPair(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(order) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
        return new KeyPair(d, generator.multiply(d).normalize());
    }

    private byte[] encode(ECPoint point) {
        byte[] out = new byte[2 * coordinateBytes];
        BigIntegers.asUnsignedByteArray(point.getAffineXCoord().toBigInteger(), out, 0, coordinateBytes);
        BigIntegers.asUnsignedByteArray(point.getAffineYCoord().toBigInteger(), out, coordinateBytes, coordinateBytes);
        return out;
    }

    /** Exact length, coordinates below the field prime, point on the curve and not at infinity. */
    ECPoint validatePeer(byte[] peer) throws InvalidPeerKeyException {
        if (peer.length != 2 * coordinateBytes) {
            throw new InvalidPeerKeyException("ECP group " + id + " public value must be " + 2 * coordinateBytes
                    + " bytes, not " + peer.length);
        }
        BigInteger x = new BigInteger(1, java.util.Arrays.copyOfRange(peer, 0, coordinateBytes));
        BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(peer, coordinateBytes, peer.length));
        BigInteger fieldPrime = curve.getField().getCharacteristic();
        if (x.compareTo(fieldPrime) >= 0 || y.compareTo(fieldPrime) >= 0) {
            throw new InvalidPeerKeyException("ECP group " + id + " public value has a coordinate outside the field");
        }
        ECPoint point;
        try {
            point = curve.validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            throw new InvalidPeerKeyException("ECP group " + id + " public value is not a point on " + curveName);
        }
        if (point.isInfinity()) {
            throw new InvalidPeerKeyException("ECP group " + id + " public value is the point at infinity");
        }
        return point;
    }

    @Override
    public String toString() {
        return "ECP group " + id + " (" + curveName + ")";
    }

    /** One side's ECDH key. */
    final class KeyPair implements DhKeyPair {
        private final BigInteger d;
        private final byte[] publicValue;

        private KeyPair(BigInteger d, ECPoint q) {
            this.d = d;
            this.publicValue = encode(q);
        }

        @Override
        public DhGroup group() {
            return EcpGroup.this;
        }

        @Override
        public byte[] publicValue() {
            return publicValue.clone();
        }

        @Override
        public byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPeerKeyException {
            ECPoint agreed = validatePeer(peerPublicValue).multiply(d).normalize();
            if (agreed.isInfinity()) {
                throw new InvalidPeerKeyException("ECP group " + id + " agreement is the point at infinity");
            }
            return BigIntegers.asUnsignedByteArray(coordinateBytes, agreed.getAffineXCoord().toBigInteger());
        }

        @Override
        public String toString() {
            return "DhKeyPair[" + EcpGroup.this + ", private <redacted>]";
        }
    }
}
