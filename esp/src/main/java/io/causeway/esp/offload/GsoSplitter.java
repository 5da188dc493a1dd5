package io.causeway.esp.offload;

/**
 * Turns what a TUN read with IFF_VNET_HDR returned (a {@link VirtioNetHeader} and one IP packet, possibly a TCP or
 * UDP super-packet with a partial checksum) into the wire packets it stands for, each a complete IPv4 or IPv6
 * packet whose checksums are final.
 *
 * <p>One per thread, reused for every read; it allocates nothing. {@link #start} checks the packet and returns how
 * many packets it yields, {@link #next} writes them one after another. Bad input is answered with a reject code,
 * never an exception. Segmentation follows what Linux's tcp_gso_segment and __udp_gso_segment do, so a segment is
 * what the kernel would have sent without offload: IPv4 identification incremented per segment, TCP sequence
 * numbers advanced by gso_size, CWR only on the first segment, FIN and PSH only on the last.
 */
public final class GsoSplitter {
    /** A header or packet that does not make sense: lengths, offsets or types that contradict each other. */
    public static final int MALFORMED = -1;
    /** Well-formed but not handled: UFO (GSO_UDP), unknown GSO types, IPv6 extension headers in a GSO packet. */
    public static final int UNSUPPORTED = -2;

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int TCP_HEADER_MIN = 20;
    private static final int UDP_HEADER = 8;
    private static final int TCP_CHECK_OFFSET = 16;
    private static final int UDP_CHECK_OFFSET = 6;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private final VirtioNetHeader header = new VirtioNetHeader();

    private byte[] buf;
    private int pkt;
    private int pktLen;
    private boolean v6;
    private boolean dontFragment;
    private int ipHeader;
    private int protocol;
    private int l4Header;
    private int gsoSize;
    private int payload;
    private int segments;
    private int segmentLength;
    private int written;
    private int firstId;
    private int firstSeq;

    /**
     * Checks {@code buf[off, off+len)}, a virtio_net_hdr followed by one IP packet, and prepares its segments.
     * Returns how many wire packets {@link #next} will write (at least 1), or {@link #MALFORMED} /
     * {@link #UNSUPPORTED}. When it returns 1 the packet is already final where it lies, at
     * {@code buf[first(), first() + segmentLength())}: its checksum was completed in place, so a caller may use it
     * there without the copy {@link #next} makes.
     */
    public int start(byte[] buf, int off, int len) {
        this.buf = buf;
        segments = 0;
        written = 0;
        if (len <= VirtioNetHeader.LENGTH) {
            return MALFORMED;
        }
        header.decode(buf, off);
        pkt = off + VirtioNetHeader.LENGTH;
        pktLen = len - VirtioNetHeader.LENGTH;
        if (!readIpHeader()) {
            return MALFORMED;
        }
        boolean ecn = (header.gsoType & VirtioNetHeader.GSO_ECN) != 0;
        int type = header.gsoType & ~VirtioNetHeader.GSO_ECN;
        int result;
        switch (type) {
            case VirtioNetHeader.GSO_NONE:
                result = ecn ? MALFORMED : startPlain();
                break;
            case VirtioNetHeader.GSO_TCPV4:
                result = v6 ? MALFORMED : startSuper(TCP);
                break;
            case VirtioNetHeader.GSO_TCPV6:
                result = v6 ? startSuper(TCP) : MALFORMED;
                break;
            case VirtioNetHeader.GSO_UDP_L4:
                result = ecn ? MALFORMED : startSuper(UDP);
                break;
            default:
                // GSO_UDP (UFO) would need IPv4 fragmentation, which the tunnel does not do; others are unknown
                result = UNSUPPORTED;
        }
        if (result < 0) {
            segments = 0;
        }
        return result;
    }

    /**
     * Writes the next wire packet to {@code out[outOff...]} (room for 65,535 bytes) and returns its length, or -1
     * when all were written (or {@link #start} rejected the packet).
     */
    public int next(byte[] out, int outOff) {
        if (written >= segments) {
            return -1;
        }
        int i = written++;
        if (segments == 1) {
            System.arraycopy(buf, pkt, out, outOff, pktLen);
            return pktLen;
        }
        int headers = ipHeader + l4Header;
        int from = i * gsoSize;
        int size = Math.min(gsoSize, payload - from);
        System.arraycopy(buf, pkt, out, outOff, headers);
        System.arraycopy(buf, pkt + headers + from, out, outOff + headers, size);
        finishSegment(out, outOff, i, size);
        return headers + size;
    }

    /** How many wire packets the last {@link #start} prepared (0 after a reject). */
    public int segments() {
        return segments;
    }

    /** The IP length of a full-size segment (a plain packet's own length), for the caller's MTU check. */
    public int segmentLength() {
        return segmentLength;
    }

    /** IPv4 with DF set, or IPv6 (never fragmented on the way): a packet too big needs an ICMP answer. */
    public boolean dontFragment() {
        return dontFragment;
    }

    /** Where in the buffer given to {@link #start} the IP packet begins (after the virtio_net_hdr). */
    public int first() {
        return pkt;
    }

    private boolean readIpHeader() {
        int version = (buf[pkt] & 0xFF) >>> 4;
        if (version == 4) {
            if (pktLen < 20) {
                return false;
            }
            v6 = false;
            ipHeader = (buf[pkt] & 0x0F) * 4;
            protocol = buf[pkt + 9] & 0xFF;
            dontFragment = (buf[pkt + 6] & 0x40) != 0;
            return ipHeader >= 20 && ipHeader <= pktLen;
        }
        if (version == 6) {
            v6 = true;
            ipHeader = 40;
            protocol = buf[pkt + 6] & 0xFF;
            dontFragment = true;
            return pktLen >= 40;
        }
        return false;
    }

    private int startPlain() {
        if ((header.flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            int start = header.csumStart;
            int field = start + header.csumOffset;
            // A 16-bit field at an odd distance from the start of the sum cannot hold it; no protocol asks for that.
            if ((header.csumOffset & 1) != 0 || field + 2 > pktLen) {
                return MALFORMED;
            }
            // The field holds the pseudo-header sum the kernel left there, so summing over it adds that in.
            int check = Checksum.compute(buf, pkt + start, pktLen - start, 0);
            // skb_checksum_help writes 0 as 0xFFFF too; the same value for TCP, and for UDP 0 would mean "none"
            BigEndian.put16(buf, pkt + field, check == 0 ? 0xFFFF : check);
        }
        gsoSize = 0;
        segments = 1;
        segmentLength = pktLen;
        return 1;
    }

    private int startSuper(int l4Protocol) {
        if (header.gsoSize == 0 || (header.flags & VirtioNetHeader.F_NEEDS_CSUM) == 0) {
            return MALFORMED;
        }
        if (protocol != l4Protocol) {
            return v6 && isIpv6ExtensionHeader(protocol) ? UNSUPPORTED : MALFORMED;
        }
        if (v6) {
            if (BigEndian.u16(buf, pkt + 4) != pktLen - 40) {
                return MALFORMED;
            }
        } else {
            boolean fragment = (BigEndian.u16(buf, pkt + 6) & 0x3FFF) != 0;
            if (fragment || BigEndian.u16(buf, pkt + 2) != pktLen) {
                return MALFORMED;
            }
        }
        int t = pkt + ipHeader;
        if (l4Protocol == TCP) {
            if (ipHeader + TCP_HEADER_MIN > pktLen) {
                return MALFORMED;
            }
            l4Header = ((buf[t + 12] & 0xFF) >>> 4) * 4;
            if (l4Header < TCP_HEADER_MIN) {
                return MALFORMED;
            }
        } else {
            l4Header = UDP_HEADER;
        }
        int checkOffset = l4Protocol == TCP ? TCP_CHECK_OFFSET : UDP_CHECK_OFFSET;
        // hdr_len is not trusted (Linux puts the linear part there), but csum_start must name this L4 header.
        if (header.csumStart != ipHeader || header.csumOffset != checkOffset) {
            return MALFORMED;
        }
        payload = pktLen - ipHeader - l4Header;
        if (payload <= 0) {
            return MALFORMED;
        }
        protocol = l4Protocol;
        gsoSize = header.gsoSize;
        segments = (payload + gsoSize - 1) / gsoSize;
        segmentLength = ipHeader + l4Header + Math.min(gsoSize, payload);
        firstId = BigEndian.u16(buf, pkt + 4);
        firstSeq = l4Protocol == TCP ? BigEndian.i32(buf, t + 4) : 0;
        if (segments == 1) {
            finishSegment(buf, pkt, 0, payload);
        }
        return segments;
    }

    /** Rewrites lengths, ids, sequence number, flags and checksums of segment {@code i} at {@code b[o...]}. */
    private void finishSegment(byte[] b, int o, int i, int size) {
        int l4Len = l4Header + size;
        int pseudo;
        if (v6) {
            BigEndian.put16(b, o + 4, l4Len);
            pseudo = Checksum.pseudoHeaderV6(b, o, protocol, l4Len);
        } else {
            BigEndian.put16(b, o + 2, ipHeader + l4Len);
            BigEndian.put16(b, o + 4, (firstId + i) & 0xFFFF);
            BigEndian.put16(b, o + 10, 0);
            BigEndian.put16(b, o + 10, Checksum.compute(b, o, ipHeader, 0));
            pseudo = Checksum.pseudoHeaderV4(b, o, protocol, l4Len);
        }
        int t = o + ipHeader;
        if (protocol == TCP) {
            BigEndian.put32(b, t + 4, firstSeq + i * gsoSize);
            int flags = b[t + 13] & 0xFF;
            if (i > 0) {
                flags &= ~CWR;
            }
            if (i < segments - 1) {
                flags &= ~(FIN | PSH);
            }
            b[t + 13] = (byte) flags;
            BigEndian.put16(b, t + TCP_CHECK_OFFSET, 0);
            BigEndian.put16(b, t + TCP_CHECK_OFFSET, Checksum.compute(b, t, l4Len, pseudo));
        } else {
            BigEndian.put16(b, t + 4, l4Len);
            BigEndian.put16(b, t + UDP_CHECK_OFFSET, 0);
            int check = Checksum.compute(b, t, l4Len, pseudo);
            // RFC 768: a computed zero is sent as all ones, zero meaning "no checksum"
            BigEndian.put16(b, t + UDP_CHECK_OFFSET, check == 0 ? 0xFFFF : check);
        }
    }

    /** RFC 8200 4 and the IANA list of IPv6 extension header types (RFC 7045). */
    private static boolean isIpv6ExtensionHeader(int next) {
        switch (next) {
            case 0: case 43: case 44: case 50: case 51: case 60: case 135: case 139: case 140: case 253: case 254:
                return true;
            default:
                return false;
        }
    }
}
