package io.causeway.daemon.gateway;

import io.causeway.conf.Config;
import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.daemon.dataplane.DataPlane;
import io.causeway.ike.crypto.SecureRandomSource;
import io.causeway.ike.v2.sa.IkeDatagram;
import io.causeway.ike.v2.sa.IkeEngine;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.netlink.RouteLookup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: configuration, data plane, IKE engine and control thread wired together.
 * IKE datagrams and timers reach the engine only through the control loop.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final int DEFAULT_OUTER_MTU = 1500;
    /** kernel-libipsec's default; every suite's overhead fits below a 1500-byte path. */
    private static final int TUN_MTU = 1400;

    /** Where the gateway listens and which device it creates. */
    public record Settings(String tun, int workers, int ikePort, int natTraversalPort) {
        public static Settings defaults() {
            return new Settings("cw0", Math.max(1, Runtime.getRuntime().availableProcessors()), 500, 4500);
        }
    }

    private final Settings settings;
    private final InetAddress local;
    private final ControlLoop control;
    private final DataPlane dataPlane;
    private final Netlink netlink;
    private final TunnelBook book;
    private final IkeEngine engine;

    private Gateway(Settings settings, InetAddress local, ControlLoop control, DataPlane dataPlane, Netlink netlink,
                    TunnelBook book, IkeEngine engine) {
        this.settings = settings;
        this.local = local;
        this.control = control;
        this.dataPlane = dataPlane;
        this.netlink = netlink;
        this.book = book;
        this.engine = engine;
    }

    public static Gateway start(Config config, Settings settings) throws Exception {
        List<Connection> connections = config.activeConnections().stream()
                .filter(c -> c.ikeVersion() == 2 || c.acceptsAnyIkeVersion()).toList();
        if (connections.isEmpty()) {
            throw new IllegalArgumentException("no IKEv2 connection to run (all are auto=ignore or IKEv1)");
        }
        Netlink netlink = Netlink.open();
        InetAddress local = localAddress(connections, netlink);
        ControlLoop control = new ControlLoop();
        IkeEngine[] engine = new IkeEngine[1];
        DataPlane dataPlane = DataPlane.start(
                // raw ESP (protocol 50) for peers that negotiate no UDP encapsulation (no NAT between us)
                new DataPlane.Settings(settings.tun(), settings.workers(), local, settings.natTraversalPort(),
                        settings.ikePort(), true),
                (bytes, from, to) -> control.execute(
                        () -> engine[0].receive(new IkeDatagram(bytes, to, from), System.currentTimeMillis())));
        try {
            netlink.setMtu(dataPlane.tunName(), TUN_MTU);
            netlink.setLinkUp(dataPlane.tunName());
            int outerMtu = outerMtu(connections, netlink);
            TunnelBook book = new TunnelBook(connections);
            RouteTable routes = new RouteTable(netlink, dataPlane.tunName());
            EngineActions actions = new EngineActions(dataPlane, control, routes, book,
                    settings.natTraversalPort(), outerMtu);
            engine[0] = control.call(() -> new IkeEngine(connections, config.secrets(), new SecureRandomSource(), actions));
            actions.onTimer(key -> engine[0].timerFired(key, System.currentTimeMillis()));
            InboundActivity activity = new InboundActivity(book);
            control.call(() -> {
                engine[0].setInboundActivity(spi -> activity.lastInboundMillis(spi, System.currentTimeMillis()));
                return null;
            });
            Gateway gateway = new Gateway(settings, local, control, dataPlane, netlink, book, engine[0]);
            for (Connection c : connections) {
                if (c.auto() == AutoAction.START) gateway.initiate(c);
            }
            log.info("IKEv2 on {} ports {} and {}, {} connection(s), TUN {}", local.getHostAddress(),
                    settings.ikePort(), settings.natTraversalPort(), connections.size(), dataPlane.tunName());
            return gateway;
        } catch (Exception e) {
            dataPlane.close();
            control.close();
            netlink.close();
            throw e;
        }
    }

    private void initiate(Connection c) {
        Optional<InetAddress> peer = peerAddress(c);
        if (peer.isEmpty()) {
            log.warn("{}: auto=start needs a peer address (right=%any can only wait for the peer)", c.name());
            return;
        }
        InetSocketAddress from = new InetSocketAddress(local, settings.ikePort());
        InetSocketAddress to = new InetSocketAddress(peer.get(), settings.ikePort());
        control.execute(() -> engine.initiate(c.name(), from, to, System.currentTimeMillis()));
    }

    /** `status` over the control socket; runs on the control thread. */
    public Map<String, Object> status(String only) throws Exception {
        List<Map<String, Object>> tunnels = control.call(
                () -> book.status(engine.sessions(), only, System.currentTimeMillis()));
        Map<String, Object> response = new LinkedHashMap<>();
        if (only != null && tunnels.isEmpty()) {
            response.put("ok", false);
            response.put("error", "no connection named " + only);
            return response;
        }
        response.put("ok", true);
        response.put("tunnels", tunnels);
        return response;
    }

    /** The one local address IKE and ESP use: the first connection's left, or the route source to its peer. */
    private static InetAddress localAddress(List<Connection> connections, Netlink netlink) {
        for (Connection c : connections) {
            if (c.left().address().isPresent() && !c.left().anyAddress()) return c.left().address().get();
        }
        for (Connection c : connections) {
            Optional<InetAddress> peer = peerAddress(c);
            if (peer.isPresent()) {
                Optional<InetAddress> source = netlink.routeGet(peer.get()).map(RouteLookup::source);
                if (source.isPresent()) return source.get();
            }
        }
        throw new IllegalArgumentException("cannot tell which local address to use: set left= to this host's address");
    }

    private static Optional<InetAddress> peerAddress(Connection c) {
        if (c.right().anyAddress()) return Optional.empty();
        if (c.right().address().isPresent()) return c.right().address();
        try {
            return Optional.of(InetAddress.getByName(c.right().host()));
        } catch (UnknownHostException e) {
            log.warn("{}: cannot resolve right={}: {}", c.name(), c.right().host(), e.getMessage());
            return Optional.empty();
        }
    }

    private static int outerMtu(List<Connection> connections, Netlink netlink) {
        for (Connection c : connections) {
            Optional<InetAddress> peer = peerAddress(c);
            if (peer.isPresent()) {
                int mtu = netlink.routeGet(peer.get()).map(RouteLookup::mtu).orElse(0);
                if (mtu > 0) return mtu;
            }
        }
        return DEFAULT_OUTER_MTU;
    }

    /** Sends a DELETE for every IKE SA (RFC 7296 1.4.1) without waiting for answers, then stops. */
    @Override
    public void close() {
        try {
            control.call(() -> {
                engine.closeAll(System.currentTimeMillis());
                return null;
            });
        } catch (Exception e) {
            log.warn("could not send DELETEs at shutdown: {}", e.getMessage());
        }
        dataPlane.close(); // pending DELETEs are flushed before the sockets close; routes go with the TUN
        control.close();
        netlink.close();
    }
}
