package io.causeway.daemon.dataplane;

import io.causeway.tun.TunDevice;

/**
 * Seals one inner packet with its outbound SA and sends it, or answers it with ICMP too big. Used
 * by each TUN worker for what it reads and by the control thread for packets a trap kept; one
 * instance per thread, because it owns the scratch buffer for the ICMP answer.
 */
final class OutboundSealer {
    /** Space kept behind the inner packet for ESP padding, trailer and ICV. */
    static final int TAILROOM = 256;
    private static final int INNER = PacketBuffers.HEADROOM;

    private final TunDevice tun;
    private final DataPathCounters counters;
    private final byte[] icmp = new byte[1400];

    OutboundSealer(TunDevice tun, DataPathCounters counters) {
        this.tun = tun;
        this.counters = counters;
    }

    /** The inner packet is at {@code buf[HEADROOM, HEADROOM+len)} with {@link #TAILROOM} behind it. */
    void send(OutboundPath path, byte[] buf, int len) {
        if (len > path.innerMtu() && IcmpTooBig.mustNotFragment(buf, INNER)) {
            counters.tooBig.increment();
            int n = IcmpTooBig.build(buf, INNER, len, path.innerMtu(), icmp);
            if (n > 0) tun.write(icmp, 0, n);
            return;
        }
        int off = INNER - path.sa().headroom();
        int espLen = path.sa().seal(buf, off, len, nextHeader(buf[INNER]));
        if (espLen < 0) {
            counters.hardLimit.increment();
            return;
        }
        if (!path.egress().send(buf, off, espLen)) counters.sendFailed.increment();
    }

    /** Tunnel mode: the next header names the inner IP version (RFC 4303 2.6). */
    private static int nextHeader(byte firstByte) {
        return (firstByte & 0xf0) == 0x60 ? 41 : 4;
    }
}
