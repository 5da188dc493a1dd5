package io.causeway.daemon.dataplane;

import io.causeway.tun.OsException;
import io.causeway.tun.socket.SockAddr;
import io.causeway.tun.socket.UdpSendBatch;
import java.net.InetSocketAddress;

/**
  * ESP in UDP (RFC 3948) out of the shared port-4500 socket. Workers send on the socket directly, alone or a batch
  * of one read's datagrams in one sendmsg ({@link SendBatcher}): the kernel serialises datagram sends, so no
  * hand-off to another thread.
  */
final class UdpEgress implements Egress {
    private final EncapSocket socket;
    private final SockAddr peer;

    UdpEgress(EncapSocket socket, InetSocketAddress peer) {
        this.socket = socket;
        this.peer = SockAddr.of(peer);
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
        try {
            return socket.sendTo(buf, off, len, peer) >= 0;
        } catch (OsException e) {
            return false; // no route, unreachable, socket closed while shutting down: drop and count
        }
    }

    /** Sends the batch (which is then empty, whatever happened) and returns how many datagrams the kernel took. */
    int send(UdpSendBatch batch) {
        try {
            return socket.send(batch, peer);
        } catch (OsException e) {
            return 0; // as for one datagram: drop and count
        }
    }
}
