package io.causeway.daemon.dataplane;

import io.causeway.tun.socket.RawReceiveBatch;
import io.causeway.tun.socket.RawSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives raw ESP (IP protocol 50) and hands it to the inbound path: every datagram queued, up to
 * {@value #BATCH}, in one recvmmsg, each copied behind {@link PacketBuffers#HEADROOM} (room for a transport-mode
 * payload's rebuilt IP header) and opened on its own; the inbound path's sink is flushed once per batch, so the
 * opened TCP segments of one flow reach the TUN as one super-packet, as with a UDP GRO batch. An ICMP error the
 * kernel reports for an earlier datagram never reaches the reader as a failure: the socket skips it, the reader counts
 * it under {@code socket_error}; only a failure of the socket itself ends the thread.
 */
final class RawEspReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RawEspReader.class);
    /** As many as a TUN read's datagrams fill: 64 KiB of TCP in 1,400-byte segments is about 45. */
    static final int BATCH = 64;
    /** An IPv4 packet, or an IPv6 payload, of any length arrives whole (4 MiB of native memory per reader). */
    private static final int SLOT = 65_535;

    private final RawSocket socket;
    private final EspIntake inbound;
    private final DataPathCounters counters;
    private final RawReceiveBatch batch = new RawReceiveBatch(BATCH, SLOT);
    private final SocketErrorTally socketErrors;
    private boolean saidOneByOne;

    RawEspReader(RawSocket socket, EspIntake inbound, DataPathCounters counters) {
        this.socket = socket;
        this.inbound = inbound;
        this.counters = counters;
        this.socketErrors = new SocketErrorTally(counters.socketError);
    }

    @Override
    public void run() {
        try {
            receiveUntilClosed();
        } finally {
            inbound.close();
        }
    }

    private void receiveUntilClosed() {
        while (true) {
            int n;
            try {
                n = socket.receive(batch);
            } catch (RuntimeException e) {
                log.error("raw ESP receive failed, reader stops: {}", e.getMessage());
                return;
            }
            socketErrors.catchUp(socket.earlierDatagramErrors());
            if (n < 0) return; // closed
            if (!saidOneByOne && !socket.batched()) {
                saidOneByOne = true;
                log.info("the kernel has no recvmmsg/sendmmsg: raw ESP goes one datagram per system call");
            }
            if (n > 1) counters.rawBatchReceives.increment();
            try {
                for (int i = 0; i < n; i++) handle(i);
            } finally {
                inbound.endBatch();
            }
        }
    }

    private void handle(int i) {
        try {
            // IPv4 raw sockets deliver the IP header too; IPv6 ones do not (RFC 3542 3)
            int esp = batch.payloadOffset(i);
            int len = batch.length(i) - esp;
            if (esp < 0 || batch.truncated(i) || len > EspIntake.MAX_DATAGRAM) {
                counters.malformed.increment();
                return;
            }
            batch.copy(i, esp, inbound.room(len), inbound.at(), len);
            inbound.commit(len);
        } catch (RuntimeException e) {
            counters.internalError.increment(); // input from the network never ends the reader
            log.debug("inbound datagram dropped", e);
        }
    }
}
