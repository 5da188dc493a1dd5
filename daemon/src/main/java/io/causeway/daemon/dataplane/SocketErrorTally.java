package io.causeway.daemon.dataplane;

import java.util.concurrent.atomic.LongAdder;

/**
 * Carries a socket's running count of errors it skipped for earlier datagrams (ICMP errors about what it sent, see
 * {@code RawSocket.earlierDatagramErrors}) into the data path's {@code socket_error} counter, after every receive.
 * The socket keeps counting on its own, so a reader only adds what is new since it last looked. One per reader thread.
 * The counter shows an error once the receive that skipped it returns a datagram: late by one datagram, never lost,
 * and nothing on the packet path beyond one read of the socket's count per receive.
 */
final class SocketErrorTally {
    private final LongAdder counter;
    private long seen;

    SocketErrorTally(LongAdder counter) {
        this.counter = counter;
    }

    void catchUp(long socketCount) {
        if (socketCount != seen) {
            counter.add(socketCount - seen);
            seen = socketCount;
        }
    }
}
