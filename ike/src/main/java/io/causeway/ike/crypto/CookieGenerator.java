package io.causeway.ike.crypto;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Stateless responder cookies (RFC 7296 section 2.6): Cookie = VersionIDofSecret | SHA-256(Ni | IPi | SPIi
 * | secret). The secret changes on {@link #rotate()} or when {@link #rotateIfDue} sees the interval
 * has passed; cookies made with the previous secret stay valid until the next rotation. Sans-IO: time
 * is whatever the caller passes.
 */
public final class CookieGenerator {
    private static final int SECRET_BYTES = 32;
    private static final int VERSION_BYTES = 4;
    /** Length of every cookie this generator makes. */
    public static final int COOKIE_BYTES = VERSION_BYTES + 32;

    private final RandomSource random;
    private final long intervalMillis;
    private int version;
    private byte[] secret;
    private byte[] previousSecret;
    private long lastRotationMillis;

    /** A generator with a fresh secret, rotating every {@code interval} from {@code nowMillis}. */
    public CookieGenerator(RandomSource random, Duration interval, long nowMillis) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("cookie secret rotation interval must be positive");
        }
        this.random = random;
        this.intervalMillis = interval.toMillis();
        this.secret = random.nextBytes(SECRET_BYTES);
        this.lastRotationMillis = nowMillis;
    }

    /** Replaces the secret; the old one keeps verifying until the next rotation. */
    public void rotate() {
        if (previousSecret != null) {
            Arrays.fill(previousSecret, (byte) 0);
        }
        previousSecret = secret;
        secret = random.nextBytes(SECRET_BYTES);
        version++;
    }

    /** Rotates when at least one interval passed since the last rotation; returns whether it did. */
    public boolean rotateIfDue(long nowMillis) {
        if (nowMillis - lastRotationMillis < intervalMillis) {
            return false;
        }
        rotate();
        lastRotationMillis = nowMillis;
        return true;
    }

    /** Version id of the current secret, as the first 4 bytes of the cookies made now. */
    public int version() {
        return version;
    }

    /** The COOKIE notification data for an IKE_SA_INIT request. */
    public byte[] cookie(byte[] nonceI, InetAddress initiatorAddress, byte[] spiI) {
        return make(version, secret, nonceI, initiatorAddress, spiI);
    }

    /** Whether a returned cookie was made by the current or the previous secret for these values. */
    public boolean isValid(byte[] cookie, byte[] nonceI, InetAddress initiatorAddress, byte[] spiI) {
        if (cookie.length != COOKIE_BYTES) {
            return false;
        }
        int v = ((cookie[0] & 0xff) << 24) | ((cookie[1] & 0xff) << 16) | ((cookie[2] & 0xff) << 8) | (cookie[3] & 0xff);
        byte[] key = v == version ? secret : v == version - 1 ? previousSecret : null;
        if (key == null) {
            return false;
        }
        return Octets.constantTimeEquals(make(v, key, nonceI, initiatorAddress, spiI), cookie);
    }

    private static byte[] make(int version, byte[] secret, byte[] nonceI, InetAddress address, byte[] spiI) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha256.update(nonceI);
        sha256.update(address.getAddress());
        sha256.update(spiI);
        sha256.update(secret);
        byte[] out = new byte[COOKIE_BYTES];
        out[0] = (byte) (version >>> 24);
        out[1] = (byte) (version >>> 16);
        out[2] = (byte) (version >>> 8);
        out[3] = (byte) version;
        System.arraycopy(sha256.digest(), 0, out, VERSION_BYTES, 32);
        return out;
    }

    @Override
    public String toString() {
        return "CookieGenerator[version=" + version + ", secret <redacted>]";
    }
}
