package io.causeway.esp.offload;

/**
 * Merges the decrypted TCP segments of a receive batch into super-packets for one TUN write each (GRO), the way
 * Linux's TCP GRO does: a segment joins its flow's pending super-packet when segmenting that super-packet again
 * would give back exactly the segments that arrived.
 *
 * <p>One per receiving thread; nothing is allocated per packet. Up to {@link #MAX_FLOWS} flows are pending at
 * once, each in its own preallocated buffer. The caller calls {@link #flush} at the end of every batch. Packets
 * that cannot be merged first flush everything pending, so a flow's packets reach the TUN in arrival order.
 */
public final class GroCoalescer {
    public static final int MAX_FLOWS = 8;
    /**
     * Segments in one super-packet. Linux's own bound is the 64 KiB length (and UDP GSO's UDP_MAX_SEGMENTS is 64);
     * this also bounds the tiny-segment case, where a super-packet buys little and delays much.
     */
    public static final int MAX_SEGMENTS = 64;
    /** Largest super-packet, whole IP packet: IPv4's total length field, and the slot buffer, hold 16 bits. */
    public static final int MAX_LENGTH = 65_535;

    private final PacketWriter out;
    private final GroSlot[] slots = new GroSlot[MAX_FLOWS];
    private final TcpSegment segment = new TcpSegment();
    private final VirtioNetHeader header = new VirtioNetHeader();
    private long order;
    private long coalesced;
    private long written;

    public GroCoalescer(PacketWriter out) {
        this.out = out;
        for (int i = 0; i < MAX_FLOWS; i++) {
            slots[i] = new GroSlot();
        }
    }

    /**
     * Takes one inner IPv4 or IPv6 packet at {@code pkt[off, off+len)}; {@code pkt[off-10, off)} may be
     * overwritten (a packet that is not merged is written from there, behind a zero header, without a copy).
     */
    public void add(byte[] pkt, int off, int len) {
        if (!segment.parse(pkt, off, len)) {
            flush();
            writeDirect(pkt, off, len);
            return;
        }
        GroSlot slot = slotOf(segment);
        if (slot != null) {
            if (slot.canJoin(segment)) {
                coalesced++;
                if (slot.append(segment)) {
                    emit(slot);
                }
                return;
            }
            // reordered, retransmitted or changed: what is pending goes first, this one may start anew
            emit(slot);
        }
        if (segment.psh) {
            // nothing could join it
            writeDirect(pkt, off, len);
            return;
        }
        freeSlot().start(segment, ++order);
    }

    /** Writes every pending super-packet; all slots are free afterwards. */
    public void flush() {
        for (GroSlot s : slots) {
            if (s.used) {
                emit(s);
            }
        }
    }

    /** Segments that joined another one instead of being written on their own. */
    public long coalesced() {
        return coalesced;
    }

    /** Writes issued to the {@link PacketWriter}. */
    public long written() {
        return written;
    }

    private GroSlot slotOf(TcpSegment s) {
        for (GroSlot slot : slots) {
            if (slot.sameFlow(s)) {
                return slot;
            }
        }
        return null;
    }

    private GroSlot freeSlot() {
        GroSlot oldest = slots[0];
        for (GroSlot slot : slots) {
            if (!slot.used) {
                return slot;
            }
            if (slot.started < oldest.started) {
                oldest = slot;
            }
        }
        emit(oldest);
        return oldest;
    }

    private void emit(GroSlot slot) {
        int n = slot.finish(header);
        written++;
        out.write(slot.buf, 0, n);
    }

    private void writeDirect(byte[] pkt, int off, int len) {
        VirtioNetHeader.encodeNone(pkt, off - VirtioNetHeader.LENGTH);
        written++;
        out.write(pkt, off - VirtioNetHeader.LENGTH, len + VirtioNetHeader.LENGTH);
    }
}
