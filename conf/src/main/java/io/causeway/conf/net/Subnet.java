package io.causeway.conf.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;

/**
 * A traffic selector as written in leftsubnet/rightsubnet: a CIDR block with strongSwan's optional
 * {@code [proto/port]} suffix. protocol 0 means any protocol; the port range is inclusive.
 */
public record Subnet(InetAddress address, int prefixLength, int protocol, int fromPort, int toPort) {
    public static final int ANY_PROTOCOL = 0;
    private static final Map<String, Integer> PROTOCOLS = Map.of(
            "icmp", 1, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "ah", 51, "icmpv6", 58, "ipv6-icmp", 58, "sctp", 132);

    public Subnet {
        int max = maxPrefix(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length /" + prefixLength + " out of range 0.." + max);
        }
        address = mask(address, prefixLength);
        if (fromPort < 0 || toPort > 65535 || fromPort > toPort) {
            throw new IllegalArgumentException("bad port range " + fromPort + "-" + toPort);
        }
    }

    public static Subnet of(InetAddress address, int prefixLength) {
        return new Subnet(address, prefixLength, ANY_PROTOCOL, 0, 65535);
    }

    public static Subnet host(InetAddress address) {
        return of(address, maxPrefix(address));
    }

    /** Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 10.1.1.1} (a host) and {@code 10.0.0.0/8[tcp/443]}. */
    public static Subnet parse(String text) {
        String s = text.trim();
        String selector = null;
        int bracket = s.indexOf('[');
        if (bracket >= 0) {
            if (!s.endsWith("]")) {
                throw new IllegalArgumentException("'" + text + "': missing ']' after [proto/port]");
            }
            selector = s.substring(bracket + 1, s.length() - 1);
            s = s.substring(0, bracket);
        }
        int slash = s.indexOf('/');
        String addressText = slash >= 0 ? s.substring(0, slash) : s;
        InetAddress address = IpLiteral.parse(addressText).orElseThrow(() ->
                new IllegalArgumentException("'" + text + "' is not a CIDR block (expected e.g. 10.0.0.0/24 or 2001:db8::/64)"));
        int prefix = maxPrefix(address);
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > prefix) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + prefix);
            }
            prefix = Integer.parseInt(p);
        }
        if (selector == null) {
            return of(address, prefix);
        }
        return withSelector(text, address, prefix, selector);
    }

    private static Subnet withSelector(String text, InetAddress address, int prefix, String selector) {
        String[] parts = selector.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("'" + text + "': expected [proto] or [proto/port]");
        }
        int protocol = parseProtocol(text, parts[0]);
        int from = 0;
        int to = 65535;
        if (parts.length == 2 && !parts[1].isEmpty() && !parts[1].equals("%any")) {
            String[] range = parts[1].split("-", -1);
            if (range.length > 2 || !range[0].matches("\\d{1,5}") || (range.length == 2 && !range[1].matches("\\d{1,5}"))) {
                throw new IllegalArgumentException("'" + text + "': port must be a number, a range lo-hi or %any");
            }
            from = Integer.parseInt(range[0]);
            to = range.length == 2 ? Integer.parseInt(range[1]) : from;
        }
        return new Subnet(address, prefix, protocol, from, to);
    }

    private static int parseProtocol(String text, String proto) {
        if (proto.isEmpty() || proto.equals("%any")) {
            return ANY_PROTOCOL;
        }
        if (proto.matches("\\d{1,3}") && Integer.parseInt(proto) <= 255) {
            return Integer.parseInt(proto);
        }
        Integer known = PROTOCOLS.get(proto.toLowerCase(Locale.ROOT));
        if (known == null) {
            throw new IllegalArgumentException("'" + text + "': unknown protocol '" + proto + "' (allowed: a number 0-255, "
                    + String.join(", ", new java.util.TreeSet<>(PROTOCOLS.keySet())) + ")");
        }
        return known;
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean contains(InetAddress candidate) {
        return sameFamily(candidate) && prefixMatches(address.getAddress(), candidate.getAddress(), prefixLength);
    }

    /** True when some packet could match both selectors. */
    public boolean overlaps(Subnet other) {
        if (!sameFamily(other.address)) {
            return false;
        }
        int shorter = Math.min(prefixLength, other.prefixLength);
        boolean addressesOverlap = prefixMatches(address.getAddress(), other.address.getAddress(), shorter);
        boolean protocolsOverlap = protocol == ANY_PROTOCOL || other.protocol == ANY_PROTOCOL || protocol == other.protocol;
        boolean portsOverlap = fromPort <= other.toPort && other.fromPort <= toPort;
        return addressesOverlap && protocolsOverlap && portsOverlap;
    }

    private boolean sameFamily(InetAddress other) {
        return address.getAddress().length == other.getAddress().length;
    }

    @Override
    public String toString() {
        String cidr = IpLiteral.format(address) + "/" + prefixLength;
        boolean anyPort = fromPort == 0 && toPort == 65535;
        if (protocol == ANY_PROTOCOL && anyPort) {
            return cidr;
        }
        String port = anyPort ? "" : "/" + (fromPort == toPort ? String.valueOf(fromPort) : fromPort + "-" + toPort);
        return cidr + "[" + (protocol == ANY_PROTOCOL ? "%any" : protocolName(protocol)) + port + "]";
    }

    private static String protocolName(int protocol) {
        return PROTOCOLS.entrySet().stream().filter(e -> e.getValue() == protocol).map(Map.Entry::getKey)
                .sorted().findFirst().orElse(String.valueOf(protocol));
    }

    static int maxPrefix(InetAddress address) {
        return address.getAddress().length * 8;
    }

    private static boolean prefixMatches(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int kept = Math.max(0, Math.min(8, prefixLength - 8 * i)); // bits of this octet inside the prefix
            bytes[i] &= (byte) (0xff << (8 - kept));
        }
        return IpLiteral.byAddress(bytes);
    }
}
