package io.causeway.daemon.dataplane;

import io.causeway.tun.socket.SockAddr;
import io.causeway.tun.socket.UdpReceiveBuffer;
import io.causeway.tun.socket.UdpSendBatch;
import io.causeway.tun.socket.UdpSocket;
import java.net.InetSocketAddress;

/** The production {@link EncapSocket}: a kernel UDP socket. */
final class SocketEncap implements EncapSocket {
    private final UdpSocket socket;

    SocketEncap(UdpSocket socket) {
        this.socket = socket;
    }

    @Override
    public int receive(UdpReceiveBuffer into) {
        return socket.receive(into);
    }

    @Override
    public int sendTo(byte[] buf, int off, int len, SockAddr to) {
        return socket.sendTo(buf, off, len, to);
    }

    @Override
    public int send(UdpSendBatch batch, SockAddr to) {
        return socket.send(batch, to);
    }

    @Override
    public long earlierDatagramErrors() {
        return socket.earlierDatagramErrors();
    }

    @Override
    public InetSocketAddress local() {
        return socket.local();
    }
}
