package io.causeway.daemon.dataplane;

import io.causeway.esp.EspMode;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.tun.TunDevice;
import io.causeway.tun.socket.RawSocket;
import io.causeway.tun.socket.Sockets;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
  * The userspace ESP data plane: a TUN device with one queue per worker, the shared UDP socket
  * (IKE and ESP-in-UDP on one port, as NAT traversal needs), optionally a raw ESP socket, and the
  * SA table the control side fills. Outbound workers are plain threads blocked on their TUN
  * queue; inbound runs on Netty's epoll loop, which reads datagrams in batches (recvmmsg).
  */
public final class DataPlane implements AutoCloseable {
    /** Datagrams one recvmmsg may return; Netty slices them out of one pooled buffer. */
    private static final int RECEIVE_BATCH = 32;
    private static final int MAX_DATAGRAM = 2048;
    private static final int SOCKET_BUFFER = 4 << 20;

    /**
     * What the data plane binds and creates: UDP-encapsulation port (IKE and ESP, normally 4500),
     * the plain IKE port (normally 500; 0 for none) and optionally a raw ESP socket. Every socket
     * carries {@code fwmark} (SO_MARK; 0 for none), so a transport-mode peer's address can route
     * into the TUN while the gateway's own datagrams to it do not (see {@link TransportRoutes}).
     */
    public record Settings(String tunName, int workers, InetAddress local, int udpPort, int ikePort, boolean rawEsp,
            int fwmark) {
        public Settings(String tunName, int workers, InetAddress local, int udpPort, int ikePort, boolean rawEsp) {
            this(tunName, workers, local, udpPort, ikePort, rawEsp, TransportRoutes.DEFAULT_FWMARK);
        }
    }

    private static final byte[] NON_ESP_MARKER = new byte[4];
    private static final byte[] NAT_KEEPALIVE = {(byte) 0xff};

    private final SaTable sas;
    private final TrapTable traps = new TrapTable();
    private final TransportSas transports;
    private final InetAddress local;
    private final DataPathCounters counters;
    private final List<TunDevice> queues;
    private final EventLoopGroup loop;
    private final Channel udp;
    private final Channel ike;
    private final RawSocket raw;
    private final List<Thread> threads = new ArrayList<>();
    /** Sends what traps kept; used on the control thread only. */
    private final OutboundSealer trapSealer;

    private DataPlane(SaTable sas, TransportSas transports, InetAddress local, DataPathCounters counters,
            List<TunDevice> queues, EventLoopGroup loop, Channel udp, Channel ike, RawSocket raw) {
        this.sas = sas;
        this.transports = transports;
        this.local = local;
        this.counters = counters;
        this.queues = queues;
        this.loop = loop;
        this.udp = udp;
        this.ike = ike;
        this.raw = raw;
        this.trapSealer = new OutboundSealer(queues.get(0), counters);
    }

    public static DataPlane start(Settings settings, IkeDatagramSink ike) throws InterruptedException {
        List<TunDevice> queues = settings.workers() > 1
                ? TunDevice.openQueues(settings.tunName(), settings.workers())
                : List.of(TunDevice.open(settings.tunName()));
        SaTable sas = new SaTable();
        TransportSas transports = new TransportSas();
        DataPathCounters counters = new DataPathCounters();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Channel udp = null;
        Channel ikeOnly = null;
        RawSocket raw = null;
        try {
            InboundPath udpInbound = new InboundPath(sas, transports, queues.get(0), counters);
            udp = bindUdp(settings, settings.udpPort(), loop, new UdpReceiveHandler(udpInbound, ike, counters));
            if (settings.ikePort() != 0) {
                ikeOnly = bindUdp(settings, settings.ikePort(), loop, new IkePortHandler(ike, counters));
            }
            if (settings.rawEsp()) {
                raw = RawSocket.open(settings.local() instanceof Inet6Address, RawSocket.IPPROTO_ESP);
                if (settings.fwmark() != 0) raw.setMark(settings.fwmark());
                raw.bind(settings.local());
            }
        } catch (RuntimeException | InterruptedException e) {
            if (raw != null) raw.close();
            if (udp != null) udp.close();
            if (ikeOnly != null) ikeOnly.close();
            loop.shutdownGracefully();
            queues.forEach(TunDevice::close);
            throw e;
        }
        DataPlane plane = new DataPlane(sas, transports, settings.local(), counters, queues, loop, udp, ikeOnly, raw);
        plane.startThreads(settings.local() instanceof Inet6Address);
        return plane;
    }

    private static Channel bindUdp(Settings s, int port, EventLoopGroup loop, ChannelHandler handler)
            throws InterruptedException {
        SocketProtocolFamily family = s.local() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return new Bootstrap()
                .group(loop)
                .channelFactory(() -> markedChannel(family, s.fwmark()))
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECEIVE_BATCH))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(handler)
                .bind(new InetSocketAddress(s.local(), port))
                .sync()
                .channel();
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

    private void startThreads(boolean ipv6) {
        for (TunDevice q : queues) {
            threads.add(new Thread(new TunReader(q, sas, traps, counters), "tun-" + q.name() + "-" + threads.size()));
        }
        if (raw != null) {
            InboundPath rawInbound = new InboundPath(sas, transports, queues.get(0), counters);
            threads.add(new Thread(new RawEspReader(raw, ipv6, rawInbound, counters), "raw-esp"));
        }
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** Starts carrying traffic for a CHILD_SA pair; the peer is where sealed packets go. */
    public void install(OutboundSa out, InboundSa in, InetSocketAddress peer, boolean udpEncap, int innerMtu) {
        if (!udpEncap && raw == null) {
            throw new IllegalStateException("raw ESP needs a data plane started with rawEsp");
        }
        Egress egress = udpEncap
                ? new UdpEgress(((EpollDatagramChannel) udp).fd().intValue(), peer)
                : new RawEspEgress(raw, peer.getAddress());
        if (in.config().mode() == EspMode.TRANSPORT) {
            // before the SA is visible: an inbound packet must never find the SA without its header
            transports.put(in, TransportInbound.of(in, peer.getAddress(), local, udpEncap));
        }
        sas.install(new OutboundPath(out, egress, innerMtu), in);
    }

    /**
     * Sends an IKE message to the peer: from the encapsulation port with the non-ESP marker
     * (RFC 3948 2.2) once NAT traversal moved there, else from the plain IKE port.
     */
    public void sendIke(byte[] message, InetSocketAddress peer, boolean natTraversal) {
        if (natTraversal || ike == null) {
            udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(NON_ESP_MARKER, message), peer));
        } else {
            ike.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), peer));
        }
    }

    /** A NAT keepalive (RFC 3948 2.3): one 0xFF byte that keeps the NAT mapping alive. */
    public void sendKeepalive(InetSocketAddress peer) {
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(NAT_KEEPALIVE), peer));
    }

    public void remove(OutboundSa out, InboundSa in) {
        sas.remove(out, in.spi());
        transports.remove(in);
    }

    /**
     * Installs a trap policy: outbound packets from {@code local} to {@code remote} that find no SA
     * are kept (a few) and the first one runs {@code onFirstPacket} on the TUN worker's thread, which
     * must only hand the work off.
     */
    public Trap addTrap(String name, List<TrafficSelector> local, List<TrafficSelector> remote,
                        Runnable onFirstPacket) {
        Trap trap = new Trap(name, local, remote, onFirstPacket);
        traps.add(trap);
        return trap;
    }

    public void removeTrap(Trap trap) {
        traps.remove(trap);
        trap.dropHeld(false);
    }

    /**
     * Sends the packets a trap kept through the SAs now installed and arms the trap again; a kept
     * packet no SA covers (the peer narrowed the selectors) is dropped and counted. Returns how many
     * were sent. Called on the control thread, in the order the packets arrived.
     */
    public synchronized int sendHeld(Trap trap) {
        int sent = 0;
        for (Trap.Held h : trap.release()) {
            OutboundPath path = sas.outbound(h.buf(), PacketBuffers.HEADROOM, h.len());
            if (path == null) {
                trap.countNoSa();
                continue;
            }
            trapSealer.send(path, h.buf(), h.len());
            sent++;
        }
        return sent;
    }

    public DataPathCounters counters() {
        return counters;
    }

    public String tunName() {
        return queues.get(0).name();
    }

    @Override
    public void close() {
        // Readers first, so no worker sends on a socket that is already closed.
        queues.forEach(TunDevice::close);
        if (raw != null) raw.close();
        udp.close().awaitUninterruptibly();
        if (ike != null) ike.close().awaitUninterruptibly();
        loop.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
