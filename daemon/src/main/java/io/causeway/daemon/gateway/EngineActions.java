package io.causeway.daemon.gateway;

import io.causeway.conf.connection.ConnType;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.daemon.dataplane.DataPlane;
import io.causeway.daemon.dataplane.TransportOverhead;
import io.causeway.daemon.dataplane.TransportRoutes;
import io.causeway.daemon.metrics.TunnelEvents;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspOverhead;
import io.causeway.esp.InboundSa;
import io.causeway.esp.LimitKind;
import io.causeway.esp.LimitListener;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.ike.TunnelState;
import io.causeway.ike.sa.ChildSaInstall;
import io.causeway.ike.sa.DownCause;
import io.causeway.ike.sa.ChildSaRemoval;
import io.causeway.ike.sa.FailureCause;
import io.causeway.ike.sa.IkeActions;
import io.causeway.ike.sa.IkeDatagram;
import io.causeway.ike.sa.TimerKey;
import io.causeway.ike.sa.VolumeLimits;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import io.causeway.tun.netlink.Netlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the IKE engine asks for, carried out on the control thread: datagrams to the sockets,
 * timers to the control loop, negotiated CHILD_SAs into the data plane and routes, states into
 * the status the CLI shows. A tunnel-mode SA routes its remote subnets in the main table
 * ({@link RouteTable}); the peer's own address, the remote selector of every transport-mode SA,
 * goes through {@link PeerHostRoutes} instead, so the gateway's IKE and ESP to it never loop.
 */
final class EngineActions implements IkeActions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineActions.class);

    private final DataPlane dataPlane;
    private final ControlLoop control;
    private final RouteTable routes;
    private final PeerHostRoutes peerRoutes;
    private final TunnelBook book;
    private final Traps traps;
    private final int natTraversalPort;
    private final int outerMtu;
    /** strongSwan's keep_alive default: often enough for the NAT mappings of common routers. */
    private static final Duration NAT_KEEPALIVE = Duration.ofSeconds(20);
    /** How long a replaced CHILD_SA's inbound SA still opens packets (strongSwan's charon.delete_rekeyed_delay). */
    static final Duration REKEYED_INBOUND_LINGER = Duration.ofSeconds(5);

    private final Map<String, ScheduledFuture<?>> keepalives = new HashMap<>();
    private UpdownScripts updown;
    /** The PLUTO_UNIQUEID of each connection's up-client, repeated by its down-client. */
    private final Map<String, Integer> updownIds = new HashMap<>();
    private Consumer<TimerKey> timerFired = key -> {};
    private ObjIntConsumer<LimitKind> volumeLimit = (kind, inboundSpi) -> {};
    private TunnelEvents events = TunnelEvents.NONE;

    /** Peer routes in TransportRoutes' default table, behind the mark the data plane's sockets carry by default. */
    EngineActions(DataPlane dataPlane, ControlLoop control, Netlink netlink, RouteTable routes, TunnelBook book,
                  Traps traps, int natTraversalPort, int outerMtu) {
        this(dataPlane, control, routes, PeerHostRoutes.through(new TransportRoutes(netlink, dataPlane.tunName(),
                TransportRoutes.DEFAULT_FWMARK, TransportRoutes.DEFAULT_TABLE)), book, traps, natTraversalPort, outerMtu);
    }

    EngineActions(DataPlane dataPlane, ControlLoop control, RouteTable routes, PeerHostRoutes peerRoutes,
                  TunnelBook book, Traps traps, int natTraversalPort, int outerMtu) {
        this.dataPlane = dataPlane;
        this.control = control;
        this.routes = routes;
        this.peerRoutes = peerRoutes;
        this.book = book;
        this.traps = traps;
        this.natTraversalPort = natTraversalPort;
        this.outerMtu = outerMtu;
    }

    /** Where leftupdown scripts run; none by default. */
    void runUpdownWith(UpdownScripts scripts) {
        this.updown = scripts;
    }

    void onTimer(Consumer<TimerKey> fired) {
        this.timerFired = fired;
    }

    /** Where the data plane's byte, packet and sequence number limits go, on the control thread: kind, inbound SPI. */
    void onVolumeLimit(ObjIntConsumer<LimitKind> reached) {
        this.volumeLimit = reached;
    }

    void events(TunnelEvents events) {
        this.events = events;
    }

    @Override
    public void send(IkeDatagram d) {
        boolean natT = d.local().getPort() == natTraversalPort || d.remote().getPort() == natTraversalPort;
        dataPlane.sendIke(d.bytes(), d.local().getAddress(), d.remote(), natT);
    }

    @Override
    public void setTimer(TimerKey key, long atMillis) {
        control.setTimer(key, atMillis, k -> timerFired.accept(k));
    }

    @Override
    public void cancelTimer(TimerKey key) {
        control.cancelTimer(key);
    }

    @Override
    public void installChildSa(ChildSaInstall c) {
        try {
            install(c);
        } catch (RuntimeException e) {
            // the engine would only count this; the user must see why traffic does not flow
            log.error("{}: negotiated CHILD_SA could not be installed: {}", c.connection(), e.toString());
            book.state(c.connection(), TunnelState.PHASE2_FAILED, "CHILD_SA could not be installed: " + e.getMessage());
        }
    }

    private void install(ChildSaInstall c) {
        Connection conn = book.connection(c.connection());
        List<TrafficSelector> local = SubnetSelectors.of(c.localSelectors());
        List<TrafficSelector> remote = SubnetSelectors.of(c.remoteSelectors());
        LimitListener limits = limitsOf(c.connection(), c.inboundSpi());
        OutboundSa out = new OutboundSa(sa(c.outboundSpi(), c, c.outboundKeys(), conn, local, remote, limits));
        InboundSa in = new InboundSa(sa(c.inboundSpi(), c, c.inboundKeys(), conn, local, remote, limits));
        boolean ipv6 = c.peer().getAddress() instanceof Inet6Address;
        boolean transport = c.mode() == EspMode.TRANSPORT;
        int innerMtu = transport
                ? TransportOverhead.maxInner(outerMtu, c.suite(), ipv6, c.udpEncapsulation())
                : EspOverhead.maxInner(outerMtu, c.suite(), ipv6, c.udpEncapsulation());
        dataPlane.install(out, in, c.local().getAddress(), c.peer(), c.udpEncapsulation(), innerMtu,
                c.outboundActive());
        // the peer's own address never goes into the main table: IKE and ESP to it would loop into the TUN
        List<Subnet> taken = routes.add(c.connection(), PeerHostRoutes.otherThanPeer(c));
        peerRoutes.installed(c);
        if (c.udpEncapsulation()) keepNatMappingAlive(c.connection());
        // a rekey installs its SA next to the old one: strongSwan runs no updown for it, neither do we
        boolean first = book.children(c.connection()).isEmpty();
        book.childInstalled(new InstalledChild(c, out, in, System.currentTimeMillis()), taken);
        events.childInstalled(c.connection(), c.inboundSpi(), in.counters(), out.counters());
        log.info("{}: CHILD_SA up, {} === {}, in {} out {}{}, {}, {} mode{}", c.connection(), c.localSelectors(),
                c.remoteSelectors(), hex(c.inboundSpi()), hex(c.outboundSpi()),
                c.outboundActive() ? "" : " (sending once the old SA goes)", c.suite().name(),
                transport ? "transport" : "tunnel", c.udpEncapsulation() ? ", ESP in UDP" : "");
        if (!transport && conn.type() == ConnType.TRANSPORT) {
            log.warn("{}: type=transport, but no USE_TRANSPORT_MODE was agreed (the peer declined it or did not ask"
                    + " for it): tunnel mode, as strongSwan does", c.connection());
        }
        traps.childInstalled(c.connection());
        if (first && updown != null) updownIds.put(c.connection(), updown.up(conn, c));
    }

    @Override
    public void exchangeCompleted(String connection, int exchangeType, boolean weInitiated) {
        events.exchangeCompleted(connection, exchangeType, weInitiated);
    }

    @Override
    public void handshakeCompleted(String connection, long durationMillis) {
        events.handshakeCompleted(connection, durationMillis);
    }

    @Override
    public void ikeSaRekeyed(String connection) {
        log.info("{}: IKE SA rekeyed", connection);
        events.ikeSaRekeyed(connection);
    }

    @Override
    public void activateOutbound(String connection, int inboundSpi) {
        InstalledChild child = book.child(inboundSpi);
        if (child == null) return; // it could not be installed: installChildSa reported that
        dataPlane.startSending(child.out());
        log.info("{}: CHILD_SA in {} out {} now sends", connection, hex(inboundSpi), hex(child.out().spi()));
    }

    @Override
    public void removeChildSa(ChildSaRemoval r) {
        InstalledChild child = book.childRemoved(r.inboundSpi());
        if (child == null) return;
        boolean replaced = !book.children(r.connection()).isEmpty();
        if (replaced) {
            // make-before-break: the successor already carries the traffic, but the peer's packets sealed with this
            // SA just before it switched may still be on their way, so its inbound side opens them a while longer
            dataPlane.removeOutbound(child.out());
            control.schedule(REKEYED_INBOUND_LINGER, () -> dataPlane.removeInbound(child.in()));
        } else {
            dataPlane.remove(child.out(), child.in());
        }
        events.childRemoved(r.connection(), r.inboundSpi());
        peerRoutes.removed(r.inboundSpi());
        if (!replaced) {
            if (!traps.trapped(r.connection())) routes.remove(r.connection()); // a trap keeps its routes
            ScheduledFuture<?> keepalive = keepalives.remove(r.connection());
            if (keepalive != null) keepalive.cancel(false);
            Integer uniqueId = updownIds.remove(r.connection());
            Connection conn = book.find(r.connection());
            if (updown != null && uniqueId != null && conn != null) updown.down(conn, child.negotiated(), uniqueId);
        }
        log.info("{}: CHILD_SA in {} out {} removed", r.connection(), hex(r.inboundSpi()), hex(r.outboundSpi()));
    }

    /**
     * Removes the peer routes and their rules still in place: at shutdown, after the engine's DELETEs. Safe from
     * any thread; no route is added afterwards.
     */
    @Override
    public void close() {
        peerRoutes.close();
    }

    @Override
    public void stateChanged(String connection, TunnelState state, String lastError) {
        changed(connection, state, lastError, DownCause.OTHER, FailureCause.OTHER);
    }

    @Override
    public void stateChanged(String connection, TunnelState state, String lastError, DownCause cause) {
        changed(connection, state, lastError, cause, FailureCause.OTHER);
    }

    @Override
    public void stateChanged(String connection, TunnelState state, String lastError, FailureCause cause) {
        changed(connection, state, lastError, DownCause.OTHER, cause);
    }

    /** Every report lands here, so a failure reported without a cause still counts, as OTHER. */
    private void changed(String connection, TunnelState state, String lastError, DownCause cause, FailureCause failure) {
        book.state(connection, state, lastError);
        if (state == TunnelState.PHASE1_FAILED || state == TunnelState.PHASE2_FAILED) events.failed(connection, failure);
        if (lastError == null) log.info("{}: {}", connection, state);
        else log.warn("{}: {}: {}", connection, state, lastError);
        Connection c = book.find(connection);
        if (c != null) traps.stateChanged(c, state, cause);
    }

    /**
     * NAT keepalives (RFC 3948 2.3) to the peer of the connection's newest encapsulated CHILD_SA,
     * every 20 s while it has one. Sent from both ends: a peer not behind NAT just drops them.
     */
    private void keepNatMappingAlive(String connection) {
        keepalives.computeIfAbsent(connection, name -> control.every(NAT_KEEPALIVE, () -> {
            List<InstalledChild> children = book.children(name);
            if (children.isEmpty()) return;
            ChildSaInstall newest = children.get(children.size() - 1).negotiated();
            if (newest.udpEncapsulation()) dataPlane.sendKeepalive(newest.local().getAddress(), newest.peer());
        }));
    }

    /**
     * What a worker calls when one of the CHILD_SA's two SAs crosses a limit: the event goes to the control loop as one
     * task (at most five per SA), named by the CHILD_SA's inbound SPI, which is ours and unique.
     */
    private LimitListener limitsOf(String connection, int inboundSpi) {
        return (spi, inbound, kind) -> {
            try {
                control.execute(() -> limitReached(connection, inboundSpi, spi, inbound, kind));
            } catch (RejectedExecutionException e) {
                // shutting down: the SA goes with the data plane anyway, and the worker must not lose its packet
            }
        };
    }

    private void limitReached(String connection, int inboundSpi, int spi, boolean inbound, LimitKind kind) {
        log.info("{}: CHILD_SA in {}: {} SA {} reached {}", connection, hex(inboundSpi), inbound ? "inbound" : "outbound",
                hex(spi), kind);
        volumeLimit.accept(kind, inboundSpi);
    }

    private static SaConfig sa(int spi, ChildSaInstall c, SaKeys keys, Connection conn,
                               List<TrafficSelector> local, List<TrafficSelector> remote, LimitListener limits) {
        VolumeLimits v = c.limits();
        return SaConfig.builder(spi, c.suite(), keys)
                .esn(c.esn())
                .replayWindow(conn.replayWindow())
                .mode(c.mode())
                .selectors(local, remote)
                .byteLimits(v.softBytes(), v.hardBytes())
                .packetLimits(v.softPackets(), v.hardPackets())
                .limitListener(limits)
                .build();
    }

    static String hex(int spi) {
        return String.format("%08x", spi);
    }
}
