package io.causeway.daemon.dataplane;

import io.causeway.esp.EspMode;
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
    private final TransportPayload transport = new TransportPayload();

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
        int innerOff = INNER;
        int innerLen = len;
        int nextHeader;
        if (path.sa().config().mode() == EspMode.TRANSPORT) {
            // RFC 4303 3.1.1: protect the payload; the kernel writes the outer header around it
            int verdict = transport.locate(buf, INNER, len);
            if (verdict != TransportPayload.OK) {
                (verdict == TransportPayload.FRAGMENT ? counters.fragment : counters.malformed).increment();
                return;
            }
            innerOff = INNER + transport.headerLength;
            innerLen = transport.length;
            nextHeader = transport.protocol;
        } else {
            nextHeader = nextHeader(buf[INNER]);
        }
        int off = innerOff - path.sa().headroom();
        int espLen = path.sa().seal(buf, off, innerLen, nextHeader);
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
