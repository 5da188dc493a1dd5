package io.causeway.daemon.dataplane;

import io.causeway.esp.EspMode;
import io.causeway.esp.offload.VirtioNetHeader;

/**
 * Seals one inner packet with its outbound SA and queues it on the thread's {@link SendBatcher}, or answers it
 * with ICMP too big. Used by each TUN worker for what it reads and by the control thread for packets a trap kept;
 * one instance per thread, because it owns the scratch buffers for the ICMP answer.
 */
final class OutboundSealer {
    /** Space kept behind the inner packet for ESP padding, trailer and ICV. */
    static final int TAILROOM = 256;
    private static final int INNER = PacketBuffers.HEADROOM;

    private final TunQueue tun;
    private final DataPathCounters counters;
    private final SendBatcher batcher;
    private final byte[] icmp = new byte[1400];
    /** The ICMP answer behind a virtio-net header, for a TUN device with offloads. */
    private final byte[] icmpFrame;
    private final TransportPayload transport = new TransportPayload();
    /** The path whose {@link OutboundPath#wireOrder} this thread holds until its datagrams are sent, or null. */
    private OutboundPath holding;

    OutboundSealer(TunQueue tun, DataPathCounters counters, SendBatcher batcher) {
        this.tun = tun;
        this.counters = counters;
        this.batcher = batcher;
        this.icmpFrame = tun.offload() ? new byte[PacketBuffers.TUN_HEADER + icmp.length] : null;
    }

    /**
     * The inner packet is at {@code buf[HEADROOM, HEADROOM+len)} with {@link #TAILROOM} behind it. Returns false
     * when it was too big to send and answered with ICMP instead.
     */
    boolean send(OutboundPath path, byte[] buf, int len) {
        if (len > path.innerMtu() && IcmpTooBig.mustNotFragment(buf, INNER)) {
            answerTooBig(buf, len, path.innerMtu());
            return false;
        }
        int innerOff = INNER;
        int innerLen = len;
        int nextHeader;
        if (path.sa().config().mode() == EspMode.TRANSPORT) {
            // RFC 4303 3.1.1: protect the payload; the kernel writes the outer header around it
            int verdict = transport.locate(buf, INNER, len);
            if (verdict != TransportPayload.OK) {
                (verdict == TransportPayload.FRAGMENT ? counters.fragment : counters.malformed).increment();
                return true;
            }
            innerOff = INNER + transport.headerLength;
            innerLen = transport.length;
            nextHeader = transport.protocol;
        } else {
            nextHeader = nextHeader(buf[INNER]);
        }
        if (path != holding) hold(path);
        int off = innerOff - path.sa().headroom();
        int espLen = path.sa().seal(buf, off, innerLen, nextHeader);
        if (espLen < 0) {
            counters.hardLimit.increment();
            return true;
        }
        batcher.send(path.egress(), buf, off, espLen);
        return true;
    }

    /** Sends what is queued; the end of each read, or of the packets a trap released. */
    void flush() {
        try {
            batcher.flush();
        } finally {
            // never left held: a worker that kept it would stop every other one sending on the SA
            if (holding != null) {
                holding.wireOrder().unlock();
                holding = null;
            }
        }
    }

    /** Sends what was sealed with another SA first, then waits for any other worker sending on this one. */
    private void hold(OutboundPath path) {
        flush();
        path.wireOrder().lock();
        holding = path;
    }

    private void answerTooBig(byte[] buf, int len, int mtu) {
        counters.tooBig.increment();
        int n = IcmpTooBig.build(buf, INNER, len, mtu, icmp);
        if (n == 0) return;
        if (icmpFrame == null) {
            tun.write(icmp, 0, n);
        } else {
            VirtioNetHeader.encodeNone(icmpFrame, 0);
            System.arraycopy(icmp, 0, icmpFrame, PacketBuffers.TUN_HEADER, n);
            tun.write(icmpFrame, 0, PacketBuffers.TUN_HEADER + n);
        }
    }

    /** Tunnel mode: the next header names the inner IP version (RFC 4303 2.6). */
    private static int nextHeader(byte firstByte) {
        return (firstByte & 0xf0) == 0x60 ? 41 : 4;
    }
}
