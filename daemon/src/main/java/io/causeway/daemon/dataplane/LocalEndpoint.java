package io.causeway.daemon.dataplane;

import io.causeway.tun.socket.RawSocket;
import io.causeway.tun.socket.Sockets;
import io.causeway.tun.socket.UdpSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The sockets of one local address: the UDP-encapsulation port (IKE behind the non-ESP marker, ESP in UDP,
 * keepalives), the plain IKE port and the raw ESP socket, each bound to that address. The data path reads and
 * writes the encapsulation socket itself ({@link UdpEncapReader}, {@link UdpEgress}: GRO batches in, GSO batches
 * out, nothing allocated per datagram); Netty's loop serves the plain IKE port, where only IKE arrives. Bound sockets rather than
 * one wildcard socket: the kernel then picks the source of everything sent from the socket itself, and the
 * address a datagram came in on is the socket's, so neither IP_PKTINFO on receive nor a per-datagram source on
 * send (which Netty's epoll channel cannot set, and the workers' sendto would need as a control message) is
 * needed, and the data path's send stays one sendto on a descriptor chosen when the SA is installed.
 */
final class LocalEndpoint implements AutoCloseable {
    /** Datagrams one recvmmsg may return; Netty slices them out of one pooled buffer. */
    private static final int RECEIVE_BATCH = 32;
    private static final int MAX_DATAGRAM = 2048;
    private static final int SOCKET_BUFFER = 4 << 20;

    private final InetAddress address;
    private final UdpSocket udp;
    private final Channel ike;
    private final RawSocket raw;
    private Thread udpReader;
    private Thread rawReader;

    private LocalEndpoint(InetAddress address, UdpSocket udp, Channel ike, RawSocket raw) {
        this.address = address;
        this.udp = udp;
        this.ike = ike;
        this.raw = raw;
    }

    /**
     * Binds {@code udpPort}, {@code ikePort} unless 0 (with {@code ikeHandler}) and, with {@code rawEsp}, a raw ESP
     * socket to {@code address}; every socket carries {@code fwmark} unless 0. On failure nothing stays open. The
     * readers of the encapsulation and raw sockets start with {@link #startUdpReader} and {@link #startRawReader}.
     */
    static LocalEndpoint open(InetAddress address, int udpPort, int ikePort, boolean rawEsp, int fwmark,
                              EventLoopGroup loop, ChannelHandler ikeHandler) throws InterruptedException {
        UdpSocket udp = null;
        Channel ike = null;
        RawSocket raw = null;
        try {
            udp = UdpSocket.bind(new InetSocketAddress(address, udpPort), fwmark, SOCKET_BUFFER);
            if (ikePort != 0) ike = bindUdp(address, ikePort, fwmark, loop, ikeHandler);
            if (rawEsp) {
                raw = RawSocket.open(address instanceof Inet6Address, RawSocket.IPPROTO_ESP);
                if (fwmark != 0) raw.setMark(fwmark);
                Sockets.setBufferSizes(raw.fd(), SOCKET_BUFFER);
                raw.bind(address); // a bound raw socket only receives ESP addressed to it
            }
            return new LocalEndpoint(address, udp, ike, raw);
        } catch (RuntimeException | InterruptedException e) {
            if (raw != null) raw.close();
            if (udp != null) udp.close();
            if (ike != null) ike.close().awaitUninterruptibly();
            throw e;
        }
    }

    private static Channel bindUdp(InetAddress address, int port, int fwmark, EventLoopGroup loop,
                                   ChannelHandler handler) throws InterruptedException {
        SocketProtocolFamily family = address instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        try {
            return new Bootstrap()
                    .group(loop)
                    .channelFactory(() -> markedChannel(family, fwmark))
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECEIVE_BATCH))
                    .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                    .handler(handler)
                    .bind(new InetSocketAddress(address, port))
                    .sync()
                    .channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // sync() rethrows Netty's checked bind failure as it is, which names neither address nor port
            throw new IllegalStateException("cannot bind UDP " + address.getHostAddress() + " port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** A UDP channel whose packets carry {@code fwmark}, set before bind so that nothing leaves unmarked. */
    private static EpollDatagramChannel markedChannel(SocketProtocolFamily family, int fwmark) {
        EpollDatagramChannel channel = new EpollDatagramChannel(family);
        if (fwmark != 0) {
            // Netty's epoll options have no SO_MARK: set it on the channel's descriptor.
            try {
                Sockets.setMark(channel.fd().intValue(), fwmark);
            } catch (RuntimeException e) {
                channel.unsafe().closeForcibly();
                throw e;
            }
        }
        return channel;
    }

    /** Starts the thread that reads the encapsulation socket; once, right after open. */
    void startUdpReader(UdpEncapReader reader) {
        udpReader = new Thread(reader, "udp-" + address.getHostAddress());
        udpReader.setDaemon(true);
        udpReader.start();
    }

    /** Starts the thread that reads the raw ESP socket; once, right after open. */
    void startRawReader(RawEspReader reader) {
        rawReader = new Thread(reader, "raw-esp-" + address.getHostAddress());
        rawReader.setDaemon(true);
        rawReader.start();
    }

    InetAddress address() {
        return address;
    }

    /** The UDP-encapsulation socket: ESP in UDP, IKE after the move to it, keepalives. */
    UdpSocket udp() {
        return udp;
    }

    /** The plain IKE port's channel, or null when the data plane has none. */
    Channel ike() {
        return ike;
    }

    /** The raw ESP socket, or null without raw ESP. */
    RawSocket raw() {
        return raw;
    }

    /** Closes the sockets (which ends the readers); {@link #join} waits for the readers. */
    @Override
    public void close() {
        if (raw != null) raw.close();
        udp.close();
        if (ike != null) ike.close().awaitUninterruptibly();
    }

    /** Waits up to {@code millis} for each reader to end after close. */
    void join(long millis) throws InterruptedException {
        if (udpReader != null) udpReader.join(millis);
        if (rawReader != null) rawReader.join(millis);
    }
}
