package io.causeway.esp.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * One traffic selector (RFC 4301 4.4.1.1, RFC 7296 3.13.1): an address prefix, optionally narrowed to an
 * IP protocol and a port range. Addresses are held as two longs so that matching never allocates.
 * IPv4 addresses live in the low 32 bits of {@code addrLo}.
 */
public record TrafficSelector(boolean ipv6, long addrHi, long addrLo, int prefixLen, int protocol, int portFrom, int portTo) {
    public static final int ANY_PROTOCOL = 0;

    public TrafficSelector {
        int max = ipv6 ? 128 : 32;
        if (prefixLen < 0 || prefixLen > max) {
            throw new IllegalArgumentException("prefix length " + prefixLen + " out of 0.." + max);
        }
        if (protocol < 0 || protocol > 255 || portFrom < 0 || portTo > 65535 || portFrom > portTo) {
            throw new IllegalArgumentException("bad protocol/port range " + protocol + "/" + portFrom + "-" + portTo);
        }
        addrHi &= maskHi(ipv6, prefixLen);
        addrLo &= maskLo(ipv6, prefixLen);
    }

    /**
     * Parses {@code 10.1.0.0/24}, {@code fd00::/64}, {@code 10.1.0.5} (host), and optionally a strongSwan
     * style suffix {@code [tcp]}, {@code [udp/53]}, {@code [6/1000-2000]}.
     */
    public static TrafficSelector parse(String text) {
        String s = text.trim();
        int proto = ANY_PROTOCOL;
        int from = 0;
        int to = 65535;
        int bracket = s.indexOf('[');
        if (bracket >= 0) {
            if (!s.endsWith("]")) {
                throw new IllegalArgumentException("unterminated [proto/port] in selector: " + text);
            }
            String[] pp = s.substring(bracket + 1, s.length() - 1).split("/", 2);
            proto = protocolNumber(pp[0], text);
            if (pp.length == 2 && !pp[1].isEmpty() && !pp[1].equals("%any")) {
                String[] range = pp[1].split("-", 2);
                from = port(range[0], text);
                to = range.length == 2 ? port(range[1], text) : from;
            }
            s = s.substring(0, bracket);
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (!addr.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IP address in selector: " + text);
        }
        byte[] raw;
        try {
            raw = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address in selector: " + text);
        }
        boolean v6 = raw.length == 16;
        int len;
        try {
            len = slash < 0 ? raw.length * 8 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in selector: " + text);
        }
        return new TrafficSelector(v6, v6 ? readLong(raw, 0) : 0, v6 ? readLong(raw, 8) : readInt(raw, 0) & 0xFFFFFFFFL,
                len, proto, from, to);
    }

    public static TrafficSelector anyV4() {
        return new TrafficSelector(false, 0, 0, 0, ANY_PROTOCOL, 0, 65535);
    }

    public static TrafficSelector anyV6() {
        return new TrafficSelector(true, 0, 0, 0, ANY_PROTOCOL, 0, 65535);
    }

    /** Matches an IPv4 address (as an int, network order) with protocol and port (-1 when unknown). */
    public boolean matchesV4(int addr, int proto, int port) {
        return !ipv6 && ((addr & 0xFFFFFFFFL) & maskLo(false, prefixLen)) == addrLo && matchesProtoPort(proto, port);
    }

    /** Matches an IPv6 address given as two longs with protocol and port (-1 when unknown). */
    public boolean matchesV6(long hi, long lo, int proto, int port) {
        return ipv6 && (hi & maskHi(true, prefixLen)) == addrHi && (lo & maskLo(true, prefixLen)) == addrLo
                && matchesProtoPort(proto, port);
    }

    /** Convenience for the control plane and tests; the data path uses the allocation-free variants. */
    public boolean matches(InetAddress address, int proto, int port) {
        byte[] raw = address.getAddress();
        return raw.length == 4 ? matchesV4(readInt(raw, 0), proto, port)
                : matchesV6(readLong(raw, 0), readLong(raw, 8), proto, port);
    }

    /** The protocol and port half of a match; {@link SelectorIndex} has already matched the address. */
    boolean matchesProtoPort(int proto, int port) {
        if (protocol != ANY_PROTOCOL && protocol != proto) {
            return false;
        }
        if (portFrom == 0 && portTo == 65535) {
            return true;
        }
        return port >= portFrom && port <= portTo;
    }

    /** Number of addresses not fixed by the prefix, for "most specific first" ordering. */
    int hostBits() {
        return (ipv6 ? 128 : 32) - prefixLen;
    }

    int portSpan() {
        return portTo - portFrom;
    }

    static long maskHi(boolean v6, int len) {
        if (!v6) {
            return 0;
        }
        return len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
    }

    static long maskLo(boolean v6, int len) {
        if (!v6) {
            return len == 0 ? 0 : (0xFFFFFFFFL << (32 - len)) & 0xFFFFFFFFL;
        }
        return len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
    }

    private static int protocolNumber(String p, String text) {
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "", "%any", "any" -> ANY_PROTOCOL;
            case "icmp" -> 1;
            case "tcp" -> 6;
            case "udp" -> 17;
            case "gre" -> 47;
            case "icmpv6", "ipv6-icmp" -> 58;
            case "sctp" -> 132;
            default -> {
                try {
                    int n = Integer.parseInt(p);
                    if (n < 0 || n > 255) {
                        throw new NumberFormatException();
                    }
                    yield n;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unknown protocol '" + p + "' in selector: " + text);
                }
            }
        };
    }

    private static int port(String p, String text) {
        try {
            int n = Integer.parseInt(p);
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + p + "' in selector: " + text);
        }
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static long readLong(byte[] b, int off) {
        return (readInt(b, off) & 0xFFFFFFFFL) << 32 | (readInt(b, off + 4) & 0xFFFFFFFFL);
    }

    /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups shortened to "::". */
    private void appendIpv6(StringBuilder sb) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (addrHi >>> (48 - 16 * i)) & 0xFFFF;
            g[4 + i] = (int) (addrLo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (ipv6) {
            appendIpv6(sb);
        } else {
            sb.append(addrLo >>> 24 & 0xFF).append('.').append(addrLo >>> 16 & 0xFF).append('.')
                    .append(addrLo >>> 8 & 0xFF).append('.').append(addrLo & 0xFF);
        }
        sb.append('/').append(prefixLen);
        if (protocol != ANY_PROTOCOL || portFrom != 0 || portTo != 65535) {
            sb.append('[').append(protocol);
            if (portFrom != 0 || portTo != 65535) {
                sb.append('/').append(portFrom);
                if (portTo != portFrom) {
                    sb.append('-').append(portTo);
                }
            }
            sb.append(']');
        }
        return sb.toString();
    }
}
