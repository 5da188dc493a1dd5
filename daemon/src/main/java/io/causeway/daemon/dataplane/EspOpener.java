package io.causeway.daemon.dataplane;

import io.causeway.esp.DropReason;
import io.causeway.esp.EspMode;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;

/**
 * Opens one ESP datagram in place: SAD lookup by SPI, {@link InboundSa#open} (inline) or
 * {@link InboundSa#openUnordered} (a decrypt worker), and a transport-mode payload's IP header back
 * ({@link TransportInbound}) in the room the ESP header and IV leave in front of it. Drops are counted here. One
 * per thread that opens: the results of the last {@link #open} are its fields, nothing is allocated.
 */
final class EspOpener {
    private final SaTable sas;
    private final TransportSas transports;
    private final DataPathCounters counters;
    private final Opened opened = new Opened();
    /** The last opened packet's SA, where its inner IP packet starts and its length. */
    InboundSa sa;
    int start;
    int length;

    EspOpener(SaTable sas, TransportSas transports, DataPathCounters counters) {
        this.sas = sas;
        this.transports = transports;
        this.counters = counters;
    }

    /** The full sequence number and the inner bytes of the last opened packet, for {@link InboundSa#acceptInOrder}. */
    long sequence() {
        return opened.sequence;
    }

    int innerLength() {
        return opened.innerLength;
    }

    /** True when {@code buf[off, off+len)} opened and its inner packet is at {@link #start}; else dropped, counted. */
    boolean open(byte[] buf, int off, int len, boolean unordered) {
        sa = null;
        if (len < 8) {
            counters.malformed.increment();
            return false;
        }
        InboundSa found = sas.inbound(readInt(buf, off));
        if (found == null) {
            counters.noSa.increment();
            return false;
        }
        DropReason verdict = unordered ? found.openUnordered(buf, off, len, opened) : found.open(buf, off, len, opened);
        if (verdict != DropReason.NONE) {
            counters.countInboundDrop(verdict);
            return false;
        }
        if (found.config().mode() == EspMode.TRANSPORT) {
            if (!rebuildTransport(found, buf)) return false;
        } else {
            start = opened.innerOffset;
            length = opened.innerLength;
        }
        sa = found;
        return true;
    }

    private boolean rebuildTransport(InboundSa found, byte[] buf) {
        TransportInbound transport = transports.lookup(found);
        if (transport == null) {
            counters.noSa.increment(); // removed between the SAD lookup and now
            return false;
        }
        int header = transport.headerLength();
        int payload = opened.innerOffset;
        int payloadLength = opened.innerLength;
        int room = header + PacketBuffers.TUN_HEADER; // the sink may put a virtio-net header in front
        if (payload < room) {
            // The receivers leave room in front; a caller that did not costs one copy, not the packet.
            if (room + payloadLength > buf.length) {
                counters.malformed.increment();
                return false;
            }
            System.arraycopy(buf, payload, buf, room, payloadLength);
            payload = room;
        }
        int at = transport.rebuild(buf, payload, payloadLength, opened.nextHeader);
        if (at == TransportInbound.SELECTOR) {
            counters.selector.increment();
            return false;
        } else if (at < 0) {
            counters.malformed.increment();
            return false;
        }
        start = at;
        length = header + payloadLength;
        return true;
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
