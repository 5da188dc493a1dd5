package io.causeway.daemon.dataplane;

import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.netlink.MarkRule;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.netlink.NetlinkException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * Routes a transport-mode peer's own address into the TUN without looping the gateway's ESP and
  * IKE, which go to that same address, back into it. As wg-quick does: the data plane marks its
  * own sockets ({@link DataPlane.Settings#fwmark}); the peer's host route sits in a table of its
  * own, and a rule {@code not fwmark MARK lookup TABLE} sends every unmarked packet through that
  * table first. Ordinary traffic to the peer finds the TUN there; the marked datagrams skip the
  * table and take the main one out of the real interface; anything the table has no route for
  * falls through to the main table as before.
  *
  * <p>One rule per address family, while the family has a peer; host routes are counted, so two
  * SAs to one peer (a rekey) share one route. {@link #close} removes what is left. The kernel
  * removes the routes itself with the TUN device; the rules it would keep.
  *
  * <p>Reverse path filtering in strict mode on the outer interface would drop the peer's
  * packets (the reverse route of an unmarked packet from the peer is the TUN); loose mode, or
  * none, is needed there, as for wg-quick without its conntrack rules.
  */
public final class TransportRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransportRoutes.class);

    /** Mark of the gateway's own sockets: 4500, the NAT-T port, in the way wg-quick uses its port 51820. */
    public static final int DEFAULT_FWMARK = 4500;
    public static final int DEFAULT_TABLE = 4500;
    /** Before the main table's rule (32766), after the local table's (0). */
    public static final int DEFAULT_PRIORITY = 32765;

    /** The gateway's one long-lived rtnetlink socket; its owner closes it. */
    private final Netlink netlink;
    private final String tun;
    private final int fwmark;
    private final int table;
    private final int priority;
    private final Map<InetAddress, Integer> routeUsers = new LinkedHashMap<>();
    private final Map<Integer, MarkRule> rules = new LinkedHashMap<>();

    public TransportRoutes(Netlink netlink, String tun, int fwmark, int table) {
        this(netlink, tun, fwmark, table, DEFAULT_PRIORITY);
    }

    public TransportRoutes(Netlink netlink, String tun, int fwmark, int table, int priority) {
        if (fwmark == 0) {
            throw new IllegalArgumentException("transport mode needs a non-zero fwmark on the gateway's sockets");
        }
        this.netlink = netlink;
        this.tun = tun;
        this.fwmark = fwmark;
        this.table = table;
        this.priority = priority;
    }

    /**
      * Routes ordinary traffic to {@code peer} into the TUN, from {@code local} (the route's
      * preferred source: the TUN has no address, and the SA's selectors name {@code local}).
      */
    public synchronized void add(InetAddress local, InetAddress peer) {
        Integer users = routeUsers.get(peer);
        if (users != null) {
            routeUsers.put(peer, users + 1);
            return;
        }
        int family = family(peer);
        if (!rules.containsKey(family)) {
            MarkRule rule = new MarkRule(family, priority, fwmark, true, table);
            try {
                netlink.addRule(rule);
            } catch (NetlinkException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
                // left by a run that was killed: take it over, so this run removes it
                log.info("{} already present, taken over", rule);
            }
            rules.put(family, rule);
        }
        try {
            netlink.addRoute(peer, hostPrefix(peer), tun, local, 0, table);
        } catch (NetlinkException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
        routeUsers.put(peer, 1);
        log.info("transport mode: traffic to {} goes through {} (table {}, sockets marked 0x{})",
                peer.getHostAddress(), tun, Integer.toUnsignedString(table), Integer.toHexString(fwmark));
    }

    /** Undoes one {@link #add} for {@code peer}; the last one removes the route (and the family's rule). */
    public synchronized void remove(InetAddress peer) {
        Integer users = routeUsers.get(peer);
        if (users == null) {
            return;
        }
        if (users > 1) {
            routeUsers.put(peer, users - 1);
            return;
        }
        routeUsers.remove(peer);
        deleteRoute(peer);
        int family = family(peer);
        if (routeUsers.keySet().stream().noneMatch(p -> family(p) == family)) {
            deleteRule(rules.remove(family));
        }
    }

    /** Removes every route and rule this instance added; failures are logged, not thrown. */
    @Override
    public synchronized void close() {
        try {
            for (InetAddress peer : routeUsers.keySet()) {
                deleteRoute(peer);
            }
            for (MarkRule rule : rules.values()) {
                deleteRule(rule);
            }
        } catch (RuntimeException e) {
            log.warn("transport routes not all removed: {}", e.getMessage());
        }
        routeUsers.clear();
        rules.clear();
    }

    private void deleteRoute(InetAddress peer) {
        try {
            netlink.deleteRoute(peer, hostPrefix(peer), tun, table);
        } catch (NetlinkException e) {
            // ESRCH / ENODEV: gone already, e.g. with the TUN device
            if (e.errno() != Errno.ESRCH && e.errno() != Errno.ENODEV) {
                log.warn("{}", e.getMessage());
            }
        }
    }

    private void deleteRule(MarkRule rule) {
        if (rule == null) {
            return;
        }
        try {
            netlink.deleteRule(rule);
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENOENT) {
                log.warn("{}", e.getMessage());
            }
        }
    }

    private static int family(InetAddress address) {
        return address instanceof Inet6Address ? Netlink.AF_INET6 : Netlink.AF_INET;
    }

    private static int hostPrefix(InetAddress address) {
        return address instanceof Inet6Address ? 128 : 32;
    }
}
