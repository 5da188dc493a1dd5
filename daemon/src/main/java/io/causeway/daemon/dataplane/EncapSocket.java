package io.causeway.daemon.dataplane;

import io.causeway.tun.socket.SockAddr;
import io.causeway.tun.socket.UdpReceiveBuffer;
import io.causeway.tun.socket.UdpSendBatch;
import java.net.InetSocketAddress;

/**
 * The UDP-encapsulation socket (port 4500) as the data path uses it: a {@link SocketEncap} over a kernel socket, or
 * memory in the data path's benchmark. One implementation per process, so the interface call stays monomorphic.
 */
interface EncapSocket {
    /** As {@link io.causeway.tun.socket.UdpSocket#receive}: bytes stored, or -1 once closed. */
    int receive(UdpReceiveBuffer into);

    /** As {@link io.causeway.tun.socket.UdpSocket#sendTo}: bytes sent, or -1 for no room or closed. */
    int sendTo(byte[] buf, int off, int len, SockAddr to);

    /** As {@link io.causeway.tun.socket.UdpSocket#send}: datagrams sent; the batch is empty afterwards. */
    int send(UdpSendBatch batch, SockAddr to);

    /** As {@link io.causeway.tun.socket.UdpSocket#earlierDatagramErrors}: ICMP errors skipped so far. */
    long earlierDatagramErrors();

    InetSocketAddress local();
}
