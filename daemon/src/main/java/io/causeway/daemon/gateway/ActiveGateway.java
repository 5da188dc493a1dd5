package io.causeway.daemon.gateway;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.secrets.Secrets;
import io.causeway.daemon.dataplane.DataPlane;
import io.causeway.daemon.dataplane.TransportRoutes;
import io.causeway.daemon.gateway.Gateway.Settings;
import io.causeway.daemon.metrics.TunnelEvents;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.SecureRandomSource;
import io.causeway.ike.sa.IkeDatagram;
import io.causeway.ike.sa.IkeEngine;
import io.causeway.ike.sa.IkeFloodCounters;
import io.causeway.ike.sa.IkeIntakeScreen;
import io.causeway.ike.sa.KnownPeers;
import io.causeway.ike.sa.UniqueIds;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.netlink.RouteLookup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway once its configuration has a connection: data plane (TUN, IKE and ESP sockets on each local address
 * of the connections), IKE engine, tunnel book and traps. It runs on the {@link Gateway}'s control loop and netlink
 * socket, which outlive it; a reload that brings a connection on a new local address opens that address's sockets.
 */
final class ActiveGateway {
    private static final Logger log = LoggerFactory.getLogger(ActiveGateway.class);
    private static final int DEFAULT_OUTER_MTU = 1500;
    /** kernel-libipsec's default; every suite's overhead fits below a 1500-byte path. */
    private static final int TUN_MTU = 1400;

    private final Settings settings;
    private final Netlink netlink;
    private final ControlLoop control;
    private final DataPlane dataPlane;
    private final TunnelBook book;
    private final Traps traps;
    private final EngineActions actions;
    private final IkeEngine engine;
    private final UpdownScripts updown;
    private final PeerResolver resolver;
    /** Failed lookups of a connection's peer name in a row, against its keyingtries. Control thread. */
    private final Map<String, Integer> lookupFailures = new HashMap<>();
    private final IkeInbox inbox;
    /** The secrets of the running configuration, to tell whether a reload changed a connection's PSK. Control thread. */
    private Secrets secrets;
    /** The local address each connection initiates from ({@link LocalAddresses}), by name. Control thread. */
    private Map<String, InetAddress> locals;

    private ActiveGateway(Settings settings, Netlink netlink, ControlLoop control, DataPlane dataPlane,
                          TunnelBook book, Traps traps, EngineActions actions, IkeEngine engine, UpdownScripts updown,
                          PeerResolver resolver, Secrets secrets, Map<String, InetAddress> locals, IkeInbox inbox) {
        this.settings = settings;
        this.netlink = netlink;
        this.control = control;
        this.dataPlane = dataPlane;
        this.book = book;
        this.traps = traps;
        this.actions = actions;
        this.engine = engine;
        this.updown = updown;
        this.resolver = resolver;
        this.inbox = inbox;
        this.secrets = secrets;
        this.locals = locals;
    }

    /**
     * Starts the data plane on the connections' local addresses and every connection per auto; reports to
     * {@code events} from the first message on. Not on the control thread. On failure nothing of it stays.
     */
    static ActiveGateway start(List<Connection> connections, Secrets secrets, UniqueIds uniqueIds, Settings settings,
                               TunnelEvents events, ControlLoop control, Netlink netlink) throws Exception {
        PeerResolver resolver = PeerResolver.system(control);
        resolver.prefetch(connections, PeerResolver.START_WAIT); // a name answered later: when it initiates
        Map<String, InetAddress> locals = LocalAddresses.of(connections, resolver::known, routeSource(netlink));
        List<InetAddress> addresses = LocalAddresses.distinct(connections, locals);
        if (addresses.isEmpty()) {
            resolver.close();
            throw new IllegalArgumentException("cannot tell which local address to use: set left= to this host's address");
        }
        IkeEngine[] engine = new IkeEngine[1];
        IkeIntakeScreen screen = new IkeIntakeScreen(new SecureRandom().nextLong(), settings.flood().initRatePerSource());
        IkeInbox inbox = new IkeInbox(control,
                (bytes, from, to) -> engine[0].receive(new IkeDatagram(bytes, to, from), System.currentTimeMillis()),
                screen);
        DataPlane dataPlane = DataPlane.start(
                // raw ESP (protocol 50) for peers that negotiate no UDP encapsulation (no NAT between us)
                new DataPlane.Settings(settings.tun(), settings.workers(), addresses, settings.natTraversalPort(),
                        settings.ikePort(), true),
                inbox);
        try {
            netlink.setMtu(dataPlane.tunName(), TUN_MTU);
            netlink.setLinkUp(dataPlane.tunName());
            int outerMtu = outerMtu(connections, resolver, netlink);
            TunnelBook book = new TunnelBook(connections);
            RouteTable routes = new RouteTable(netlink, dataPlane.tunName());
            // a trap whose negotiation failed waits as long as the engine does before its next round
            Traps traps = new Traps(dataPlane, control, routes, book, IkeEngine.DEFAULT_KEYING_RETRY_INTERVAL,
                    resolver::known);
            EngineActions actions = new EngineActions(dataPlane, control, netlink, routes, book, traps,
                    settings.natTraversalPort(), outerMtu);
            UpdownScripts updown = new UpdownScripts(dataPlane.tunName(), UpdownScripts.DEFAULT_TIMEOUT);
            actions.runUpdownWith(updown);
            engine[0] = control.call(() -> new IkeEngine(connections, secrets, new SecureRandomSource(), actions,
                    settings.retransmit()));
            // known peers' datagrams ahead of strangers' (junk and over-rate requests never got this far)
            KnownPeers knownPeers = engine[0].knownPeers(); // safe from any thread
            inbox.triageWith(knownPeers::known);
            actions.onTimer(key -> engine[0].timerFired(key, System.currentTimeMillis()));
            // lifebytes/lifepackets: the workers report a crossing once per SA and kind; nothing polls counters
            actions.onVolumeLimit((kind, inboundSpi) -> engine[0].volumeLimitReached(inboundSpi, kind,
                    System.currentTimeMillis()));
            actions.events(events);
            InboundActivity activity = new InboundActivity(book);
            control.call(() -> {
                engine[0].setInboundActivity(spi -> activity.lastInboundMillis(spi, System.currentTimeMillis()));
                engine[0].setCookieThreshold(settings.cookieThreshold());
                engine[0].setInitLimitHalfOpen(settings.flood().initLimitHalfOpen());
                engine[0].setBlockThreshold(settings.flood().blockThreshold());
                // the readers' screen applies the rate per source, before anything is copied for a datagram
                engine[0].setInitRatePerSource(0);
                engine[0].setFragmentSize(settings.fragmentSize());
                engine[0].setUniqueIds(uniqueIds);
                return null;
            });
            ActiveGateway gateway = new ActiveGateway(settings, netlink, control, dataPlane, book, traps, actions,
                    engine[0], updown, resolver, secrets, locals, inbox);
            traps.initiateWith(gateway::initiateNow);
            control.call(() -> {
                for (Connection c : connections) gateway.startPerAuto(c);
                return null;
            });
            log.info("IKE on {} ports {} and {}, {} connection(s), TUN {}", hostAddresses(addresses),
                    settings.ikePort(), settings.natTraversalPort(), connections.size(), dataPlane.tunName());
            return gateway;
        } catch (Exception e) {
            // the control loop outlives a failed start (it keeps waiting for connections): leave nothing on it
            dataPlane.close();
            resolver.close();
            throw e;
        }
    }

    /** auto=start initiates, auto=route traps, auto=add waits for the peer. Control thread. */
    private void startPerAuto(Connection c) {
        if (c.auto() == AutoAction.ROUTE) traps.install(c, resolver.known(c));
        if (c.auto() == AutoAction.START) initiateNow(c);
    }

    /**
     * See {@link Gateway#reload}: the connections and secrets of a configuration that loaded. The sockets of local
     * addresses new to the data plane are opened first; if one cannot be bound nothing changes.
     */
    Map<String, Object> reload(List<Connection> connections, Secrets newSecrets, UniqueIds uniqueIds) throws Exception {
        return control.call(() -> {
            ConnectionDiff diff = ConnectionDiff.between(book.connections(), secrets, connections, newSecrets);
            Map<String, InetAddress> nextLocals = new HashMap<>();
            for (Connection c : connections) {
                Optional<InetAddress> local = diff.unchanged().contains(c.name())
                        ? Optional.ofNullable(locals.get(c.name()))
                        : LocalAddresses.of(c, resolver::known, routeSource(netlink));
                local.ifPresent(a -> nextLocals.put(c.name(), a));
            }
            String notOpened = openLocals(LocalAddresses.distinct(connections, nextLocals));
            if (notOpened != null) return notReloaded(notOpened);
            locals = nextLocals;
            engine.setUniqueIds(uniqueIds);
            long now = System.currentTimeMillis();
            for (String name : diff.removed()) stop(name, now);
            for (String name : diff.changed()) stop(name, now);
            book.replace(connections, diff.unchanged());
            secrets = newSecrets;
            engine.replaceConnections(connections, newSecrets, now);
            for (String name : diff.added()) startPerAuto(book.connection(name));
            for (String name : diff.changed()) startPerAuto(book.connection(name));
            log.info("reloaded: added {}, removed {}, changed {}, unchanged {}", diff.added(), diff.removed(),
                    diff.changed(), diff.unchanged());
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("ok", true);
            response.putAll(diff.describe());
            return response;
        });
    }

    /**
     * Opens the sockets of the addresses the data plane does not have yet; returns null, or why one failed after
     * closing those it opened. An address stays open once a reload went through, also when a later one removes its
     * last connection: an SA of the removed connection may still wait there for the answer to its DELETE.
     */
    private String openLocals(List<InetAddress> wanted) {
        List<InetAddress> opened = new ArrayList<>();
        for (InetAddress a : wanted) {
            try {
                if (dataPlane.open(a)) opened.add(a);
            } catch (Exception e) {
                opened.forEach(dataPlane::close);
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                return "cannot open IKE and ESP sockets on local address " + a.getHostAddress() + ": " + e.getMessage();
            }
        }
        if (!opened.isEmpty()) {
            log.info("IKE also on {} ports {} and {}", hostAddresses(opened), settings.ikePort(),
                    settings.natTraversalPort());
        }
        return null;
    }

    private static Map<String, Object> notReloaded(String why) {
        log.warn("reload not done: {}; still running the previous configuration", why);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", false);
        response.put("error", why + "; still running the previous configuration");
        return response;
    }

    /** Closes a connection a reload removes or changes: DELETE, CHILD_SAs, routes and trap. Control thread. */
    private void stop(String name, long now) {
        closeToDown(name, now);
        traps.remove(name);
    }

    /** Closes the connection's SAs and makes sure its state ends DOWN. Control thread. */
    private void closeToDown(String name, long now) {
        engine.close(name, now);
        // a failed state with nothing left to close is not reported DOWN by the engine
        if (book.state(name) != TunnelState.DOWN) actions.stateChanged(name, TunnelState.DOWN, null);
    }

    /**
     * Starts IKE_SA_INIT to the connection's peer from the connection's own local address; on the control thread,
     * never inside an engine call. A peer given by name is looked up first, off this thread ({@link PeerResolver}):
     * true then means the lookup started, and its failure reports PHASE1_FAILED.
     */
    private boolean initiateNow(Connection c) {
        if (c.right().hostname().isPresent()) {
            resolver.resolve(c, answer -> resolved(c.name(), answer));
            return true;
        }
        Optional<InetAddress> peer = resolver.known(c);
        if (peer.isEmpty()) {
            log.warn("{}: cannot initiate without a peer address (right=%any can only wait for the peer)", c.name());
            return false;
        }
        InetAddress local = locals.get(c.name());
        if (local == null) {
            log.warn("{}: cannot initiate: no local address (no route to {}; set left= to this host's address)",
                    c.name(), peer.get().getHostAddress());
            return false;
        }
        initiate(c.name(), local, peer.get());
        return true;
    }

    private void initiate(String name, InetAddress local, InetAddress peer) {
        InetSocketAddress from = new InetSocketAddress(local, settings.ikePort());
        InetSocketAddress to = new InetSocketAddress(peer, settings.ikePort());
        engine.initiate(name, from, to, System.currentTimeMillis());
    }

    /** The answer for a peer name, on the control thread: initiate, or fail and (auto=start) ask again later. */
    private void resolved(String name, PeerResolver.Answer answer) {
        Connection c = book.find(name);
        if (c == null || c.right().hostname().isEmpty()) return; // a reload removed or changed it meanwhile
        // CONNECTING is also what an auto=start connection reports until its first message: not a reason to wait
        if (book.state(name) == TunnelState.CONNECTED) return;
        if (answer.address().isEmpty()) {
            lookupFailed(c, answer.error());
            return;
        }
        InetAddress peer = answer.address().get();
        InetAddress local = locals.get(name);
        if (local == null) {
            // left=%defaultroute (or unset) with a peer name unknown at start: the route to the answer decides
            local = LocalAddresses.of(c, x -> Optional.of(peer), routeSource(netlink)).orElse(null);
            String notOpened = local == null ? "no route to " + peer.getHostAddress() : openLocals(List.of(local));
            if (notOpened != null) {
                lookupFailed(c, "cannot initiate: " + notOpened);
                return;
            }
            locals.put(name, local);
        }
        lookupFailures.remove(name);
        initiate(name, local, peer);
    }

    private void lookupFailed(Connection c, String why) {
        actions.stateChanged(c.name(), TunnelState.PHASE1_FAILED, why);
        int failures = lookupFailures.merge(c.name(), 1, Integer::sum);
        boolean again = c.keyingTries() == 0 || failures < c.keyingTries();
        if (c.auto() != AutoAction.START || !again) {
            lookupFailures.remove(c.name());
            return;
        }
        control.schedule(IkeEngine.DEFAULT_KEYING_RETRY_INTERVAL, () -> {
            if (book.find(c.name()) == c) initiateNow(c);
        });
    }

    /** The tunnels of `status` (all, or the one named {@code only}); runs on the control thread. */
    Map<String, Object> ike() throws Exception {
        return control.call(this::ikeStatus);
    }

    List<Map<String, Object>> tunnels(String only) throws Exception {
        return control.call(() -> {
            List<Map<String, Object>> all = book.status(engine.saViews(), only, System.currentTimeMillis());
            for (Map<String, Object> t : all) traps.describe((String) t.get("name"), t);
            return all;
        });
    }

    /** The data path's drop counters by reason, as `status --json` names them; any thread. */
    Map<String, Object> dataPathDrops() {
        Map<String, Object> all = dataPlane.counters().snapshot();
        all.put("ike_queue_full", inbox.queueFull());
        all.put("ike_queue_full_known", inbox.knownQueueFull());
        try {
            IkeFloodCounters f = control.call(engine::floodCounters);
            all.put("ike_rate_limited", f.rateLimited() + inbox.rateLimited());
            all.put("ike_half_open_limit", f.halfOpenLimit());
            all.put("ike_blocked", f.blocked());
            all.put("ike_integrity", f.integrityFailures());
        } catch (Exception e) {
            // the control thread is gone or busy past the deadline: report what the readers count
        }
        return all;
    }

    /** The engine's flood counters and the hand-off queue, for `status --json` (its "ike" object). Control thread. */
    Map<String, Object> ikeStatus() {
        IkeFloodCounters f = engine.floodCounters();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("half_open", f.halfOpen());
        m.put("cookies_sent", f.cookiesSent());
        m.put("rate_limited", f.rateLimited() + inbox.rateLimited());
        m.put("half_open_limit", f.halfOpenLimit());
        m.put("blocked", f.blocked());
        m.put("decrypt_attempts", f.decryptAttempts());
        m.put("integrity_failures", f.integrityFailures());
        m.put("dropped", engine.droppedMessages());
        m.put("queue_waiting", inbox.waiting());
        m.put("queue_full", inbox.queueFull());
        m.put("queue_full_known", inbox.knownQueueFull());
        return m;
    }

    /** See {@link Gateway#up}. */
    Map<String, Object> up(String name) throws Exception {
        return control.call(() -> {
            Connection c = book.find(name);
            if (c == null) return Gateway.unknownConnection(name);
            TunnelState before = book.state(name);
            boolean already = before == TunnelState.CONNECTED || before == TunnelState.CONNECTING;
            if (!already && !initiateNow(c)) {
                return Gateway.usageError("cannot initiate " + name + ": " + (resolver.known(c).isEmpty()
                        ? "right=" + c.right().host() + " gives no peer address to send to"
                        : "no local address to send from: set left= to this host's address"));
            }
            return answer(name, already);
        });
    }

    /** See {@link Gateway#down}. */
    Map<String, Object> down(String name) throws Exception {
        return control.call(() -> {
            Connection c = book.find(name);
            if (c == null) return Gateway.unknownConnection(name);
            boolean already = book.state(name) == TunnelState.DOWN;
            closeToDown(name, System.currentTimeMillis());
            traps.closedLocally(c);
            return answer(name, already);
        });
    }

    boolean hasConnection(String name) throws Exception {
        return control.call(() -> book.find(name) != null);
    }

    private Map<String, Object> answer(String name, boolean already) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", true);
        response.put("name", name);
        response.put("state", book.state(name).name());
        response.put("already", already);
        response.put("trap", traps.trapped(name));
        return response;
    }

    /** The source address the kernel picks towards a peer, for the gateway's own (marked) datagrams. */
    private static Function<InetAddress, Optional<InetAddress>> routeSource(Netlink netlink) {
        return peer -> netlink.routeGet(peer, TransportRoutes.DEFAULT_FWMARK).map(RouteLookup::source);
    }

    private static String hostAddresses(List<InetAddress> addresses) {
        return String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList());
    }

    private static int outerMtu(List<Connection> connections, PeerResolver resolver, Netlink netlink) {
        for (Connection c : connections) {
            Optional<InetAddress> peer = resolver.known(c);
            if (peer.isPresent()) {
                int mtu = netlink.routeGet(peer.get()).map(RouteLookup::mtu).orElse(0);
                if (mtu > 0) return mtu;
            }
        }
        return DEFAULT_OUTER_MTU;
    }

    /**
     * Sends a DELETE for every IKE SA (RFC 7296 1.4.1) without waiting for answers, then stops the data plane.
     * The control loop and netlink socket are the {@link Gateway}'s to close, after this.
     */
    void close() {
        try {
            control.call(() -> {
                engine.closeAll(System.currentTimeMillis());
                return null;
            });
        } catch (Exception e) {
            log.warn("could not send DELETEs at shutdown: {}", e.getMessage());
        }
        actions.close(); // peer routes' rules would outlive the TUN
        updown.close(); // the down-client scripts of the DELETEs above get a moment
        dataPlane.close(); // pending DELETEs are flushed before the sockets close; routes go with the TUN
        resolver.close();
    }
}
