package io.causeway.esp;

/** How many bytes ESP adds, so the daemon can set the TUN MTU (RFC 4303 2, RFC 3948 2.1). */
public final class EspOverhead {
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int UDP_HEADER = 8;
    private static final int ESP_HEADER = 8;
    private static final int TRAILER = 2;

    private EspOverhead() {
    }

    /**
     * Outer IP header, UDP header if encapsulated, ESP header, IV, the most padding seal() ever adds
     * (alignment - 1: it pads minimally), pad length, next header and ICV.
     */
    public static int worstCase(EspSuite s, boolean ipv6Outer, boolean udpEncap) {
        return fixed(s, ipv6Outer, udpEncap) + s.blockBytes() - 1 + TRAILER;
    }

    /** Largest inner packet that fits in {@code outerMtu}, taking the padding alignment exactly into account. */
    public static int maxInner(int outerMtu, EspSuite s, boolean ipv6Outer, boolean udpEncap) {
        int forPayload = outerMtu - fixed(s, ipv6Outer, udpEncap);
        return forPayload / s.blockBytes() * s.blockBytes() - TRAILER;
    }

    private static int fixed(EspSuite s, boolean ipv6Outer, boolean udpEncap) {
        return (ipv6Outer ? IPV6_HEADER : IPV4_HEADER) + (udpEncap ? UDP_HEADER : 0) + ESP_HEADER + s.ivBytes() + s.icvBytes();
    }
}
