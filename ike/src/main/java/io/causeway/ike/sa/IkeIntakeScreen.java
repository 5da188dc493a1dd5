package io.causeway.ike.sa;

import io.causeway.ike.v2.message.ExchangeType;
import java.util.concurrent.atomic.LongAdder;

/**
 * The first look at a received IKE datagram, on the socket reader's thread, before anything is copied or allocated
 * for it: what cannot be an IKE message (shorter than the 28-octet header, another major version, a length field
 * other than the datagram's, or for IKEv1 outside it) and new-SA requests from a source above its rate are dropped here, so a flood of either
 * costs a header peek and nothing for the collector. Everything else goes on to the engine, which decodes it.
 *
 * <p>The rate limit is the one {@code --init-rate-per-source} sets (strongSwan has none; 20 per second with bursts
 * of 40 by default), over IKEv2 IKE_SA_INIT requests (RFC 7296 3.1: responder SPI zero, message ID zero, initiator
 * flag) and IKEv1 first messages (RFC 2408 3.1: responder cookie zero, message ID zero), kept in the same fixed-size
 * count-min sketch of token buckets the engine uses ({@link SourceRateLimiter}). Several readers share one screen;
 * the limiter takes its own lock, only for new-SA requests.
 */
public final class IkeIntakeScreen {
    /** What to do with a datagram. */
    public enum Verdict { PASS, MALFORMED, RATE_LIMITED }

    /** The IKE header (RFC 7296 3.1, RFC 2408 3.1): SPIs / cookies, next payload, version, exchange, flags, ID, length. */
    public static final int HEADER_LENGTH = 28;

    private final SourceRateLimiter rate;
    private final LongAdder malformed = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    public IkeIntakeScreen(long seed, int perSecond) {
        rate = new SourceRateLimiter(seed, nonNegative(perSecond), 2 * perSecond);
    }

    /** A new rate (0 turns the limit off), as a reload of the daemon's option would set it. */
    public void ratePerSource(int perSecond) {
        rate.rate(nonNegative(perSecond), 2 * perSecond);
    }

    /**
     * Screens the datagram {@code buf[off, off+len)} (the non-ESP marker already skipped) from a source whose address
     * folds to {@code sourceHash} ({@code tun}'s {@code SockAddrCodec.addressHash}), at {@code nowMillis} on any
     * monotonic millisecond clock. Only the first {@link #HEADER_LENGTH} octets are read; {@code buf} may hold just
     * those when {@code len} is longer. Allocates nothing.
     */
    public Verdict screen(byte[] buf, int off, int len, int sourceHash, long nowMillis) {
        if (len < HEADER_LENGTH) {
            return refuse(malformed, Verdict.MALFORMED);
        }
        int major = (buf[off + 17] & 0xf0) >>> 4;
        long length = readUint32(buf, off + 24);
        // what the decoders refuse first: IKEv2's length must be the datagram's, IKEv1's may leave octets after it
        boolean framed = major == 2 ? length == len : major == 1 && length >= HEADER_LENGTH && length <= len;
        if (!framed) {
            return refuse(malformed, Verdict.MALFORMED);
        }
        if (!newSaRequest(buf, off, major)) {
            return Verdict.PASS;
        }
        return rate.admit(sourceHash, nowMillis) ? Verdict.PASS : refuse(rateLimited, Verdict.RATE_LIMITED);
    }

    /** Datagrams that could not be IKE messages. */
    public long malformed() {
        return malformed.sum();
    }

    /** New-SA requests refused by the per-source rate. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** A request that would create a responder SA: the responder's half of the SPIs zero, message ID zero. */
    private static boolean newSaRequest(byte[] b, int off, int major) {
        for (int i = 8; i < 16; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        if (readUint32(b, off + 20) != 0) {
            return false;
        }
        // IKEv2 also names the exchange and says who sent it; an IKEv1 responder cookie of zero is a first message
        return major == 1 || ((b[off + 18] & 0xff) == ExchangeType.IKE_SA_INIT && (b[off + 19] & 0x28) == 0x08);
    }

    private static Verdict refuse(LongAdder counter, Verdict verdict) {
        counter.increment();
        return verdict;
    }

    private static long readUint32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static int nonNegative(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("IKE_SA_INIT rate per source must not be negative: " + perSecond);
        }
        return perSecond;
    }
}
