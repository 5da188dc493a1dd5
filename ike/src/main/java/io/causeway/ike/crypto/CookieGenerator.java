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
 *
 * <p>One thread makes cookies and rotates; any thread may verify ({@link #isValidIn}: the socket readers sort
 * datagrams that return a valid cookie ahead of strangers'). The version and both secrets are one immutable
 * snapshot, replaced whole on rotation, so a verifier never pairs a version with the wrong secret.
 */
public final class CookieGenerator {
    private static final int SECRET_BYTES = 32;
    private static final int VERSION_BYTES = 4;
    /** Length of every cookie this generator makes. */
    public static final int COOKIE_BYTES = VERSION_BYTES + 32;
    private static final int SPI_BYTES = 8;

    /** The secrets in use: version's, and version - 1's (null before the first rotation). */
    private record Secrets(int version, byte[] current, byte[] previous) {
    }

    private final RandomSource random;
    private final long intervalMillis;
    private volatile Secrets secrets;
    private long lastRotationMillis;

    /** A generator with a fresh secret, rotating every {@code interval} from {@code nowMillis}. */
    public CookieGenerator(RandomSource random, Duration interval, long nowMillis) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("cookie secret rotation interval must be positive");
        }
        this.random = random;
        this.intervalMillis = interval.toMillis();
        this.secrets = new Secrets(0, random.nextBytes(SECRET_BYTES), null);
        this.lastRotationMillis = nowMillis;
    }

    /** Replaces the secret; the old one keeps verifying until the next rotation. */
    public void rotate() {
        Secrets old = secrets;
        secrets = new Secrets(old.version + 1, random.nextBytes(SECRET_BYTES), old.current);
        if (old.previous != null) {
            // a verifier still holding the old snapshot finds no match: the datagram only loses its head start
            Arrays.fill(old.previous, (byte) 0);
        }
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
        return secrets.version;
    }

    /** The COOKIE notification data for an IKE_SA_INIT request. */
    public byte[] cookie(byte[] nonceI, InetAddress initiatorAddress, byte[] spiI) {
        if (spiI.length != SPI_BYTES) {
            throw new IllegalArgumentException("an IKE SPI is 8 octets, not " + spiI.length);
        }
        Secrets now = secrets;
        return make(now.version, now.current, nonceI, 0, nonceI.length, initiatorAddress, spiI, 0);
    }

    /** Whether a returned cookie was made by the current or the previous secret for these values. */
    public boolean isValid(byte[] cookie, byte[] nonceI, InetAddress initiatorAddress, byte[] spiI) {
        return spiI.length == SPI_BYTES && isValidIn(cookie, 0, cookie.length, nonceI, 0, nonceI.length,
                initiatorAddress, spiI, 0);
    }

    /**
     * {@link #isValid} for values that lie in received octets (the cookie, Ni and SPIi at their offsets), without
     * copying them out; safe from any thread.
     */
    public boolean isValidIn(byte[] cookie, int cookieOffset, int cookieLength, byte[] nonce, int nonceOffset,
                             int nonceLength, InetAddress initiatorAddress, byte[] spi, int spiOffset) {
        if (cookieLength != COOKIE_BYTES) {
            return false;
        }
        int v = ((cookie[cookieOffset] & 0xff) << 24) | ((cookie[cookieOffset + 1] & 0xff) << 16)
                | ((cookie[cookieOffset + 2] & 0xff) << 8) | (cookie[cookieOffset + 3] & 0xff);
        Secrets now = secrets;
        byte[] key = v == now.version ? now.current : v == now.version - 1 ? now.previous : null;
        if (key == null) {
            return false;
        }
        byte[] expected = make(v, key, nonce, nonceOffset, nonceLength, initiatorAddress, spi, spiOffset);
        return Octets.constantTimeEquals(expected, 0, cookie, cookieOffset, COOKIE_BYTES);
    }

    private static byte[] make(int version, byte[] secret, byte[] nonce, int nonceOffset, int nonceLength,
                               InetAddress address, byte[] spi, int spiOffset) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha256.update(nonce, nonceOffset, nonceLength);
        sha256.update(address.getAddress());
        sha256.update(spi, spiOffset, SPI_BYTES);
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
        return "CookieGenerator[version=" + secrets.version + ", secret <redacted>]";
    }
}
