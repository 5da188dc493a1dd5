package io.causeway.tun.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Decodes RTM_NEWROUTE payloads: struct rtmsg (12 bytes), then rtattrs. */
final class RouteMessages {
    private RouteMessages() {
    }

    /** What RTM_GETROUTE answered: the fields a {@link RouteLookup} needs. */
    record Lookup(int ifindex, InetAddress source, InetAddress gateway, int mtuMetric) {
    }

    /** The route if it is a unicast route of the main table, else null. */
    static Route mainTableRoute(NetlinkMessage m) {
        return tableRoute(m, Rtnl.RT_TABLE_MAIN);
    }

    /** The route if it is a unicast route of {@code wanted}, else null. */
    static Route tableRoute(NetlinkMessage m, int wanted) {
        if (m.type() != Rtnl.RTM_NEWROUTE || m.payload().limit() < Rtnl.RTMSG_LEN) {
            return null;
        }
        ByteBuffer p = m.payload();
        int family = Byte.toUnsignedInt(p.get(0));
        int dstLen = Byte.toUnsignedInt(p.get(1));
        int type = Byte.toUnsignedInt(p.get(7));
        RtAttributes attrs = RtAttributes.parse(p, Rtnl.RTMSG_LEN);
        // Tables above 255 only fit in RTA_TABLE; rtm_table then says RT_TABLE_COMPAT.
        int table = attrs.u32(Rtnl.RTA_TABLE, Byte.toUnsignedInt(p.get(4)));
        if (table != wanted || type != Rtnl.RTN_UNICAST) {
            return null;
        }
        InetAddress dst = attrs.address(Rtnl.RTA_DST, family);
        if (dst == null) {
            dst = RtAttributes.fromBytes(new byte[family == Rtnl.AF_INET6 ? 16 : 4], family);
        }
        return new Route(dst, dstLen, attrs.u32(Rtnl.RTA_OIF, 0),
                attrs.address(Rtnl.RTA_GATEWAY, family), attrs.address(Rtnl.RTA_PREFSRC, family));
    }

    /** An RTM_NEWRULE of a dump as a mark rule, or null when it is not one (no fwmark, not to a table). */
    static MarkRule markRule(NetlinkMessage m) {
        ByteBuffer p = m.payload();
        if (m.type() != Rtnl.RTM_NEWRULE || p.limit() < Rtnl.FIB_RULE_HDR_LEN) {
            return null;
        }
        int family = Byte.toUnsignedInt(p.get(0));
        int action = Byte.toUnsignedInt(p.get(7));
        int flags = p.getInt(8);
        RtAttributes attrs = RtAttributes.parse(p, Rtnl.FIB_RULE_HDR_LEN);
        int table = attrs.u32(Rtnl.FRA_TABLE, Byte.toUnsignedInt(p.get(4)));
        int priority = attrs.u32(Rtnl.FRA_PRIORITY, 0);
        if (action != Rtnl.FR_ACT_TO_TBL || !attrs.has(Rtnl.FRA_FWMARK) || priority < 1
                || (family != Rtnl.AF_INET && family != Rtnl.AF_INET6)
                || table == Rtnl.RT_TABLE_UNSPEC || table == Rtnl.RT_TABLE_MAIN || table == 255) {
            return null;
        }
        return new MarkRule(family, priority, attrs.u32(Rtnl.FRA_FWMARK, 0),
                (flags & Rtnl.FIB_RULE_INVERT) != 0, table);
    }

    /** The lookup answer, or null when the kernel's answer has no output device (blackhole). */
    static Lookup lookup(NetlinkMessage m) {
        ByteBuffer p = m.payload();
        if (p.limit() < Rtnl.RTMSG_LEN) {
            return null;
        }
        int family = Byte.toUnsignedInt(p.get(0));
        RtAttributes attrs = RtAttributes.parse(p, Rtnl.RTMSG_LEN);
        int ifindex = attrs.u32(Rtnl.RTA_OIF, 0);
        if (ifindex == 0) {
            return null;
        }
        int mtu = 0;
        ByteBuffer metrics = attrs.get(Rtnl.RTA_METRICS);
        if (metrics != null) {
            mtu = RtAttributes.parse(metrics, 0).u32(Rtnl.RTAX_MTU, 0);
        }
        return new Lookup(ifindex, attrs.address(Rtnl.RTA_PREFSRC, family),
                attrs.address(Rtnl.RTA_GATEWAY, family), mtu);
    }
}
