package io.causeway.tun.netlink;

import java.net.InetAddress;

/**
 * What the kernel would do with a packet to one destination (RTM_GETROUTE).
 *
 * @param ifindex the egress interface
 * @param source the source address the kernel would pick (null if none)
 * @param gateway the next hop, or null when the destination is on-link
 * @param mtu the path MTU: the route's (or cached PMTU) metric if set, else the egress link's
 *     MTU; the ESP outer MTU budget starts from this
 */
public record RouteLookup(int ifindex, InetAddress source, InetAddress gateway, int mtu) {
}
