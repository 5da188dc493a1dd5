package io.causeway.tun.netlink;

import java.net.InetAddress;

/**
 * A route of the main table. {@code gateway} and {@code prefsrc} are null when the route has
 * none; {@code ifindex} is 0 for routes without one output device (e.g. multipath).
 */
public record Route(InetAddress dst, int prefixLen, int ifindex, InetAddress gateway, InetAddress prefsrc) {
}
