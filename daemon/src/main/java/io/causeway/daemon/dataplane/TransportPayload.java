package io.causeway.daemon.dataplane;

/**
  * Finds what a transport-mode SA protects in a packet read from the TUN: the upper-layer
  * payload behind the IP header (RFC 4303 3.1.1). The IP header itself is not sent: the kernel
  * writes the outer header, with the same two addresses, when the ESP packet leaves. IPv4
  * options and the IPv6 extension headers before the transport header are dropped with it.
  * One instance per worker; {@link #locate} refills its fields for every packet.
  */
final class TransportPayload {
    static final int OK = 0;
    /** A fragment: transport mode carries whole datagrams only (RFC 4301 4.1, RFC 4303 3.3.4). */
    static final int FRAGMENT = 1;
    static final int MALFORMED = 2;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int HOP_BY_HOP = 0;
    private static final int ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int DESTINATION_OPTIONS = 60;
    /** More extension headers than this before the transport header is not a packet we send. */
    private static final int MAX_EXTENSION_HEADERS = 8;

    /** Bytes from the packet start to the payload: the IP header with options or extension headers. */
    int headerLength;
    /** Payload bytes, from the IP header's length field (not the read length). */
    int length;
    /** The payload's protocol: ESP's next header (RFC 4303 2.6). */
    int protocol;

    /** Locates the payload of the IP packet {@code b[off, off+len)}; returns OK, FRAGMENT or MALFORMED. */
    int locate(byte[] b, int off, int len) {
        if (len < 1) {
            return MALFORMED;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) {
            return ipv4(b, off, len);
        }
        return version == 6 ? ipv6(b, off, len) : MALFORMED;
    }

    private int ipv4(byte[] b, int off, int len) {
        if (len < IPV4_HEADER) {
            return MALFORMED;
        }
        int ihl = (b[off] & 0x0f) * 4;
        int total = readShort(b, off + 2);
        if (ihl < IPV4_HEADER || total < ihl || total > len) {
            return MALFORMED;
        }
        int flagsAndOffset = readShort(b, off + 6);
        if ((flagsAndOffset & 0x2000) != 0 || (flagsAndOffset & 0x1fff) != 0) {
            return FRAGMENT; // more fragments set, or a later fragment
        }
        headerLength = ihl;
        length = total - ihl;
        protocol = b[off + 9] & 0xff;
        return OK;
    }

    private int ipv6(byte[] b, int off, int len) {
        if (len < IPV6_HEADER) {
            return MALFORMED;
        }
        int end = IPV6_HEADER + readShort(b, off + 4);
        if (end > len || end == IPV6_HEADER && b[off + 6] == HOP_BY_HOP) {
            return MALFORMED; // truncated, or a jumbogram (RFC 2675), which no TUN MTU allows
        }
        int next = b[off + 6] & 0xff;
        int pos = IPV6_HEADER;
        // RFC 8200 4.1: the headers that may precede the transport header
        for (int hops = 0; hops <= MAX_EXTENSION_HEADERS; hops++) {
            if (next == IPV6_FRAGMENT) {
                return FRAGMENT;
            }
            if (next != HOP_BY_HOP && next != ROUTING && next != DESTINATION_OPTIONS) {
                headerLength = pos;
                length = end - pos;
                protocol = next;
                return OK;
            }
            if (pos + 2 > end) {
                return MALFORMED;
            }
            next = b[off + pos] & 0xff;
            pos += ((b[off + pos + 1] & 0xff) + 1) * 8;
            if (pos > end) {
                return MALFORMED;
            }
        }
        return MALFORMED;
    }

    private static int readShort(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
