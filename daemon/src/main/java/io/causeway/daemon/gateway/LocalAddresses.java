package io.causeway.daemon.gateway;

import io.causeway.conf.connection.Connection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which local address each connection's IKE and ESP use, so the data plane can bind exactly those: its left= when
 * that is an address; otherwise (%defaultroute, %any, a host name) the source the kernel picks for the route to its
 * peer, as charon does for an unspecified local address. A connection with neither (left=%any, right=%any) has
 * none: it only answers, on whichever address the peer reaches.
 */
final class LocalAddresses {
    private LocalAddresses() {
    }

    /** The local address of each connection that has one, by name, in configuration order. */
    static Map<String, InetAddress> of(List<Connection> connections, Function<Connection, Optional<InetAddress>> peer,
                                       Function<InetAddress, Optional<InetAddress>> routeSource) {
        Map<String, InetAddress> out = new LinkedHashMap<>();
        for (Connection c : connections) of(c, peer, routeSource).ifPresent(a -> out.put(c.name(), a));
        return out;
    }

    /** {@code peer} gives the peer's address if it is known now (a name may not be resolved yet). */
    static Optional<InetAddress> of(Connection c, Function<Connection, Optional<InetAddress>> peer,
                                    Function<InetAddress, Optional<InetAddress>> routeSource) {
        if (c.left().address().isPresent() && !c.left().anyAddress()) return c.left().address();
        return peer.apply(c).flatMap(routeSource);
    }

    /**
     * The distinct addresses, in the order connections name them; the first is the one a single-address daemon
     * used (the first left, else the first route source), so that case binds what it always bound first.
     */
    static List<InetAddress> distinct(List<Connection> connections, Map<String, InetAddress> byName) {
        LinkedHashSet<InetAddress> lefts = new LinkedHashSet<>();
        LinkedHashSet<InetAddress> routed = new LinkedHashSet<>();
        for (Connection c : connections) {
            InetAddress a = byName.get(c.name());
            if (a == null) continue;
            if (c.left().address().isPresent() && !c.left().anyAddress()) lefts.add(a);
            else routed.add(a);
        }
        List<InetAddress> out = new ArrayList<>(lefts);
        for (InetAddress a : routed) if (!lefts.contains(a)) out.add(a);
        return out;
    }
}
