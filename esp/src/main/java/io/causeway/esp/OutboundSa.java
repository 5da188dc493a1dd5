package io.causeway.esp;

import io.causeway.esp.crypto.EncryptedCounterIv;
import io.causeway.esp.crypto.EspTransform;
import io.causeway.esp.crypto.IvGenerator;
import io.causeway.esp.crypto.Transforms;
import io.causeway.esp.packet.Bytes;
import io.causeway.esp.packet.IpHeaders;
import io.causeway.esp.policy.TrafficSelector;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of an ESP SA (RFC 4303 3.3). Safe for many workers at once: sequence numbers come from
 * one atomic counter, and each thread gets its own cipher context on first use.
 */
public final class OutboundSa {
    private static final int ESP_HEADER = 8;
    private static final int TRAILER = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SaConfig cfg;
    private final int spi;
    private final int headroom;
    private final int ivBytes;
    private final int icvBytes;
    private final int align;
    private final long maxSequence;
    private final AtomicLong sequence;
    private final SaCounters counters = new SaCounters();
    private final Lifetime lifetime;
    private final ThreadLocal<Worker> workers;

    public OutboundSa(SaConfig cfg) {
        this.cfg = cfg;
        this.spi = cfg.spi();
        EspSuite suite = cfg.suite();
        this.ivBytes = suite.ivBytes();
        this.icvBytes = suite.icvBytes();
        this.align = suite.blockBytes();
        this.headroom = ESP_HEADER + ivBytes;
        this.maxSequence = cfg.esn() ? -2L : 0xFFFFFFFFL;
        this.sequence = new AtomicLong(cfg.initialSequence());
        this.lifetime = new Lifetime(cfg, false);
        byte[] ivSecret = new byte[EncryptedCounterIv.SECRET_BYTES];
        RANDOM.nextBytes(ivSecret);
        Transforms.create(suite, cfg.keys(), cfg.provider(), cfg.esn()); // fail now on bad keys, not on a worker
        this.workers = ThreadLocal.withInitial(() -> new Worker(
                Transforms.create(suite, cfg.keys(), cfg.provider(), cfg.esn()),
                Transforms.ivGenerator(suite, cfg.provider(), ivSecret)));
    }

    public int spi() {
        return spi;
    }

    public SaConfig config() {
        return cfg;
    }

    public SaCounters counters() {
        return counters;
    }

    public List<TrafficSelector> localSelectors() {
        return cfg.localSelectors();
    }

    public List<TrafficSelector> remoteSelectors() {
        return cfg.remoteSelectors();
    }

    /** Bytes before the inner packet: ESP header and IV. */
    public int headroom() {
        return headroom;
    }

    /** Most bytes seal() appends after the inner packet: padding, pad length, next header, ICV. */
    public int maxTailroom() {
        return align - 1 + TRAILER + icvBytes;
    }

    /** Last sequence number handed out (may exceed the limit by the number of refused attempts). */
    public long lastSequence() {
        return sequence.get();
    }

    /** True once a hard limit or sequence exhaustion stopped the SA. */
    public boolean stopped() {
        return lifetime.stopped();
    }

    /**
     * Seals in place: the inner packet is at {@code buf[off + headroom(), off + headroom() + innerLen)};
     * writes the ESP header at {@code off} and the trailer and ICV after the inner packet.
     *
     * @param nextHeader 4 or 41 for tunnel mode, the transport protocol for transport mode, 59 for a dummy
     * @return the ESP packet length, or a negative {@link SealError} code
     */
    public int seal(byte[] buf, int off, int innerLen, int nextHeader) {
        if (lifetime.stopped()) {
            return lifetime.sequenceExhausted() ? SealError.SEQUENCE_EXHAUSTED : SealError.HARD_LIMIT;
        }
        if (innerLen < 0 || nextHeader < 0 || nextHeader > 255 || off < 0) {
            return SealError.BAD_ARGUMENT;
        }
        int ptLen = (innerLen + TRAILER + align - 1) / align * align;
        int total = headroom + ptLen + icvBytes;
        if (buf.length - off < total) {
            return SealError.BUFFER_TOO_SMALL;
        }
        long seq = sequence.incrementAndGet();
        if (Long.compareUnsigned(seq, maxSequence) > 0 || seq == 0) {
            lifetime.exhausted();
            return SealError.SEQUENCE_EXHAUSTED;
        }
        int trailer = off + headroom + innerLen;
        int padLen = ptLen - innerLen - TRAILER;
        for (int i = 0; i < padLen; i++) {
            buf[trailer + i] = (byte) (i + 1); // RFC 4303 2.4 default padding 1, 2, 3, ...
        }
        buf[trailer + padLen] = (byte) padLen;
        buf[trailer + padLen + 1] = (byte) nextHeader;
        Bytes.writeInt(buf, off, spi);
        Bytes.writeInt(buf, off + 4, (int) seq);
        Worker w = workers.get();
        w.iv.write(seq, buf, off + ESP_HEADER);
        w.transform.seal(buf, off, ptLen, (int) (seq >>> 32));
        lifetime.count(counters.packetsOutCounter(), counters.bytesOutCounter(), innerLen);
        return total;
    }

    /** Tunnel-mode seal that takes the next header (4 or 41) from the inner packet's version. */
    public int seal(byte[] buf, int off, int innerLen) {
        if (innerLen < 1) {
            return SealError.BAD_ARGUMENT;
        }
        int version = IpHeaders.version(buf, off + headroom);
        return seal(buf, off, innerLen, version == 6 ? 41 : 4);
    }

    private static final class Worker {
        final EspTransform transform;
        final IvGenerator iv;

        Worker(EspTransform transform, IvGenerator iv) {
            this.transform = transform;
            this.iv = iv;
        }
    }
}
