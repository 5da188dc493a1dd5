package io.causeway.daemon.gateway;

import io.causeway.conf.Config;
import io.causeway.conf.LoadResult;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.secrets.Secrets;
import io.causeway.daemon.dataplane.DataPathCounters;
import io.causeway.daemon.metrics.TunnelEvents;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.sa.IkeEngine;
import io.causeway.ike.sa.UniqueIds;
import io.causeway.tun.netlink.Netlink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: configuration, data plane, IKE engine and control thread wired together.
 * IKE datagrams and timers reach the engine only through the control loop. The control loop runs from the start;
 * data plane and engine ({@link ActiveGateway}) from the first configuration with a connection to run.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /**
     * Where the gateway listens, which device it creates, when IKE requests are retransmitted
     * (strongSwan's schedule unless a test needs dead peers found in seconds), and the engine's
     * cookie threshold and IKE fragment size (strongSwan's charon.cookie_threshold and fragment_size).
     */
    public record Settings(String tun, int workers, int ikePort, int natTraversalPort, RetransmitSchedule retransmit,
                           int cookieThreshold, int fragmentSize, FloodLimits flood) {
        public Settings(String tun, int workers, int ikePort, int natTraversalPort, RetransmitSchedule retransmit,
                        int cookieThreshold, int fragmentSize) {
            this(tun, workers, ikePort, natTraversalPort, retransmit, cookieThreshold, fragmentSize,
                    FloodLimits.DEFAULTS);
        }

        public Settings(String tun, int workers, int ikePort, int natTraversalPort) {
            this(tun, workers, ikePort, natTraversalPort, RetransmitSchedule.STRONGSWAN);
        }

        public Settings(String tun, int workers, int ikePort, int natTraversalPort, RetransmitSchedule retransmit) {
            this(tun, workers, ikePort, natTraversalPort, retransmit, IkeEngine.DEFAULT_COOKIE_THRESHOLD,
                    IkeEngine.DEFAULT_FRAGMENT_SIZE);
        }

        public static Settings defaults() {
            return new Settings("cw0", Math.max(1, Runtime.getRuntime().availableProcessors()), 500, 4500);
        }

        public Settings withRetransmit(RetransmitSchedule schedule) {
            return new Settings(tun, workers, ikePort, natTraversalPort, schedule, cookieThreshold, fragmentSize, flood);
        }
    }

    /**
     * strongSwan's charon.init_limit_half_open and block_threshold, and the per-source IKE_SA_INIT rate; 0 turns
     * each off. See {@link IkeEngine#setInitLimitHalfOpen}.
     */
    public record FloodLimits(int initLimitHalfOpen, int blockThreshold, int initRatePerSource) {
        public static final FloodLimits DEFAULTS = new FloodLimits(IkeEngine.DEFAULT_INIT_LIMIT_HALF_OPEN,
                IkeEngine.DEFAULT_BLOCK_THRESHOLD, IkeEngine.DEFAULT_INIT_RATE_PER_SOURCE);
    }

    private final Settings settings;
    private final TunnelEvents events;
    private final ControlLoop control;
    private final Netlink netlink;
    /** Null while the configuration has no connection to run: no data plane, no engine yet. */
    private volatile ActiveGateway active;

    private Gateway(Settings settings, TunnelEvents events, ControlLoop control, Netlink netlink, ActiveGateway active) {
        this.settings = settings;
        this.events = events;
        this.control = control;
        this.netlink = netlink;
        this.active = active;
    }

    /** The connections a gateway runs: every one but auto=ignore, IKEv1 and IKEv2 alike. */
    private static List<Connection> runnable(Config config) {
        return config.activeConnections();
    }

    public static Gateway start(Config config, Settings settings) throws Exception {
        return start(config, settings, TunnelEvents.NONE);
    }

    /**
     * Starts the gateway reporting to {@code events} (the metrics) from its first message on. Without a connection
     * to run it starts waiting, like charon: the data plane needs the connections' local addresses, so it starts
     * with the first reload that brings connections.
     */
    public static Gateway start(Config config, Settings settings, TunnelEvents events) throws Exception {
        List<Connection> connections = runnable(config);
        Netlink netlink = Netlink.open();
        ControlLoop control = new ControlLoop();
        try {
            ActiveGateway active = null;
            if (connections.isEmpty()) {
                log.info("{}; waiting for connections: add them to the configuration and run `causeway reload`"
                        + " (or send SIGHUP)", noConnections(config));
            } else {
                active = ActiveGateway.start(connections, config.secrets(), uniqueIds(config), settings, events, control,
                        netlink);
            }
            return new Gateway(settings, events, control, netlink, active);
        } catch (Exception e) {
            control.close();
            netlink.close();
            throw e;
        }
    }

    /** config setup's uniqueids, which the engine applies to IKE SAs established from then on. */
    private static UniqueIds uniqueIds(Config config) {
        return UniqueIds.of(config.setup().uniqueIds());
    }

    private static String noConnections(Config config) {
        int skipped = config.connections().size();
        return skipped == 0 ? "no connection configured"
                : "no connection to run (" + skipped + " configured, each auto=ignore)";
    }

    /**
     * `reload` and SIGHUP: a configuration that does not load changes nothing and is answered with every error.
     * Otherwise, by connection name: removed ones are closed (DELETE sent, CHILD_SAs, routes and traps removed),
     * changed ones closed and started again per auto, added ones started per auto; unchanged ones keep their SAs,
     * SPIs and counters. New negotiations use the new secrets. The answer lists the names in each group.
     * The first reload with connections after a start without any starts the data plane; it then stays
     * (bound to the local addresses it opened) until the daemon stops, even if a later reload removes every connection.
     */
    public synchronized Map<String, Object> reload(LoadResult loaded) throws Exception {
        if (!loaded.ok()) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("ok", false);
            response.put("error", "configuration not loaded (" + loaded.errors().size()
                    + " error(s)); still running the previous one");
            response.put("errors", loaded.errors().stream().map(Object::toString).toList());
            response.put("config_error", true);
            return response;
        }
        List<Connection> connections = runnable(loaded.config());
        Secrets secrets = loaded.config().secrets();
        if (active != null) return active.reload(connections, secrets, uniqueIds(loaded.config()));
        if (connections.isEmpty()) {
            log.info("reloaded: {}; still waiting for connections", noConnections(loaded.config()));
        } else {
            try {
                active = ActiveGateway.start(connections, secrets, uniqueIds(loaded.config()), settings, events,
                        control, netlink);
            } catch (Exception e) {
                throw new Exception("cannot start the first connections (still waiting for connections): "
                        + e.getMessage(), e);
            }
            log.info("reloaded: added {}, removed [], changed [], unchanged []", names(connections));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", true);
        response.put("added", names(connections));
        response.put("removed", List.of());
        response.put("changed", List.of());
        response.put("unchanged", List.of());
        return response;
    }

    private static List<String> names(List<Connection> connections) {
        return connections.stream().map(Connection::name).toList();
    }

    /** `status` over the control socket; runs on the control thread. */
    public Map<String, Object> status(String only) throws Exception {
        ActiveGateway running = active;
        List<Map<String, Object>> tunnels = running == null ? List.of() : running.tunnels(only);
        Map<String, Object> response = new LinkedHashMap<>();
        if (only != null && tunnels.isEmpty()) {
            return unknownConnection(only);
        }
        response.put("ok", true);
        response.put("tunnels", tunnels);
        if (only == null && running != null) response.put("ike", running.ike());
        return response;
    }

    /** The data path's drop counters by reason, as `status --json` names them (all zero before it runs); any thread. */
    public Map<String, Object> dataPathDrops() {
        ActiveGateway running = active;
        return running == null ? new DataPathCounters().snapshot() : running.dataPathDrops();
    }

    /**
     * `up NAME`: starts negotiating unless the connection is connected or being negotiated already
     * (a second IKE SA would only replace the first). Answers at once with the state; the CLI polls
     * status for the outcome, so the control socket is never held while IKE runs.
     */
    public Map<String, Object> up(String name) throws Exception {
        ActiveGateway running = active;
        return running == null ? unknownConnection(name) : running.up(name);
    }

    /**
     * `down NAME`: sends the DELETE of its IKE SA (RFC 7296 1.4.1), removes its CHILD_SA at once,
     * abandons a negotiation and cancels a pending keying retry. An auto=route trap stays.
     */
    public Map<String, Object> down(String name) throws Exception {
        ActiveGateway running = active;
        return running == null ? unknownConnection(name) : running.down(name);
    }

    /** Whether the running configuration has a connection of that name (for `log-level LEVEL NAME`). */
    public boolean hasConnection(String name) throws Exception {
        ActiveGateway running = active;
        return running != null && running.hasConnection(name);
    }

    static Map<String, Object> unknownConnection(String name) {
        return usageError("no connection named " + name);
    }

    /** An answer the CLI turns into exit code 1: the request names something the configuration does not have. */
    static Map<String, Object> usageError(String error) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", false);
        response.put("error", error);
        response.put("usage_error", true);
        return response;
    }

    /** Sends a DELETE for every IKE SA (RFC 7296 1.4.1) without waiting for answers, then stops. */
    @Override
    public synchronized void close() {
        if (active != null) active.close();
        control.close();
        netlink.close();
    }
}
