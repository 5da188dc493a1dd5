package io.causeway.esp.replay;

/**
 * Anti-replay sliding window (RFC 4303 3.4.3) over 64-bit sequence numbers, with RFC 4303 appendix A2.2
 * inference of the ESN high bits. {@link #check} runs before decryption, {@link #accept} only after the
 * ICV verified; both take the monitor for a few instructions, and {@link #accept} re-checks so that two
 * workers racing with the same packet let only one through.
 */
public final class ReplayWindow {
    public static final int DEFAULT_SIZE = 32;
    public static final int MAX_SIZE = 65536;

    private final int size;
    private final long[] bitmap;
    private final int bitMask;
    private final boolean esn;
    /** Highest sequence number accepted so far; 0 before the first packet. */
    private long top;

    public ReplayWindow(int size, boolean esn, long initialTop) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("replay window must be 1.." + MAX_SIZE + ", not " + size);
        }
        this.size = size;
        int bits = 64;
        while (bits < size) {
            bits <<= 1;
        }
        this.bitmap = new long[bits / 64];
        this.bitMask = bits - 1;
        this.esn = esn;
        this.top = initialTop;
    }

    public int size() {
        return size;
    }

    public synchronized long top() {
        return top;
    }

    /**
     * Returns the full sequence number the received low 32 bits stand for, or -1 if the packet is a replay,
     * too old, or the forbidden sequence number 0.
     */
    public long check(int seqLow) {
        long seq;
        synchronized (this) {
            seq = esn ? inferEsn(seqLow) : seqLow & 0xFFFFFFFFL;
            if (!fresh(seq)) {
                return -1;
            }
        }
        return seq;
    }

    /** Marks {@code seq} as received; false if another worker accepted it first or the window moved past it. */
    public synchronized boolean accept(long seq) {
        if (!fresh(seq)) {
            return false;
        }
        if (seq > top) {
            long distance = seq - top;
            if (distance >= bitmap.length * 64L) {
                java.util.Arrays.fill(bitmap, 0L);
            } else {
                for (long s = top + 1; s < seq; s++) {
                    clear(s);
                }
            }
            top = seq;
        }
        set(seq);
        return true;
    }

    private boolean fresh(long seq) {
        if (seq == 0 || seq == -1) {
            return false;
        }
        if (Long.compareUnsigned(seq, top) > 0) {
            return true;
        }
        if (top - seq >= size) {
            return false;
        }
        return !isSet(seq);
    }

    /**
     * RFC 4303 A2.2: pick the high half that puts {@code seqLow} inside or above the window.
     * Returns -1 when that would be the (non-existent) subspace below 0.
     */
    private long inferEsn(int seqLow) {
        long low = seqLow & 0xFFFFFFFFL;
        long tl = top & 0xFFFFFFFFL;
        long th = top >>> 32;
        long bottom = (tl - size + 1) & 0xFFFFFFFFL;
        long hi;
        if (tl >= size - 1) {
            hi = low >= bottom ? th : th + 1;
        } else {
            if (low >= bottom) {
                if (th == 0) {
                    return -1;
                }
                hi = th - 1;
            } else {
                hi = th;
            }
        }
        return hi << 32 | low;
    }

    private boolean isSet(long seq) {
        int bit = (int) seq & bitMask;
        return (bitmap[bit >>> 6] & (1L << bit)) != 0;
    }

    private void set(long seq) {
        int bit = (int) seq & bitMask;
        bitmap[bit >>> 6] |= 1L << bit;
    }

    private void clear(long seq) {
        int bit = (int) seq & bitMask;
        bitmap[bit >>> 6] &= ~(1L << bit);
    }
}
