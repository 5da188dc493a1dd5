package io.causeway.daemon.gateway;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.TunnelState;
import io.causeway.ike.sa.ChildSaTimes;
import io.causeway.ike.sa.IkeSaView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the CLI shows per connection: its state, last error, CHILD_SAs and routes it could not
 * install. Touched only on the control thread.
 */
final class TunnelBook {
    private static final class Entry {
        final Connection connection;
        TunnelState state;
        String lastError;
        final List<InstalledChild> children = new ArrayList<>();
        final List<Subnet> routesTaken = new ArrayList<>();

        Entry(Connection connection) {
            this.connection = connection;
            this.state = connection.auto() == AutoAction.START ? TunnelState.CONNECTING : TunnelState.DOWN;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    TunnelBook(List<Connection> connections) {
        for (Connection c : connections) entries.put(c.name(), new Entry(c));
    }

    /** The connections in configuration order. */
    List<Connection> connections() {
        return entries.values().stream().map(e -> e.connection).toList();
    }

    /**
     * A reloaded configuration: the entries of {@code keep} stay as they are (state, CHILD_SAs, errors), every other
     * connection starts afresh, the ones left out are forgotten (closed by the caller before).
     */
    void replace(List<Connection> connections, Collection<String> keep) {
        Map<String, Entry> previous = new LinkedHashMap<>(entries);
        entries.clear();
        for (Connection c : connections) {
            Entry kept = keep.contains(c.name()) ? previous.get(c.name()) : null;
            entries.put(c.name(), kept != null ? kept : new Entry(c));
        }
    }

    Connection connection(String name) {
        return entries.get(name).connection;
    }

    /** The connection of that name, or null when the configuration has none . */
    Connection find(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.connection;
    }

    TunnelState state(String name) {
        return entries.get(name).state;
    }

    /** Remote subnets a trap could not route through the TUN because the host routes them elsewhere. */
    void routesTaken(String name, List<Subnet> taken) {
        Entry e = entries.get(name);
        e.routesTaken.clear();
        e.routesTaken.addAll(taken);
    }

    void state(String name, TunnelState state, String lastError) {
        Entry e = entries.get(name);
        if (e == null) return;
        e.state = state;
        if (lastError != null) e.lastError = lastError;
        if (state == TunnelState.CONNECTED) e.lastError = null;
    }

    void childInstalled(InstalledChild child, List<Subnet> routesTaken) {
        Entry e = entries.get(child.negotiated().connection());
        e.children.add(child);
        e.routesTaken.clear();
        e.routesTaken.addAll(routesTaken);
    }

    InstalledChild childRemoved(int inboundSpi) {
        for (Entry e : entries.values()) {
            for (InstalledChild c : e.children) {
                if (c.in().spi() == inboundSpi) {
                    e.children.remove(c);
                    return c;
                }
            }
        }
        return null;
    }

    InstalledChild child(int inboundSpi) {
        for (Entry e : entries.values()) {
            for (InstalledChild c : e.children) if (c.in().spi() == inboundSpi) return c;
        }
        return null;
    }

    List<InstalledChild> children(String name) {
        return entries.get(name).children;
    }

    /** The tunnels in the shape of `status --json` (DESIGN.md). */
    List<Map<String, Object>> status(Iterable<IkeSaView> sessions, String only, long now) {
        List<Map<String, Object>> tunnels = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (only != null && !only.equals(e.connection.name())) continue;
            IkeSaView session = newestSession(sessions, e.connection.name());
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", e.connection.name());
            t.put("state", e.state.name());
            t.put("version", session != null ? "IKEv" + session.ikeVersion() : "IKEv" + e.connection.ikeVersion());
            t.put("local", session != null ? session.localAddress().getAddress().getHostAddress() : e.connection.left().host());
            t.put("remote", session != null ? session.remoteAddress().getAddress().getHostAddress() : e.connection.right().host());
            t.put("local_id", e.connection.left().id().value());
            t.put("remote_id", e.connection.right().id().value());
            t.put("local_subnets", subnets(e.connection.left().subnets()));
            t.put("remote_subnets", subnets(e.connection.right().subnets()));
            t.put("ike", session == null ? null : ike(session, e.connection.name(), now));
            t.put("ike_sas", liveSessions(sessions, e.connection.name()));
            List<Map<String, Object>> children = new ArrayList<>();
            for (InstalledChild c : e.children) children.add(child(c, sessions, now));
            t.put("children", children);
            t.put("last_error", e.lastError);
            if (!e.routesTaken.isEmpty()) {
                t.put("routes_not_installed", e.routesTaken.stream().map(Subnet::toString).toList());
            }
            tunnels.add(t);
        }
        return tunnels;
    }

    private static IkeSaView newestSession(Iterable<IkeSaView> sessions, String name) {
        IkeSaView found = null;
        for (IkeSaView s : sessions) {
            // a session replaced by an IKE SA rekey only waits for its DELETE: show the new one
            if (!s.closed() && !s.rekeyed() && s.connection() != null && s.carries(name)) found = s;
        }
        return found;
    }

    /**
     * How many IKE SAs carry the tunnel and are not replaced: 1 while it is up, briefly 2 while a re-authentication
     * (IKEv1) or an IKE SA rekey collision has not settled. More for long is an SA that was not cleaned up.
     */
    private static int liveSessions(Iterable<IkeSaView> sessions, String name) {
        int n = 0;
        for (IkeSaView s : sessions) {
            if (!s.closed() && !s.rekeyed() && s.connection() != null && s.carries(name)) n++;
        }
        return n;
    }

    private static List<String> subnets(List<Subnet> subnets) {
        return subnets.stream().map(Subnet::toString).toList();
    }

    private static Map<String, Object> ike(IkeSaView s, String name, long now) {
        Map<String, Object> ike = new LinkedHashMap<>();
        ike.put("spi_i", String.format("%016x", s.initiatorSpi()));
        ike.put("spi_r", String.format("%016x", s.responderSpi()));
        ike.put("proposal", s.ikeProposal().map(Object::toString).orElse(null));
        ike.put("established_s", SaClock.secondsSince(s.establishedAt(), now));
        ike.put("rekey_in_s", SaClock.secondsUntil(s.ikeRekeyAt(), now));
        ike.put("nat", s.natDetected());
        ike.put("initiator", s.isInitiator());
        // the other connections whose CHILD_SAs this IKE SA carries (strongSwan's children of one connection)
        ike.put("shared_with", s.carriedConnections().stream().filter(n -> !n.equals(name)).toList());
        return ike;
    }

    private static Map<String, Object> child(InstalledChild c, Iterable<IkeSaView> sessions, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.negotiated().connection());
        m.put("local_ts", c.negotiated().localSelectors().stream().map(Subnet::toString).toList());
        m.put("remote_ts", c.negotiated().remoteSelectors().stream().map(Subnet::toString).toList());
        m.put("spi_in", EngineActions.hex(c.in().spi()));
        m.put("spi_out", EngineActions.hex(c.out().spi()));
        m.put("proposal", c.negotiated().suite().name() + (c.negotiated().esn() ? "-esn" : ""));
        m.put("mode", c.negotiated().mode().name().toLowerCase());
        m.put("encap", c.negotiated().udpEncapsulation());
        m.put("bytes_in", c.in().counters().bytesIn());
        m.put("bytes_out", c.out().counters().bytesOut());
        m.put("packets_in", c.in().counters().packetsIn());
        m.put("packets_out", c.out().counters().packetsOut());
        m.put("installed_s", (now - c.installedAtMillis()) / 1000);
        Optional<ChildSaTimes> times = SaClock.childTimes(sessions, c.in().spi());
        m.put("rekey_in_s", times.map(t -> SaClock.secondsUntil(t.rekeyAt(), now)).orElse(null));
        m.put("expires_in_s", times.map(t -> SaClock.secondsUntil(t.expireAt(), now)).orElse(null));
        return m;
    }
}
