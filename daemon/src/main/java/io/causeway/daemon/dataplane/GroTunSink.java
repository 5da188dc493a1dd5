package io.causeway.daemon.dataplane;

import io.causeway.esp.offload.GroCoalescer;

/**
 * A TUN device with offloads: consecutive TCP segments of a flow are coalesced into one super-packet (GRO), so the
 * kernel's TCP receives one packet per batch instead of one per segment; anything else is written alone behind a
 * plain virtio-net header.
 */
final class GroTunSink implements InnerPacketSink {
    private final GroCoalescer coalescer;
    private final DataPathCounters counters;
    private long coalescedSoFar;

    GroTunSink(TunQueue tun, DataPathCounters counters) {
        this.coalescer = new GroCoalescer(tun::write);
        this.counters = counters;
    }

    @Override
    public void deliver(byte[] buf, int off, int len) {
        coalescer.add(buf, off, len);
    }

    @Override
    public void flush() {
        coalescer.flush();
        long now = coalescer.coalesced();
        if (now != coalescedSoFar) {
            counters.coalesced.add(now - coalescedSoFar);
            coalescedSoFar = now;
        }
    }
}
