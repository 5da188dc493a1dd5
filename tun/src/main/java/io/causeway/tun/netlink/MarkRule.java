package io.causeway.tun.netlink;

/**
 * A policy routing rule that sends packets to a table by their firewall mark, as
 * {@code ip rule add [not] fwmark MARK lookup TABLE pref PRIORITY} writes it. With
 * {@code invert} it applies to every packet whose mark is <em>not</em> {@code fwmark}: how a
 * tunnel's own sockets, marked, bypass the table that routes everything else into the tunnel.
 *
 * @param family {@link Netlink#AF_INET} or {@link Netlink#AF_INET6}: rules are per family
 * @param priority the rule's preference (lower is consulted first); the main table's is 32766
 */
public record MarkRule(int family, int priority, int fwmark, boolean invert, int table) {
    public MarkRule {
        if (family != Rtnl.AF_INET && family != Rtnl.AF_INET6) {
            throw new IllegalArgumentException("family must be AF_INET (2) or AF_INET6 (10), got " + family);
        }
        if (priority < 1) {
            throw new IllegalArgumentException("priority must be positive (0 is the local table's), got " + priority);
        }
        if (table == Rtnl.RT_TABLE_UNSPEC || table == Rtnl.RT_TABLE_MAIN || table == 255) {
            throw new IllegalArgumentException("table " + table + " is reserved (unspec, main or local)");
        }
    }

    @Override
    public String toString() {
        return (family == Rtnl.AF_INET6 ? "-6 " : "-4 ") + "rule " + (invert ? "not " : "") + "fwmark 0x"
                + Integer.toHexString(fwmark) + " lookup " + Integer.toUnsignedString(table) + " pref " + priority;
    }
}
