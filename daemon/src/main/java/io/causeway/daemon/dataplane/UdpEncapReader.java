package io.causeway.daemon.dataplane;

import io.causeway.ike.sa.IkeIntakeScreen;
import io.causeway.esp.encap.UdpEncap;
import io.causeway.tun.socket.UdpReceiveBuffer;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a UDP-encapsulation socket (port 4500) and demultiplexes its datagrams (RFC 3948 2.2): a single 0xFF byte
 * is a NAT keepalive, four zero bytes mark IKE, which goes to the IKE sink, anything else is ESP for the inbound
 * path. One receive may return a GRO batch of equal-size datagrams from one sender; each is handled on its own, and
 * the inbound path's sink is flushed once per batch, so the opened TCP segments of a batch reach the TUN as one
 * super-packet. The datagrams are copied out of the socket's native buffer behind {@link PacketBuffers#HEADROOM}
 * bytes, so a transport-mode payload has room for its IP header in front. Nothing is allocated per datagram
 * except for IKE. An ICMP error the kernel reports for an earlier datagram is skipped by the socket and counted
 * here under {@code socket_error}; only a failure of the socket itself ends the thread.
 */
final class UdpEncapReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(UdpEncapReader.class);

    private final EncapSocket socket;
    private final EspIntake inbound;
    private final IkeDatagramSink ike;
    private final DataPathCounters counters;
    private final UdpReceiveBuffer received = new UdpReceiveBuffer(65_535); // a whole GRO batch
    private final SocketErrorTally socketErrors;

    UdpEncapReader(EncapSocket socket, EspIntake inbound, IkeDatagramSink ike, DataPathCounters counters) {
        this.socket = socket;
        this.inbound = inbound;
        this.ike = ike;
        this.counters = counters;
        this.socketErrors = new SocketErrorTally(counters.socketError);
    }

    @Override
    public void run() {
        try {
            while (receiveOnce()) {
                // until the socket closes or fails
            }
        } finally {
            inbound.close();
        }
    }

    /** One receive (a datagram or a GRO batch) and everything in it; false once the socket is closed or failed. */
    boolean receiveOnce() {
        int total;
        try {
            total = socket.receive(received);
        } catch (RuntimeException e) {
            log.error("UDP receive on {} failed, reader stops: {}", socket.local(), e.getMessage());
            return false;
        }
        socketErrors.catchUp(socket.earlierDatagramErrors());
        if (total < 0) return false; // closed
        try {
            if (received.truncated()) {
                counters.malformed.increment();
                return true;
            }
            int size = Math.max(1, received.segmentSize());
            for (int off = 0; off < total; off += size) handle(off, Math.min(size, total - off));
        } catch (RuntimeException e) {
            counters.internalError.increment(); // input from the network never ends the reader
            log.debug("inbound datagram dropped", e);
        } finally {
            inbound.endBatch();
        }
        return true;
    }

    private void handle(int from, int len) {
        if (len > EspIntake.MAX_DATAGRAM) {
            counters.malformed.increment();
            return;
        }
        byte[] buf = inbound.room(len);
        int at = inbound.at();
        received.copy(from, buf, at, len);
        if (UdpEncap.isKeepalive(buf, at, len)) {
            counters.keepalives.increment();
        } else if (UdpEncap.isNonEspMarker(buf, at, len)) {
            counters.ikeDatagrams.increment();
            // garbage and rate-limited new-SA requests go here, before the copy and the sender's address
            IkeIntakeScreen.Verdict verdict = ike.screen(buf, at + 4, len - 4, received.senderAddressHash());
            if (verdict != IkeIntakeScreen.Verdict.PASS) {
                if (verdict == IkeIntakeScreen.Verdict.MALFORMED) counters.malformed.increment();
                return;
            }
            byte[] message = new byte[len - 4];
            System.arraycopy(buf, at + 4, message, 0, message.length);
            InetSocketAddress sender = received.sender();
            ike.receive(message, sender, socket.local());
        } else {
            inbound.commit(len);
        }
    }
}
