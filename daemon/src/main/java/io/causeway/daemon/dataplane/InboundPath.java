package io.causeway.daemon.dataplane;

import io.causeway.esp.DropReason;
import io.causeway.esp.EspMode;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;

/**
  * ESP received from the peer, to the TUN device: SAD lookup by SPI, open in place (ICV,
  * anti-replay, padding, inbound selectors), write the inner packet. A transport-mode SA's
  * payload first gets its IP header back ({@link TransportInbound}), in the room the ESP header
  * and IV leave in front of it. One instance per receive thread: it owns the {@link Opened} it
  * reuses for every packet, and its {@link InnerPacketSink}, which may hold packets back until {@link #flush}.
  */
final class InboundPath {
    private final SaTable sas;
    private final TransportSas transports;
    private final InnerPacketSink tun;
    private final DataPathCounters counters;
    private final Opened opened = new Opened();

    InboundPath(SaTable sas, TransportSas transports, InnerPacketSink tun, DataPathCounters counters) {
        this.sas = sas;
        this.transports = transports;
        this.tun = tun;
        this.counters = counters;
    }

    void receive(byte[] buf, int off, int len) {
        if (len < 8) {
            counters.malformed.increment();
            return;
        }
        InboundSa sa = sas.inbound(readInt(buf, off));
        if (sa == null) {
            counters.noSa.increment();
            return;
        }
        DropReason verdict = sa.open(buf, off, len, opened);
        if (verdict == DropReason.NONE) {
            if (sa.config().mode() == EspMode.TRANSPORT) {
                deliverTransport(sa, buf);
            } else {
                tun.deliver(buf, opened.innerOffset, opened.innerLength);
            }
            return;
        }
        countDrop(verdict);
    }

    /** The end of a receive batch: what the sink held back is written. */
    void flush() {
        tun.flush();
    }

    private void deliverTransport(InboundSa sa, byte[] buf) {
        TransportInbound transport = transports.lookup(sa);
        if (transport == null) {
            counters.noSa.increment(); // removed between the SAD lookup and now
            return;
        }
        int header = transport.headerLength();
        int payload = opened.innerOffset;
        int length = opened.innerLength;
        int room = header + PacketBuffers.TUN_HEADER; // the sink may put a virtio-net header in front
        if (payload < room) {
            // The receivers leave room in front; a caller that did not costs one copy, not the packet.
            if (room + length > buf.length) {
                counters.malformed.increment();
                return;
            }
            System.arraycopy(buf, payload, buf, room, length);
            payload = room;
        }
        int start = transport.rebuild(buf, payload, length, opened.nextHeader);
        if (start == TransportInbound.SELECTOR) {
            counters.selector.increment();
        } else if (start < 0) {
            counters.malformed.increment();
        } else {
            tun.deliver(buf, start, header + length);
        }
    }

    private void countDrop(DropReason reason) {
        switch (reason) {
            case REPLAY -> counters.replay.increment();
            case AUTH_FAILED -> counters.authFailed.increment();
            case BAD_PADDING -> counters.badPadding.increment();
            case SELECTOR -> counters.selector.increment();
            case DUMMY -> counters.dummy.increment();
            case HARD_LIMIT -> counters.hardLimit.increment();
            case NO_SA -> counters.noSa.increment();
            default -> counters.malformed.increment();
        }
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
