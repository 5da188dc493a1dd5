package io.causeway.daemon.dataplane;

import io.causeway.esp.EspMode;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.tun.OsException;
import io.causeway.tun.TunDevice;
import io.causeway.tun.socket.SockAddr;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * The userspace ESP data plane: a TUN device with one queue per worker, per local address the shared UDP socket
  * (IKE and ESP-in-UDP on one port, as NAT traversal needs), the plain IKE socket and optionally a raw ESP socket
  * ({@link LocalEndpoint}), and the SA table the control side fills. Outbound workers are plain threads blocked on
  * their TUN queue; inbound runs on one reader thread per encapsulation socket (GRO batches) and one raw ESP reader
  * per address; Netty's epoll loop serves the plain IKE port. With {@link Offloads} the TUN device carries TCP and
  * UDP super-packets both ways and the sealed datagrams of one read leave in one send. Each SA is sent from the
  * sockets of its own local address.
  */
public final class DataPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataPlane.class);

    /**
     * What the data plane binds and creates: the local addresses (at least one; more can be opened later), the
     * UDP-encapsulation port (IKE and ESP, normally 4500), the plain IKE port (normally 500; 0 for none) and
     * optionally a raw ESP socket, each per address. Every socket carries {@code fwmark} (SO_MARK; 0 for none), so
     * a transport-mode peer's address can route into the TUN while the gateway's own datagrams to it do not (see
     * {@link TransportRoutes}).
     */
    public record Settings(String tunName, int workers, List<InetAddress> locals, int udpPort, int ikePort,
            boolean rawEsp, int fwmark) {
        public Settings {
            locals = List.copyOf(new LinkedHashSet<>(locals));
            if (locals.isEmpty()) throw new IllegalArgumentException("a data plane needs a local address");
        }

        public Settings(String tunName, int workers, List<InetAddress> locals, int udpPort, int ikePort,
                boolean rawEsp) {
            this(tunName, workers, locals, udpPort, ikePort, rawEsp, TransportRoutes.DEFAULT_FWMARK);
        }

        public Settings(String tunName, int workers, InetAddress local, int udpPort, int ikePort, boolean rawEsp,
                int fwmark) {
            this(tunName, workers, List.of(local), udpPort, ikePort, rawEsp, fwmark);
        }

        public Settings(String tunName, int workers, InetAddress local, int udpPort, int ikePort, boolean rawEsp) {
            this(tunName, workers, List.of(local), udpPort, ikePort, rawEsp, TransportRoutes.DEFAULT_FWMARK);
        }
    }

    private static final byte[] NAT_KEEPALIVE = {(byte) 0xff};

    private final Settings settings;
    private final Offloads offloads;
    /** Decrypt workers per inbound reader; 0: inline on the reader ({@link InboundWorkers}). */
    private final int inboundWorkers = InboundWorkers.fromSystemProperty();
    private final IkeDatagramSink ikeSink;
    private final SaTable sas;
    private final TrapTable traps = new TrapTable();
    private final TransportSas transports;
    private final DataPathCounters counters;
    private final List<TunDevice> queues;
    private final EventLoopGroup loop;
    /**
     * By address, in the order opened (the first is the settings' first). Replaced whole under the lock of
     * {@link #open}, read without it: IKE sends and installs look up their SA's address here, never the workers.
     */
    private volatile Map<InetAddress, LocalEndpoint> endpoints = Map.of();
    private final List<Thread> threads = new ArrayList<>();
    /** Sends what traps kept; used on the control thread only. */
    private final OutboundSealer trapSealer;

    private DataPlane(Settings settings, Offloads offloads, IkeDatagramSink ikeSink, SaTable sas,
            TransportSas transports, DataPathCounters counters, List<TunDevice> queues, EventLoopGroup loop) {
        this.settings = settings;
        this.offloads = offloads;
        this.ikeSink = ikeSink;
        this.sas = sas;
        this.transports = transports;
        this.counters = counters;
        this.queues = queues;
        this.loop = loop;
        this.trapSealer = new OutboundSealer(new DeviceTunQueue(queues.get(0)), counters,
                new SendBatcher(offloads.udpGso(), counters));
    }

    /** Starts with the offloads the system property {@code causeway.offload} leaves on (all by default). */
    public static DataPlane start(Settings settings, IkeDatagramSink ike) throws InterruptedException {
        return start(settings, Offloads.fromSystemProperty(), ike);
    }

    public static DataPlane start(Settings settings, Offloads offloads, IkeDatagramSink ike)
            throws InterruptedException {
        List<TunDevice> queues = settings.workers() > 1
                ? TunDevice.openQueues(settings.tunName(), settings.workers(), offloads.tun())
                : List.of(TunDevice.open(settings.tunName(), offloads.tun()));
        if (offloads.tun() && !queues.get(0).offload()) {
            log.info("{}: the kernel refused TUN offloads; packets cross it one by one", queues.get(0).name());
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        DataPlane plane = new DataPlane(settings, offloads, ike, new SaTable(), new TransportSas(),
                new DataPathCounters(), queues, loop);
        try {
            for (InetAddress local : settings.locals()) plane.open(local);
        } catch (RuntimeException | InterruptedException e) {
            plane.endpoints.values().forEach(LocalEndpoint::close);
            loop.shutdownGracefully();
            queues.forEach(TunDevice::close);
            throw e;
        }
        plane.startWorkers();
        if (plane.inboundWorkers > 0) {
            log.info("inbound ESP decrypted on {} worker(s) per receiving socket ({})", plane.inboundWorkers,
                    InboundWorkers.PROPERTY);
        }
        return plane;
    }

    /**
     * Binds the sockets of another local address (UDP encapsulation and IKE ports, raw ESP as the settings say)
     * and starts receiving on them; nothing happens for an address already open. Returns whether it was new.
     * Throws, with nothing left open, when the address cannot be bound (not one of this host's).
     */
    public synchronized boolean open(InetAddress local) throws InterruptedException {
        if (endpoints.containsKey(local)) return false;
        // one inbound path per receiving thread: each socket's reader has its own
        IkePortHandler ikeHandler = settings.ikePort() != 0 ? new IkePortHandler(ikeSink, counters) : null;
        LocalEndpoint endpoint = LocalEndpoint.open(local, settings.udpPort(), settings.ikePort(), settings.rawEsp(),
                settings.fwmark(), loop, ikeHandler);
        String name = local.getHostAddress();
        endpoint.startUdpReader(new UdpEncapReader(new SocketEncap(endpoint.udp()), inboundPath("udp-" + name),
                ikeSink, counters));
        if (endpoint.raw() != null) {
            endpoint.startRawReader(new RawEspReader(endpoint.raw(), inboundPath("esp-" + name), counters));
        }
        Map<InetAddress, LocalEndpoint> next = new LinkedHashMap<>(endpoints);
        next.put(local, endpoint);
        endpoints = Collections.unmodifiableMap(next);
        return true;
    }

    /**
     * Closes the sockets of a local address that {@link #open} opened and no SA uses (a reload that failed after
     * opening it); the first address stays.
     */
    public synchronized void close(InetAddress local) {
        LocalEndpoint endpoint = endpoints.get(local);
        if (endpoint == null || local.equals(settings.locals().get(0))) return;
        Map<InetAddress, LocalEndpoint> next = new LinkedHashMap<>(endpoints);
        next.remove(local);
        endpoints = Collections.unmodifiableMap(next);
        endpoint.close();
        try {
            endpoint.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The local addresses with open sockets, in the order opened. */
    public List<InetAddress> locals() {
        return List.copyOf(endpoints.keySet());
    }

    private EspIntake inboundPath(String name) {
        TunQueue tun = new DeviceTunQueue(queues.get(0));
        InnerPacketSink sink = tun.offload() ? new GroTunSink(tun, counters) : new PlainTunSink(tun);
        if (inboundWorkers == 0) return new InboundPath(sas, transports, sink, counters);
        return InboundPipeline.start(inboundWorkers, sas, transports, sink, counters, "inbound-" + name);
    }

    private void startWorkers() {
        for (TunDevice q : queues) {
            TunReader reader = new TunReader(new DeviceTunQueue(q), sas, traps, counters,
                    new SendBatcher(offloads.udpGso(), counters));
            threads.add(new Thread(reader, "tun-" + q.name() + "-" + threads.size()));
        }
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** The endpoint of an address that must be open. */
    private LocalEndpoint endpoint(InetAddress local) {
        LocalEndpoint endpoint = endpoints.get(local);
        if (endpoint == null) {
            throw new IllegalStateException("no sockets on local address " + local.getHostAddress()
                    + " (open: " + endpoints.keySet().stream().map(InetAddress::getHostAddress).toList() + ")");
        }
        return endpoint;
    }

    private InetAddress first() {
        return settings.locals().get(0);
    }

    /** Starts carrying traffic for a CHILD_SA pair from the first local address; the peer is where sealed packets go. */
    public void install(OutboundSa out, InboundSa in, InetSocketAddress peer, boolean udpEncap, int innerMtu) {
        install(out, in, first(), peer, udpEncap, innerMtu);
    }

    /**
     * Starts carrying traffic for a CHILD_SA pair between {@code local}, whose sockets its ESP leaves from (it must
     * be open), and {@code peer}, where sealed packets go.
     */
    public void install(OutboundSa out, InboundSa in, InetAddress local, InetSocketAddress peer, boolean udpEncap,
            int innerMtu) {
        install(out, in, local, peer, udpEncap, innerMtu, true);
    }

    /**
     * {@link #install(OutboundSa, InboundSa, InetAddress, InetSocketAddress, boolean, int)}, sending on {@code out}
     * at once or, when not {@code sending}, receiving only until {@link #startSending}: the new SA of a rekey the
     * peer started, which the peer installs only when our answer reaches it.
     */
    public void install(OutboundSa out, InboundSa in, InetAddress local, InetSocketAddress peer, boolean udpEncap,
            int innerMtu, boolean sending) {
        LocalEndpoint endpoint = endpoint(local);
        if (!udpEncap && endpoint.raw() == null) {
            throw new IllegalStateException("raw ESP needs a data plane started with rawEsp");
        }
        // the socket is chosen here, once per SA, so the workers' send path stays one sendto on a known descriptor
        Egress egress = udpEncap
                ? new UdpEgress(new SocketEncap(endpoint.udp()), peer)
                : new RawEspEgress(endpoint.raw(), peer.getAddress());
        if (in.config().mode() == EspMode.TRANSPORT) {
            // before the SA is visible: an inbound packet must never find the SA without its header
            transports.put(in, TransportInbound.of(in, peer.getAddress(), local, udpEncap));
        }
        sas.install(new OutboundPath(out, egress, innerMtu), in, sending);
    }

    /**
     * An SA installed receiving only starts sending: outbound packets for its selectors use it from now on rather
     * than the older SA it replaces.
     */
    public void startSending(OutboundSa out) {
        sas.startSending(out);
    }

    /** Sends an IKE message from the first local address; see {@link #sendIke(byte[], InetAddress, InetSocketAddress, boolean)}. */
    public void sendIke(byte[] message, InetSocketAddress peer, boolean natTraversal) {
        sendIke(message, first(), peer, natTraversal);
    }

    /**
     * Sends an IKE message to the peer from {@code local}'s sockets: from the encapsulation port with the non-ESP
     * marker (RFC 3948 2.2) once NAT traversal moved there, else from the plain IKE port. An address without
     * sockets drops the message (the engine retransmits or gives up as for any loss).
     */
    public void sendIke(byte[] message, InetAddress local, InetSocketAddress peer, boolean natTraversal) {
        LocalEndpoint endpoint = endpoints.get(local);
        if (endpoint == null) {
            log.warn("IKE message to {} dropped: no sockets on local address {}", peer, local.getHostAddress());
            return;
        }
        if (natTraversal || endpoint.ike() == null) {
            byte[] marked = new byte[4 + message.length]; // the non-ESP marker is four zero bytes
            System.arraycopy(message, 0, marked, 4, message.length);
            sendOnEncapsulationPort(endpoint, marked, peer);
        } else {
            endpoint.ike().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), peer));
        }
    }

    /** A NAT keepalive from the first local address; see {@link #sendKeepalive(InetAddress, InetSocketAddress)}. */
    public void sendKeepalive(InetSocketAddress peer) {
        sendKeepalive(first(), peer);
    }

    /**
     * A NAT keepalive (RFC 3948 2.3): one 0xFF byte from {@code local}'s encapsulation port that keeps the NAT
     * mapping of that address pair alive.
     */
    public void sendKeepalive(InetAddress local, InetSocketAddress peer) {
        LocalEndpoint endpoint = endpoints.get(local);
        if (endpoint != null) sendOnEncapsulationPort(endpoint, NAT_KEEPALIVE, peer);
    }

    /** A lost IKE message or keepalive is what retransmission and the next keepalive are for: log, never throw. */
    private static void sendOnEncapsulationPort(LocalEndpoint endpoint, byte[] datagram, InetSocketAddress peer) {
        try {
            if (endpoint.udp().sendTo(datagram, 0, datagram.length, SockAddr.of(peer)) < 0) {
                log.debug("datagram to {} dropped: socket buffer full", peer);
            }
        } catch (OsException e) {
            log.debug("datagram to {} dropped: {}", peer, e.getMessage());
        }
    }

    public void remove(OutboundSa out, InboundSa in) {
        sas.remove(out, in.spi());
        transports.remove(in);
    }

    /**
     * A rekeyed CHILD_SA's first half: nothing is sealed with out any more, while in still opens the packets the
     * peer sealed before it switched and that are still on their way (a GSO batch in a worker, socket buffers, raw
     * ESP and IKE on different sockets); {@link #removeInbound} ends it.
     */
    public void removeOutbound(OutboundSa out) {
        sas.removeOutbound(out);
    }

    /** The second half: the inbound SA goes, unless its SPI already names a newer SA. */
    public void removeInbound(InboundSa in) {
        sas.removeInbound(in);
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
        try {
            for (Trap.Held h : trap.release()) {
                OutboundPath path = sas.outbound(h.buf(), PacketBuffers.HEADROOM, h.len());
                if (path == null) {
                    trap.countNoSa();
                    continue;
                }
                trapSealer.send(path, h.buf(), h.len());
                sent++;
            }
        } finally {
            trapSealer.flush(); // also lets go of the SA's wire order
        }
        return sent;
    }

    public DataPathCounters counters() {
        return counters;
    }

    /** Whether the TUN device carries super-packets (the kernel accepted the offloads asked for). */
    public boolean tunOffload() {
        return queues.get(0).offload();
    }

    public String tunName() {
        return queues.get(0).name();
    }

    @Override
    public void close() {
        // Readers first, so no worker sends on a socket that is already closed.
        queues.forEach(TunDevice::close);
        Collection<LocalEndpoint> open;
        synchronized (this) {
            open = endpoints.values();
            endpoints = Map.of();
        }
        open.forEach(LocalEndpoint::close);
        loop.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        try {
            for (Thread t : threads) t.join(2000);
            for (LocalEndpoint e : open) e.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
