package io.causeway.tun.netlink;

import io.causeway.tun.nativeio.Errno;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Links, addresses and routes through rtnetlink (no {@code ip} processes). Works in the network
 * namespace of the thread that called {@link #open()}. Methods are synchronized: one request
 * at a time per instance.
 */
public final class Netlink implements AutoCloseable {
    private final NetlinkSocket socket;

    private Netlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static Netlink open() {
        return new Netlink(NetlinkSocket.open());
    }

    /** The interface index of {@code ifname}. */
    public synchronized int linkIndex(String ifname) {
        return link(ifname, 0).getInt(4);
    }

    /** The MTU of {@code ifname}. */
    public synchronized int mtu(String ifname) {
        return linkMtu(link(ifname, 0));
    }

    /** Sets the link administratively up (ip link set IFNAME up). */
    public synchronized void setLinkUp(String ifname) {
        int seq = socket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq)
                .ifinfomsg(Rtnl.AF_UNSPEC, 0, Rtnl.IFF_UP, Rtnl.IFF_UP)
                .attrString(Rtnl.IFLA_IFNAME, ifname)
                .build();
        socket.transact(request, seq, "set link " + ifname + " up");
    }

    public synchronized void setMtu(String ifname, int mtu) {
        int seq = socket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq)
                .ifinfomsg(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attrString(Rtnl.IFLA_IFNAME, ifname)
                .attrInt(Rtnl.IFLA_MTU, mtu)
                .build();
        socket.transact(request, seq, "set mtu " + mtu + " dev " + ifname);
    }

    /**
     * Adds {@code addr/prefixLen} to {@code ifname} (with its prefix route). IPv6 addresses are
     * added with IFA_F_NODAD: on a point-to-point TUN there is no one to collide with, and
     * duplicate address detection would leave the address "tentative", unusable as a source,
     * for a second or more.
     */
    public synchronized void addAddress(String ifname, InetAddress addr, int prefixLen) {
        String what = "add address " + addr.getHostAddress() + "/" + prefixLen + " dev " + ifname;
        int family = family(addr);
        checkPrefix(family, prefixLen, what);
        int index = linkIndexFor(ifname, what);
        int flags = family == Rtnl.AF_INET6 ? Rtnl.IFA_F_NODAD : 0;
        int seq = socket.nextSeq();
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWADDR,
                Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, seq)
                .ifaddrmsg(family, prefixLen, flags, Rtnl.RT_SCOPE_UNIVERSE, index)
                .attr(Rtnl.IFA_LOCAL, addr.getAddress())
                // On a point-to-point link IFA_ADDRESS is the peer; equal to IFA_LOCAL it means
                // "no peer", which gives the usual prefix route, as `ip addr add` does.
                .attr(Rtnl.IFA_ADDRESS, addr.getAddress());
        if (flags != 0) {
            b.attrInt(Rtnl.IFA_FLAGS, flags);
        }
        socket.transact(b.build(), seq, what);
    }

    /**
     * Adds a device route in the main table (scope link, protocol static).
     *
     * @param preferredSourceOrNull the source address for locally originated packets, or null
     * @param mtuOrZero a route MTU (e.g. the tunnel's inner MTU), or 0 for the link's
     */
    public synchronized void addRoute(InetAddress dst, int prefixLen, String ifname,
            InetAddress preferredSourceOrNull, int mtuOrZero) {
        addRoute(dst, prefixLen, ifname, preferredSourceOrNull, mtuOrZero, Rtnl.RT_TABLE_MAIN);
    }

    /** Adds a device route, as {@link #addRoute(InetAddress, int, String, InetAddress, int)}, in {@code table}. */
    public synchronized void addRoute(InetAddress dst, int prefixLen, String ifname,
            InetAddress preferredSourceOrNull, int mtuOrZero, int table) {
        String what = "add route " + dst.getHostAddress() + "/" + prefixLen + " dev " + ifname + tableSuffix(table);
        int family = family(dst);
        checkPrefix(family, prefixLen, what);
        if (preferredSourceOrNull != null && family(preferredSourceOrNull) != family) {
            throw new IllegalArgumentException(what + ": source " + preferredSourceOrNull.getHostAddress()
                    + " is not of the destination's address family");
        }
        int index = linkIndexFor(ifname, what);
        int seq = socket.nextSeq();
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWROUTE,
                Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, seq)
                .rtmsg(family, prefixLen, headerTable(table), Rtnl.RTPROT_STATIC, Rtnl.RT_SCOPE_LINK, Rtnl.RTN_UNICAST)
                .attrInt(Rtnl.RTA_TABLE, table)
                .attr(Rtnl.RTA_DST, dst.getAddress())
                .attrInt(Rtnl.RTA_OIF, index);
        if (preferredSourceOrNull != null) {
            b.attr(Rtnl.RTA_PREFSRC, preferredSourceOrNull.getAddress());
        }
        if (mtuOrZero > 0) {
            b.beginNested(Rtnl.RTA_METRICS).attrInt(Rtnl.RTAX_MTU, mtuOrZero).endNested();
        }
        socket.transact(b.build(), seq, what);
    }

    /** Deletes the main-table route {@code dst/prefixLen} via {@code ifname}. */
    public synchronized void deleteRoute(InetAddress dst, int prefixLen, String ifname) {
        deleteRoute(dst, prefixLen, ifname, Rtnl.RT_TABLE_MAIN);
    }

    /** Deletes the route {@code dst/prefixLen} via {@code ifname} from {@code table}. */
    public synchronized void deleteRoute(InetAddress dst, int prefixLen, String ifname, int table) {
        String what = "delete route " + dst.getHostAddress() + "/" + prefixLen + " dev " + ifname + tableSuffix(table);
        int family = family(dst);
        checkPrefix(family, prefixLen, what);
        int index = linkIndexFor(ifname, what);
        int seq = socket.nextSeq();
        // Scope NOWHERE, protocol and type 0: match the route whatever they are (as `ip route del`).
        byte[] request = new NetlinkMessageBuilder(Rtnl.RTM_DELROUTE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq)
                .rtmsg(family, prefixLen, headerTable(table), 0, Rtnl.RT_SCOPE_NOWHERE, 0)
                .attrInt(Rtnl.RTA_TABLE, table)
                .attr(Rtnl.RTA_DST, dst.getAddress())
                .attrInt(Rtnl.RTA_OIF, index)
                .build();
        socket.transact(request, seq, what);
    }

    /** Adds a mark rule (RTM_NEWRULE); an identical rule already there is an error (EEXIST). */
    public synchronized void addRule(MarkRule rule) {
        ruleRequest(Rtnl.RTM_NEWRULE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL,
                rule, "add " + rule);
    }

    /** Deletes the rule equal to {@code rule} (RTM_DELRULE); none there is an error (ENOENT). */
    public synchronized void deleteRule(MarkRule rule) {
        ruleRequest(Rtnl.RTM_DELRULE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, rule, "delete " + rule);
    }

    /** The mark rules of {@code family}, in the kernel's order; rules of other kinds are left out. */
    public synchronized List<MarkRule> markRules(int family) {
        checkFamily(family);
        int seq = socket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(Rtnl.RTM_GETRULE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq)
                .fibRuleHdr(family, 0, 0, 0)
                .build();
        List<MarkRule> rules = new ArrayList<>();
        for (NetlinkMessage m : socket.transact(request, seq, "list rules")) {
            MarkRule rule = RouteMessages.markRule(m);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private void ruleRequest(int type, int flags, MarkRule rule, String what) {
        int seq = socket.nextSeq();
        socket.transact(ruleMessage(type, flags, seq, rule), seq, what);
    }

    /** The request `ip rule add|del [not] fwmark M lookup T pref P` sends, attribute for attribute. */
    static byte[] ruleMessage(int type, int flags, int seq, MarkRule rule) {
        return new NetlinkMessageBuilder(type, flags, seq)
                .fibRuleHdr(rule.family(), headerTable(rule.table()), Rtnl.FR_ACT_TO_TBL,
                        rule.invert() ? Rtnl.FIB_RULE_INVERT : 0)
                // the kernel takes a mark without FRA_FWMASK as an exact match (mask 0xffffffff)
                .attrInt(Rtnl.FRA_FWMARK, rule.fwmark())
                .attrInt(Rtnl.FRA_TABLE, rule.table())
                .attrInt(Rtnl.FRA_PRIORITY, rule.priority())
                .build();
    }

    /**
     * The unicast routes of the main table for {@code family} ({@link #AF_INET} or
     * {@link #AF_INET6}). A default route has dst 0.0.0.0 / :: and prefix length 0.
     */
    public synchronized List<Route> routes(int family) {
        return routes(family, Rtnl.RT_TABLE_MAIN);
    }

    /** The unicast routes of {@code table} for {@code family}. */
    public synchronized List<Route> routes(int family, int table) {
        checkFamily(family);
        int seq = socket.nextSeq();
        byte[] request = new NetlinkMessageBuilder(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, seq)
                .rtmsg(family, 0, 0, 0, 0, 0)
                .build();
        List<Route> routes = new ArrayList<>();
        for (NetlinkMessage m : socket.transact(request, seq, "list routes")) {
            Route route = RouteMessages.tableRoute(m, table);
            if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    /**
     * Asks the kernel how it would send to {@code dst}: empty when it has no route (network or
     * host unreachable, blackhole).
     */
    public synchronized Optional<RouteLookup> routeGet(InetAddress dst) {
        return routeGet(dst, 0);
    }

    /**
     * As {@link #routeGet(InetAddress)} for a packet carrying firewall mark {@code fwmark}: how
     * the gateway's own marked sockets reach {@code dst} when mark rules send other traffic
     * elsewhere.
     */
    public synchronized Optional<RouteLookup> routeGet(InetAddress dst, int fwmark) {
        String what = "get route to " + dst.getHostAddress();
        int family = family(dst);
        int seq = socket.nextSeq();
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_GETROUTE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq)
                .rtmsg(family, family == Rtnl.AF_INET6 ? 128 : 32, 0, 0, 0, 0)
                .attr(Rtnl.RTA_DST, dst.getAddress());
        if (fwmark != 0) {
            b.attrInt(Rtnl.RTA_MARK, fwmark);
        }
        List<NetlinkMessage> replies;
        try {
            replies = socket.transact(b.build(), seq, what);
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENETUNREACH || e.errno() == Errno.EHOSTUNREACH || e.errno() == Errno.EINVAL) {
                return Optional.empty();
            }
            throw e;
        }
        for (NetlinkMessage m : replies) {
            if (m.type() == Rtnl.RTM_NEWROUTE) {
                RouteMessages.Lookup found = RouteMessages.lookup(m);
                if (found == null) {
                    return Optional.empty();
                }
                int mtu = found.mtuMetric() > 0 ? found.mtuMetric() : linkMtu(link(null, found.ifindex()));
                return Optional.of(new RouteLookup(found.ifindex(), found.source(), found.gateway(), mtu));
            }
        }
        return Optional.empty();
    }

    public static final int AF_INET = Rtnl.AF_INET;
    public static final int AF_INET6 = Rtnl.AF_INET6;

    @Override
    public synchronized void close() {
        socket.close();
    }

    /** RTM_GETLINK by name or by index; returns the RTM_NEWLINK payload. */
    private ByteBuffer link(String ifname, int index) {
        int seq = socket.nextSeq();
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq)
                .ifinfomsg(Rtnl.AF_UNSPEC, index, 0, 0);
        if (ifname != null) {
            b.attrString(Rtnl.IFLA_IFNAME, ifname);
        }
        String what = "link " + (ifname != null ? ifname : "#" + index);
        for (NetlinkMessage m : socket.transact(b.build(), seq, what)) {
            if (m.type() == Rtnl.RTM_NEWLINK) {
                return m.payload();
            }
        }
        throw new NetlinkException(what + ": no reply from the kernel", 0);
    }

    private static int linkMtu(ByteBuffer linkPayload) {
        return RtAttributes.parse(linkPayload, Rtnl.IFINFOMSG_LEN).u32(Rtnl.IFLA_MTU, 0);
    }

    /** The index, or an error that names the whole operation ("add route ... dev cw9: No such device"). */
    private int linkIndexFor(String ifname, String what) {
        try {
            return link(ifname, 0).getInt(4);
        } catch (NetlinkException e) {
            throw NetlinkSocket.error(what, e.errno(), null);
        }
    }

    private static int family(InetAddress addr) {
        return addr instanceof Inet6Address ? Rtnl.AF_INET6 : Rtnl.AF_INET;
    }

    private static void checkFamily(int family) {
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("family must be AF_INET (2) or AF_INET6 (10), got " + family);
        }
    }

    /** rtm_table / fib_rule_hdr.table hold 8 bits; larger tables only go in the TABLE attribute. */
    private static int headerTable(int table) {
        return Integer.compareUnsigned(table, 256) < 0 ? table : Rtnl.RT_TABLE_UNSPEC;
    }

    private static String tableSuffix(int table) {
        return table == Rtnl.RT_TABLE_MAIN ? "" : " table " + Integer.toUnsignedString(table);
    }

    private static void checkPrefix(int family, int prefixLen, String what) {
        int max = family == Rtnl.AF_INET6 ? 128 : 32;
        if (prefixLen < 0 || prefixLen > max) {
            throw new IllegalArgumentException(what + ": prefix length must be 0 to " + max);
        }
    }
}
