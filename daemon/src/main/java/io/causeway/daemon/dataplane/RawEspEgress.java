package io.causeway.daemon.dataplane;

import io.causeway.tun.OsException;
import io.causeway.tun.socket.RawSendBatch;
import io.causeway.tun.socket.RawSocket;
import io.causeway.tun.socket.SockAddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * ESP as IP protocol 50 through a raw socket; the kernel writes the outer IP header. Alone, or the datagrams of one
 * TUN read in one sendmmsg ({@link SendBatcher}).
 */
final class RawEspEgress implements Egress {
    private final RawSocket socket;
    private final SockAddr peer;

    RawEspEgress(RawSocket socket, InetAddress peer) {
        this.socket = socket;
        this.peer = SockAddr.of(new InetSocketAddress(peer, 0));
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
        try {
            return socket.send(buf, off, len, peer) >= 0;
        } catch (OsException e) {
            return false; // drop and count, as for UDP
        }
    }

    /** Sends the batch (which is then empty, whatever happened) and returns how many datagrams the kernel took. */
    int send(RawSendBatch batch) {
        try {
            return socket.send(batch, peer);
        } catch (OsException e) {
            return 0; // as for one datagram: drop and count
        }
    }
}
