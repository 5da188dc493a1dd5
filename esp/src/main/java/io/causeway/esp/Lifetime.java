package io.causeway.esp;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soft and hard lifetime limits of one SA direction (RFC 4301 4.4.2.1). A limit fires when a packet's
 * addAndGet range crosses it; those ranges never overlap, so exactly one worker sees each crossing and
 * the listener hears of it once. The packet that crosses the hard limit still goes through; later ones fail.
 */
final class Lifetime {
    private final SaConfig cfg;
    private final boolean inbound;
    private final AtomicBoolean exhaustedReported = new AtomicBoolean();
    private volatile boolean stopped;

    Lifetime(SaConfig cfg, boolean inbound) {
        this.cfg = cfg;
        this.inbound = inbound;
    }

    boolean stopped() {
        return stopped;
    }

    boolean sequenceExhausted() {
        return exhaustedReported.get();
    }

    void count(AtomicLong packets, AtomicLong bytes, int packetBytes) {
        long p = packets.incrementAndGet();
        long b = bytes.addAndGet(packetBytes);
        if (p < cfg.softPackets() && b < cfg.softBytes() && p < cfg.hardPackets() && b < cfg.hardBytes()) {
            return;
        }
        crossed(p - 1, p, cfg.softPackets(), LimitKind.SOFT_PACKETS);
        crossed(b - packetBytes, b, cfg.softBytes(), LimitKind.SOFT_BYTES);
        crossed(p - 1, p, cfg.hardPackets(), LimitKind.HARD_PACKETS);
        crossed(b - packetBytes, b, cfg.hardBytes(), LimitKind.HARD_BYTES);
    }

    /** The sequence space is used up: stop, and report it once however many workers notice. */
    void exhausted() {
        stopped = true;
        if (exhaustedReported.compareAndSet(false, true)) {
            cfg.limitListener().limitReached(cfg.spi(), inbound, LimitKind.SEQUENCE_EXHAUSTED);
        }
    }

    private void crossed(long before, long after, long limit, LimitKind kind) {
        if (before < limit && after >= limit) {
            if (kind.hard()) {
                stopped = true;
            }
            cfg.limitListener().limitReached(cfg.spi(), inbound, kind);
        }
    }
}
