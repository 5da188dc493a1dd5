package io.causeway.conf.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which remote gateway addresses can never be a peer. The list follows the Tencent Cloud customer
 * gateway rules (seed 003) and their IPv6 counterparts.
 */
public final class PeerAddressRule {
    private PeerAddressRule() {
    }

    /** Why the address cannot be a peer, or empty when it can. */
    public static Optional<String> whyNotAPeer(InetAddress address) {
        return address instanceof Inet4Address ? ipv4Problem(address.getAddress()) : ipv6Problem(address);
    }

    /**
     * Tencent also rejects classful network and broadcast addresses (e.g. 10.0.0.0, 172.16.255.255).
     * Under CIDR these can be real hosts, so this is only a warning.
     */
    public static Optional<String> classfulWarning(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xff;
        int hostBytes = first < 128 ? 3 : first < 192 ? 2 : first < 224 ? 1 : 0;
        if (hostBytes == 0) {
            return Optional.empty();
        }
        boolean allZero = true;
        boolean allOnes = true;
        for (int i = 4 - hostBytes; i < 4; i++) {
            allZero &= b[i] == 0;
            allOnes &= b[i] == (byte) 0xff;
        }
        if (allZero || allOnes) {
            return Optional.of("is a classful " + (allZero ? "network" : "broadcast")
                    + " address; cloud consoles such as Tencent Cloud refuse it as a customer gateway");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv4Problem(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return Optional.of(first == 0 && (b[1] | b[2] | b[3]) == 0
                    ? "is the unspecified address; write %any to accept any peer"
                    : "is in 0.0.0.0/8 (this network), not a reachable host");
        }
        if (first == 127) {
            return Optional.of("is a loopback address (127.0.0.0/8)");
        }
        if (first == 169 && second == 254) {
            return Optional.of("is a link-local address (169.254.0.0/16)");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("is a multicast address (224.0.0.0/4)");
        }
        if ((b[0] & b[1] & b[2] & b[3]) == (byte) 0xff) {
            return Optional.of("is the broadcast address");
        }
        if (first >= 240) {
            return Optional.of("is a reserved address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6Problem(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("is the unspecified address; write %any to accept any peer");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("is the loopback address (::1)");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("is a link-local address (fe80::/10)");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("is a multicast address (ff00::/8)");
        }
        return Optional.empty();
    }
}
