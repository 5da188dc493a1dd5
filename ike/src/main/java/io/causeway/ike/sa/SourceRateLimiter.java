package io.causeway.ike.sa;

import java.net.InetAddress;

/**
 * Per-source rate limit of new IKE_SA_INIT requests in fixed memory: a count-min sketch whose cells are token
 * buckets. A source hashes (with a random seed, so nobody can pick colliding addresses) to one cell in each of
 * {@link #ROWS} rows; it is refused only when every one of its cells is empty, so a flooding source empties its own
 * cells but a legitimate one that shares one of them still has a full cell in another row. A request that passes
 * takes a token from each of its cells. Nothing is allocated per request and the table never grows, whatever the
 * number of sources: this is the state a spoofed /16 cannot inflate.
 *
 * <p>Safe from several threads (the socket readers apply it before a datagram is queued for the control thread, see
 * {@link IkeIntakeScreen}): each request's read-refill-take is one short synchronized step.
 */
final class SourceRateLimiter {
    static final int ROWS = 2;
    static final int CELLS = 4096;

    private final long[] seeds = new long[ROWS];
    /** Tokens per cell, in thousandths, so a refill between two requests a millisecond apart is not lost. */
    private final long[] milliTokens = new long[ROWS * CELLS];
    private final long[] refilledAt = new long[ROWS * CELLS];
    private int perSecond;
    private int burst;

    /** perSecond 0 turns the limit off; burst is what a quiet source may send at once. */
    SourceRateLimiter(long seed, int perSecond, int burst) {
        for (int r = 0; r < ROWS; r++) {
            seeds[r] = mix(seed + 0x9E3779B97F4A7C15L * (r + 1));
        }
        rate(perSecond, burst);
    }

    synchronized void rate(int perSecond, int burst) {
        if (perSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("rate and burst must not be negative");
        }
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        java.util.Arrays.fill(refilledAt, Long.MIN_VALUE);
    }

    /** Whether a new IKE_SA_INIT from this address may go on now; takes its tokens when it may. */
    synchronized boolean admit(InetAddress source, long now) {
        // Inet4Address: the address itself; Inet6Address: folded from its bytes; no copy
        return admit(source.hashCode(), now);
    }

    /** Like {@link #admit(InetAddress, long)} for an address already folded into an int (see IkeIntakeScreen). */
    synchronized boolean admit(int h, long now) {
        if (perSecond == 0) {
            return true;
        }
        long full = burst * 1000L;
        boolean any = false;
        for (int r = 0; r < ROWS; r++) {
            int i = cell(r, h);
            long last = refilledAt[i];
            long tokens = last == Long.MIN_VALUE ? full
                    : Math.min(full, milliTokens[i] + Math.max(0, now - last) * perSecond);
            milliTokens[i] = tokens;
            refilledAt[i] = now;
            any |= tokens >= 1000;
        }
        if (!any) {
            return false;
        }
        for (int r = 0; r < ROWS; r++) {
            int i = cell(r, h);
            milliTokens[i] = Math.max(0, milliTokens[i] - 1000);
        }
        return true;
    }

    private int cell(int row, int hash) {
        return row * CELLS + (int) ((mix(hash ^ seeds[row]) >>> 1) % CELLS);
    }

    /** A 64-bit finalizer (splitmix64), so near addresses land in unrelated cells. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
