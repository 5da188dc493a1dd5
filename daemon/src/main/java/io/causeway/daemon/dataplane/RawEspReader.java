package io.causeway.daemon.dataplane;

import io.causeway.esp.encap.RawEsp;
import io.causeway.tun.socket.RawSocket;
import io.causeway.tun.socket.SockAddr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Receives raw ESP (IP protocol 50) and hands it to the inbound path. */
final class RawEspReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RawEspReader.class);

    private final RawSocket socket;
    private final boolean ipv6;
    private final InboundPath inbound;
    private final DataPathCounters counters;
    private static final int AT = PacketBuffers.HEADROOM;

    private final byte[] buf = new byte[PacketBuffers.SIZE];
    private final SockAddr from = SockAddr.receiver();

    RawEspReader(RawSocket socket, boolean ipv6, InboundPath inbound, DataPathCounters counters) {
        this.socket = socket;
        this.ipv6 = ipv6;
        this.inbound = inbound;
        this.counters = counters;
    }

    @Override
    public void run() {
        while (true) {
            int len;
            try {
                // behind HEADROOM: room for a transport-mode payload's rebuilt IP header
                len = socket.receive(buf, AT, buf.length - AT, from);
            } catch (RuntimeException e) {
                log.error("raw ESP receive failed, reader stops: {}", e.getMessage());
                return;
            }
            if (len < 0) return; // closed
            // IPv4 raw sockets deliver the IP header too; IPv6 ones do not (RFC 3542 3).
            int esp = ipv6 ? AT : RawEsp.skipIpv4Header(buf, AT, len);
            if (esp < 0) {
                counters.malformed.increment();
                continue;
            }
            try {
                inbound.receive(buf, esp, len - (esp - AT));
            } catch (RuntimeException e) {
                counters.internalError.increment(); // input from the network never ends the reader
            } finally {
                inbound.flush(); // one datagram per receive: nothing to coalesce it with
            }
        }
    }
}
