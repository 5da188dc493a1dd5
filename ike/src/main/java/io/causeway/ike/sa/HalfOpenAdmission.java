package io.causeway.ike.sa;

import java.net.InetAddress;
import java.util.Collection;

/**
 * Which new IKE_SA_INIT requests may create a responder SA, before any DH is computed: the per-source rate limit
 * first (fixed memory, {@link SourceRateLimiter}), then strongSwan's two half-open limits, init_limit_half_open (in
 * all) and block_threshold (per peer address). Counts what it refused, by reason, for status and metrics.
 */
final class HalfOpenAdmission {
    /** strongSwan's charon.block_threshold default: half-open IKE SAs one peer address may have. */
    static final int DEFAULT_BLOCK_THRESHOLD = 5;
    /**
     * strongSwan's charon.init_limit_half_open is 0 (no limit) by default; a gateway needs one. Above the cookie
     * threshold (30) only initiators that receive at their source address get here, at most block_threshold each, so
     * 1,000 is 200 real addresses' worth, some 10 MB of DH and nonce state, and far above what legitimate peers
     * reach (half-open lasts one round trip for them).
     */
    static final int DEFAULT_INIT_LIMIT_HALF_OPEN = 1000;
    /** New IKE_SA_INIT requests per second one source address may send on average; a burst of twice that passes. */
    static final int DEFAULT_INIT_RATE_PER_SOURCE = 20;

    private final SourceRateLimiter rate;
    private int initLimitHalfOpen = DEFAULT_INIT_LIMIT_HALF_OPEN;
    private int blockThreshold = DEFAULT_BLOCK_THRESHOLD;
    long rateLimited;
    long halfOpenLimit;
    long blocked;

    HalfOpenAdmission(long seed) {
        rate = new SourceRateLimiter(seed, DEFAULT_INIT_RATE_PER_SOURCE, 2 * DEFAULT_INIT_RATE_PER_SOURCE);
    }

    void initLimitHalfOpen(int limit) {
        this.initLimitHalfOpen = limit;
    }

    void blockThreshold(int perPeer) {
        this.blockThreshold = perPeer;
    }

    void ratePerSource(int perSecond) {
        rate.rate(perSecond, 2 * perSecond);
    }

    /** The rate limit, checked before anything of the request is decoded beyond its header. */
    boolean withinRate(InetAddress source, long now) {
        if (rate.admit(source, now)) {
            return true;
        }
        rateLimited++;
        return false;
    }

    /** The half-open limits (0: none), given the half-open SAs now; counts a refusal. */
    boolean admit(InetAddress source, Collection<IkeSession> halfOpenSessions) {
        int all = 0;
        int fromPeer = 0;
        for (IkeSession s : halfOpenSessions) {
            if (s.halfOpen()) {
                all++;
                if (s.remoteAddress().getAddress().equals(source)) {
                    fromPeer++;
                }
            }
        }
        if (initLimitHalfOpen > 0 && all >= initLimitHalfOpen) {
            halfOpenLimit++;
            return false;
        }
        if (blockThreshold > 0 && fromPeer >= blockThreshold) {
            blocked++;
            return false;
        }
        return true;
    }
}
