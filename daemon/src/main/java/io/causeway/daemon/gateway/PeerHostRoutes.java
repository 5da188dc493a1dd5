package io.causeway.daemon.gateway;

import io.causeway.conf.net.Subnet;
import io.causeway.daemon.dataplane.TransportRoutes;
import io.causeway.ike.sa.ChildSaInstall;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route of a CHILD_SA whose remote selector is the peer's own address: every transport-mode SA, and a
 * host-to-host tunnel-mode one (what strongSwan leaves when a transport request is declined). A main-table route
 * to that address through the TUN would loop the gateway's own IKE and ESP to the peer back into the TUN, so the
 * address goes through {@link TransportRoutes} (a table of its own behind a {@code not fwmark} rule) instead.
 *
 * <p>One {@link TransportRoutes} user per installed SA: the route stays while any SA to that peer is installed
 * (make-before-break rekeys overlap) and goes with the last one; {@link #close} removes whatever is left at
 * shutdown, the rule included, which the kernel would otherwise keep after the TUN device is gone. A route that
 * cannot be added is logged and the SA stays installed, as {@link RouteTable} does with tunnel routes.
 */
final class PeerHostRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerHostRoutes.class);

    /** Where the routes go; {@link TransportRoutes} in the gateway. */
    interface Routing {
        void add(InetAddress local, InetAddress peer);

        void remove(InetAddress peer);

        void close();
    }

    private final Routing routing;
    private final Map<Integer, InetAddress> byInboundSpi = new HashMap<>();
    private boolean closed;

    PeerHostRoutes(Routing routing) {
        this.routing = routing;
    }

    static PeerHostRoutes through(TransportRoutes routes) {
        return new PeerHostRoutes(new Routing() {
            @Override
            public void add(InetAddress local, InetAddress peer) {
                routes.add(local, peer);
            }

            @Override
            public void remove(InetAddress peer) {
                routes.remove(peer);
            }

            @Override
            public void close() {
                routes.close();
            }
        });
    }

    /** Whether the subnet is exactly the peer's own address (a host prefix; protocol and ports do not matter to routes). */
    static boolean isPeerHost(Subnet s, InetAddress peer) {
        int hostBits = peer instanceof Inet6Address ? 128 : 32;
        return s.prefixLength() == hostBits && s.address().equals(peer);
    }

    /** The remote selectors that are not the peer's own address: those tunnel mode routes in the main table. */
    static List<Subnet> otherThanPeer(ChildSaInstall c) {
        InetAddress peer = c.peer().getAddress();
        return c.remoteSelectors().stream().filter(s -> !isPeerHost(s, peer)).toList();
    }

    /** Routes the peer's address into the TUN for this SA if its remote selectors name it. */
    synchronized void installed(ChildSaInstall c) {
        InetAddress peer = c.peer().getAddress();
        if (closed || byInboundSpi.containsKey(c.inboundSpi())
                || c.remoteSelectors().stream().noneMatch(s -> isPeerHost(s, peer))) {
            return;
        }
        try {
            routing.add(c.local().getAddress(), peer);
        } catch (RuntimeException e) {
            log.warn("{}: route to {} through the TUN not added: {}", c.connection(), peer.getHostAddress(),
                    e.getMessage());
            return;
        }
        byInboundSpi.put(c.inboundSpi(), peer);
    }

    /** This SA is out of the data plane: the last one to its peer takes the route (and the family's rule) along. */
    synchronized void removed(int inboundSpi) {
        InetAddress peer = byInboundSpi.remove(inboundSpi);
        if (peer == null) {
            return;
        }
        try {
            routing.remove(peer);
        } catch (RuntimeException e) {
            log.warn("route to {} through the TUN not removed: {}", peer.getHostAddress(), e.getMessage());
        }
    }

    /** Whether an SA of the peer's address is routed; for status and tests. */
    synchronized boolean routes(InetAddress peer) {
        return byInboundSpi.containsValue(peer);
    }

    /** Removes every route and rule left; nothing is added afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        byInboundSpi.clear();
        routing.close();
    }
}
