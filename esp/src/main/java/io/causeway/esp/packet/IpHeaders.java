package io.causeway.esp.packet;

/**
 * Allocation-free reads of the fields selectors need from an IPv4 (RFC 791) or IPv6 (RFC 8200) packet.
 * Callers check {@link #wellFormed} first; the other methods assume it returned true.
 */
public final class IpHeaders {
    public static final int IPV4_HEADER_MIN = 20;
    public static final int IPV6_HEADER = 40;
    /** Port value for packets whose ports are unknown (non-first fragments, other protocols). */
    public static final int NO_PORT = -1;

    private static final int HOP_BY_HOP = 0;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int DEST_OPTIONS = 60;

    private IpHeaders() {
    }

    public static int version(byte[] b, int off) {
        return (b[off] & 0xFF) >>> 4;
    }

    /** True when the packet is long enough for its fixed header (and, for IPv4, its options). */
    public static boolean wellFormed(byte[] b, int off, int len) {
        if (len < 1) {
            return false;
        }
        int v = version(b, off);
        if (v == 4) {
            return len >= IPV4_HEADER_MIN && len >= ihlBytes(b, off);
        }
        return v == 6 && len >= IPV6_HEADER;
    }

    public static int v4Src(byte[] b, int off) {
        return readInt(b, off + 12);
    }

    public static int v4Dst(byte[] b, int off) {
        return readInt(b, off + 16);
    }

    public static long v6SrcHi(byte[] b, int off) {
        return readLong(b, off + 8);
    }

    public static long v6SrcLo(byte[] b, int off) {
        return readLong(b, off + 16);
    }

    public static long v6DstHi(byte[] b, int off) {
        return readLong(b, off + 24);
    }

    public static long v6DstLo(byte[] b, int off) {
        return readLong(b, off + 32);
    }

    /**
     * Upper-layer protocol and its offset, packed as {@code offset << 8 | protocol}; the offset is -1 when the
     * transport header is not in this packet (non-first fragment, truncated extension headers).
     */
    public static long upperLayer(byte[] b, int off, int len) {
        if (version(b, off) == 4) {
            int proto = b[off + 9] & 0xFF;
            boolean laterFragment = (readShort(b, off + 6) & 0x1FFF) != 0;
            return pack(laterFragment ? -1 : ihlBytes(b, off), proto);
        }
        int next = b[off + 6] & 0xFF;
        int pos = IPV6_HEADER;
        // Walk the extension headers that may precede the transport header (RFC 8200 4.1).
        for (int hops = 0; hops < 8; hops++) {
            if (next == FRAGMENT) {
                if (pos + 8 > len) {
                    return pack(-1, next);
                }
                int proto = b[off + pos] & 0xFF;
                boolean laterFragment = (readShort(b, off + pos + 2) & 0xFFF8) != 0;
                return pack(laterFragment ? -1 : pos + 8, proto);
            }
            if (next != HOP_BY_HOP && next != ROUTING && next != DEST_OPTIONS) {
                return pack(pos, next);
            }
            if (pos + 8 > len) {
                return pack(-1, next);
            }
            int hdrLen = ((b[off + pos + 1] & 0xFF) + 1) * 8;
            next = b[off + pos] & 0xFF;
            pos += hdrLen;
        }
        return pack(-1, next);
    }

    public static int protocolOf(long upper) {
        return (int) (upper & 0xFF);
    }

    public static int offsetOf(long upper) {
        return (int) (upper >> 8);
    }

    /** Source port for TCP, UDP, UDP-Lite and SCTP when the header is present, else {@link #NO_PORT}. */
    public static int srcPort(byte[] b, int off, int len, long upper) {
        return port(b, off, len, upper, 0);
    }

    public static int dstPort(byte[] b, int off, int len, long upper) {
        return port(b, off, len, upper, 2);
    }

    private static int port(byte[] b, int off, int len, long upper, int at) {
        int proto = protocolOf(upper);
        int t = offsetOf(upper);
        if (t < 0 || (proto != 6 && proto != 17 && proto != 132 && proto != 136) || t + 4 > len) {
            return NO_PORT;
        }
        return readShort(b, off + t + at);
    }

    private static int ihlBytes(byte[] b, int off) {
        return (b[off] & 0x0F) * 4;
    }

    private static long pack(int offset, int proto) {
        return (long) offset << 8 | proto;
    }

    static int readShort(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    static long readLong(byte[] b, int off) {
        return (readInt(b, off) & 0xFFFFFFFFL) << 32 | (readInt(b, off + 4) & 0xFFFFFFFFL);
    }
}
