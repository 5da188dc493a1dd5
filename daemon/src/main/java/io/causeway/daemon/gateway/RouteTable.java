package io.causeway.daemon.gateway;

import io.causeway.conf.net.Subnet;
import io.causeway.tun.OsException;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.netlink.Route;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes to the remote subnets through the TUN device while a tunnel is up. A prefix the host
 * already routes elsewhere is left alone (never clobbered) and reported instead.
 */
final class RouteTable {
    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    private final Netlink netlink;
    private final String device;
    private final Map<String, List<Subnet>> ours = new HashMap<>();

    RouteTable(Netlink netlink, String device) {
        this.netlink = netlink;
        this.device = device;
    }

    /** Adds the routes a connection needs; returns the prefixes that were already routed elsewhere. */
    List<Subnet> add(String connection, List<Subnet> remote) {
        List<Subnet> added = ours.computeIfAbsent(connection, k -> new ArrayList<>());
        List<Subnet> taken = new ArrayList<>();
        int tun = netlink.linkIndex(device);
        for (Subnet s : remote) {
            if (added.contains(s)) continue;
            Route existing = existing(s);
            if (existing != null && existing.ifindex() != tun) {
                taken.add(s);
                continue;
            }
            if (existing == null) {
                try {
                    netlink.addRoute(s.address(), s.prefixLength(), device, null, 0);
                } catch (OsException e) {
                    log.warn("route {} via {} not added: {}", s, device, e.getMessage());
                    continue;
                }
            }
            added.add(s);
        }
        return taken;
    }

    void remove(String connection) {
        List<Subnet> mine = ours.remove(connection);
        for (Subnet s : mine == null ? List.<Subnet>of() : mine) {
            // two connections may route one prefix (seed 003: two local ranges to one peer range); the last one removes it
            if (ours.values().stream().anyMatch(other -> other.contains(s))) continue;
            try {
                netlink.deleteRoute(s.address(), s.prefixLength(), device);
            } catch (OsException e) {
                log.debug("route {} already gone: {}", s, e.getMessage());
            }
        }
    }

    private Route existing(Subnet s) {
        int family = s.address() instanceof Inet6Address ? Netlink.AF_INET6 : Netlink.AF_INET;
        for (Route r : netlink.routes(family)) {
            if (r.prefixLen() == s.prefixLength() && r.dst() != null && r.dst().equals(s.address())) return r;
        }
        return null;
    }
}
