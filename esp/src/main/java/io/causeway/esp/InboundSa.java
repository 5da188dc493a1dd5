package io.causeway.esp;

import io.causeway.esp.crypto.EspTransform;
import io.causeway.esp.crypto.Transforms;
import io.causeway.esp.packet.Bytes;
import io.causeway.esp.packet.IpHeaders;
import io.causeway.esp.policy.SelectorCheck;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.esp.replay.ReplayWindow;
import java.util.List;

/**
 * The receiving side of an ESP SA (RFC 4303 3.4): replay check, ICV check and decryption, window update,
 * trailer checks, then the inbound selector check. Safe for many workers at once: {@link #open} on each, or
 * {@link #openUnordered} on each and {@link #acceptInOrder} in the order the packets arrived.
 */
public final class InboundSa {
    private static final int ESP_HEADER = 8;
    private static final int TRAILER = 2;
    private static final int NEXT_IPV4 = 4;
    private static final int NEXT_IPV6 = 41;
    private static final int NEXT_DUMMY = 59;

    private final SaConfig cfg;
    private final int spi;
    private final int ivBytes;
    private final int icvBytes;
    private final int cbcBlock;
    private final boolean tunnel;
    private final ReplayWindow replay;
    private final SelectorCheck selectors;
    private final SaCounters counters = new SaCounters();
    private final Lifetime lifetime;
    private final ThreadLocal<EspTransform> transforms;

    public InboundSa(SaConfig cfg) {
        this.cfg = cfg;
        this.spi = cfg.spi();
        EspSuite suite = cfg.suite();
        this.ivBytes = suite.ivBytes();
        this.icvBytes = suite.icvBytes();
        this.cbcBlock = suite.aead() ? 1 : suite.blockBytes();
        this.tunnel = cfg.mode() == EspMode.TUNNEL;
        this.replay = new ReplayWindow(cfg.replayWindow(), cfg.esn(), cfg.initialSequence());
        this.selectors = new SelectorCheck(cfg.localSelectors(), cfg.remoteSelectors());
        this.lifetime = new Lifetime(cfg, true);
        Transforms.create(suite, cfg.keys(), cfg.provider(), cfg.esn()); // fail now on bad keys, not on a worker
        this.transforms = ThreadLocal.withInitial(() -> Transforms.create(suite, cfg.keys(), cfg.provider(), cfg.esn()));
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

    public boolean stopped() {
        return lifetime.stopped();
    }

    /** Highest sequence number accepted so far. */
    public long highestSequence() {
        return replay.top();
    }

    /**
     * Opens the ESP packet {@code buf[off, off+len)} in place. On success returns NONE and fills {@code out};
     * otherwise the packet is dropped, counted under the returned reason, and {@code out} is cleared.
     */
    public DropReason open(byte[] buf, int off, int len, Opened out) {
        return open(buf, off, len, out, true);
    }

    /**
     * The first half of {@link #open} for a receiver that decrypts on several threads: the replay check against the
     * window as far as it has moved, ICV and decryption, trailer and selector checks, but neither the window update
     * nor lifetime counting. Whoever delivers the packets in the order they were received calls
     * {@link #acceptInOrder} with {@code out.sequence} and {@code out.innerLength} before delivering, so packets that
     * only the receiver's own threads reordered are never taken for stragglers. Returns and counts as {@link #open}.
     */
    public DropReason openUnordered(byte[] buf, int off, int len, Opened out) {
        return open(buf, off, len, out, false);
    }

    private DropReason open(byte[] buf, int off, int len, Opened out, boolean inOrder) {
        out.clear();
        DropReason verdict = decrypt(buf, off, len, out);
        if (verdict != DropReason.NONE) {
            return verdict;
        }
        long seq = out.sequence;
        out.sequence = 0;
        if (inOrder && !replay.accept(seq)) {
            return counters.drop(DropReason.REPLAY);
        }
        verdict = checkTrailer(buf, off + ESP_HEADER + ivBytes, len - ESP_HEADER - ivBytes - icvBytes, seq, out);
        if (inOrder && verdict == DropReason.NONE) {
            lifetime.count(counters.packetsInCounter(), counters.bytesInCounter(), out.innerLength);
        }
        return verdict;
    }

    /**
     * The second half: marks {@code seq} received and counts the packet's {@code innerLength} bytes towards the
     * lifetime. REPLAY when the same sequence number was accepted meanwhile (a duplicate that was decrypted at the
     * same time) or the window moved past it; HARD_LIMIT once the SA is used up. Counted like {@link #open}'s drops.
     */
    public DropReason acceptInOrder(long seq, int innerLength) {
        if (lifetime.stopped()) {
            return counters.drop(DropReason.HARD_LIMIT);
        }
        if (!replay.accept(seq)) {
            return counters.drop(DropReason.REPLAY);
        }
        lifetime.count(counters.packetsInCounter(), counters.bytesInCounter(), innerLength);
        return DropReason.NONE;
    }

    /** Lifetime, length, SPI, replay check, ICV and decryption; on NONE {@code out.sequence} is the full number. */
    private DropReason decrypt(byte[] buf, int off, int len, Opened out) {
        if (lifetime.stopped()) {
            return counters.drop(DropReason.HARD_LIMIT);
        }
        int ctLen = len - ESP_HEADER - ivBytes - icvBytes;
        if (ctLen < TRAILER || ctLen % cbcBlock != 0 || off < 0 || buf.length - off < len) {
            return counters.drop(DropReason.MALFORMED);
        }
        if (Bytes.readInt(buf, off) != spi) {
            return counters.drop(DropReason.NO_SA);
        }
        long seq = replay.check(Bytes.readInt(buf, off + 4));
        if (seq == -1) {
            return counters.drop(DropReason.REPLAY);
        }
        if (!transforms.get().open(buf, off, len, (int) (seq >>> 32))) {
            return counters.drop(DropReason.AUTH_FAILED);
        }
        out.sequence = seq;
        return DropReason.NONE;
    }

    /** Checks the decrypted trailer (RFC 4303 2.4-2.6) and the inner packet against the SA's policy. */
    private DropReason checkTrailer(byte[] buf, int ptOff, int ptLen, long seq, Opened out) {
        int nextHeader = buf[ptOff + ptLen - 1] & 0xFF;
        int padLen = buf[ptOff + ptLen - 2] & 0xFF;
        int innerLen = ptLen - TRAILER - padLen;
        if (innerLen < 0) {
            return counters.drop(DropReason.BAD_PADDING);
        }
        for (int i = 0; i < padLen; i++) {
            if (buf[ptOff + innerLen + i] != (byte) (i + 1)) {
                return counters.drop(DropReason.BAD_PADDING);
            }
        }
        if (nextHeader == NEXT_DUMMY) {
            return counters.drop(DropReason.DUMMY);
        }
        if (tunnel) {
            DropReason policy = checkTunnelPayload(buf, ptOff, innerLen, nextHeader);
            if (policy != DropReason.NONE) {
                return counters.drop(policy);
            }
        }
        out.innerOffset = ptOff;
        out.innerLength = innerLen;
        out.nextHeader = nextHeader;
        out.sequence = seq;
        return DropReason.NONE;
    }

    private DropReason checkTunnelPayload(byte[] buf, int off, int len, int nextHeader) {
        if (nextHeader != NEXT_IPV4 && nextHeader != NEXT_IPV6) {
            return DropReason.BAD_NEXT_HEADER;
        }
        if (!IpHeaders.wellFormed(buf, off, len) || IpHeaders.version(buf, off) != (nextHeader == NEXT_IPV4 ? 4 : 6)) {
            return DropReason.MALFORMED;
        }
        return selectors.allowsInbound(buf, off, len) ? DropReason.NONE : DropReason.SELECTOR;
    }
}
