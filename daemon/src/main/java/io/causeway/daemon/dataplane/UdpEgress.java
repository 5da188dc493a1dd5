package io.causeway.daemon.dataplane;

import io.causeway.tun.OsException;
import io.causeway.tun.socket.SockAddr;
import io.causeway.tun.socket.Sockets;
import java.net.InetSocketAddress;

/**
  * ESP in UDP (RFC 3948) out of the shared port-4500 socket. Workers call sendto on the socket's
  * descriptor directly: the kernel serialises datagram sends, so no hand-off to Netty's loop.
  */
final class UdpEgress implements Egress {
    private final int fd;
    private final SockAddr peer;

    UdpEgress(int fd, InetSocketAddress peer) {
        this.fd = fd;
        this.peer = SockAddr.of(peer);
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
        try {
            return Sockets.sendTo(fd, buf, off, len, peer) >= 0;
        } catch (OsException e) {
            return false; // no route, unreachable, socket closed while shutting down: drop and count
        }
    }
}
