package io.causeway.esp.offload;

import java.util.Arrays;

/**
 * One pending super-packet: the first segment's headers and the payload of every segment that joined it, behind
 * room for the virtio_net_hdr it will be written with.
 */
final class GroSlot {
    private static final int PKT = VirtioNetHeader.LENGTH;
    private static final int TCP = 6;

    final byte[] buf = new byte[PKT + GroCoalescer.MAX_LENGTH];
    boolean used;
    long started;
    private boolean v6;
    private int ipHeader;
    private int tcpHeader;
    private int length;
    private int gsoSize;
    private int segments;
    private int nextSeq;

    /** Same IP version, addresses and ports. */
    boolean sameFlow(TcpSegment s) {
        if (!used || s.v6 != v6) {
            return false;
        }
        int from = v6 ? 8 : 12;
        int to = v6 ? 40 : 20;
        int t = PKT + ipHeader;
        return Arrays.equals(buf, PKT + from, PKT + to, s.b, s.off + from, s.off + to)
                && Arrays.equals(buf, t, t + 4, s.b, s.tcp(), s.tcp() + 4);
    }

    /**
     * Whether {@code s}, of this flow, continues the super-packet so that cutting it up again gives back the
     * segments as they were: the IP fields every segment repeats, the same TCP header apart from the sequence
     * number, and a payload no longer than the first one's.
     */
    boolean canJoin(TcpSegment s) {
        byte[] p = s.b;
        int o = s.off;
        if (v6) {
            // version, traffic class and flow label; hop limit
            if (!Arrays.equals(buf, PKT, PKT + 4, p, o, o + 4) || buf[PKT + 7] != p[o + 7]) {
                return false;
            }
        } else {
            // TOS; TTL; the flags byte, which holds DF (fragments never get here)
            if (buf[PKT + 1] != p[o + 1] || buf[PKT + 8] != p[o + 8] || buf[PKT + 6] != p[o + 6]) {
                return false;
            }
            // Without DF the receiver may need the ids; segmentation numbers them first + i, so they must be.
            boolean df = (buf[PKT + 6] & 0x40) != 0;
            if (!df && BigEndian.u16(p, o + 4) != ((BigEndian.u16(buf, PKT + 4) + segments) & 0xFFFF)) {
                return false;
            }
        }
        int t = PKT + ipHeader;
        int st = s.tcp();
        return s.tcpHeader == tcpHeader
                && s.seq == nextSeq
                && s.payload <= gsoSize
                && length + s.payload <= GroCoalescer.MAX_LENGTH
                && segments < GroCoalescer.MAX_SEGMENTS
                // acknowledgment number, then window, then options
                && Arrays.equals(buf, t + 8, t + 12, p, st + 8, st + 12)
                && Arrays.equals(buf, t + 14, t + 16, p, st + 14, st + 16)
                && Arrays.equals(buf, t + 20, t + tcpHeader, p, st + 20, st + tcpHeader);
    }

    void start(TcpSegment s, long order) {
        System.arraycopy(s.b, s.off, buf, PKT, s.len);
        used = true;
        started = order;
        v6 = s.v6;
        ipHeader = s.ipHeader;
        tcpHeader = s.tcpHeader;
        length = s.len;
        gsoSize = s.payload;
        segments = 1;
        nextSeq = s.seq + s.payload;
    }

    /** Appends a segment {@link #canJoin} accepted; true when nothing more can follow it. */
    boolean append(TcpSegment s) {
        System.arraycopy(s.b, s.tcp() + s.tcpHeader, buf, PKT + length, s.payload);
        length += s.payload;
        segments++;
        nextSeq += s.payload;
        if (s.psh) {
            buf[PKT + ipHeader + 13] |= TcpSegment.PSH;
        }
        // a short segment must be the last one: segmentation cuts every other piece at gso_size
        return s.psh || s.payload < gsoSize || segments == GroCoalescer.MAX_SEGMENTS
                || length + gsoSize > GroCoalescer.MAX_LENGTH;
    }

    /**
     * Puts the virtio_net_hdr in front and, for a merged packet, the lengths and checksums it needs; returns how
     * many bytes of {@link #buf} to write. The slot is free afterwards.
     */
    int finish(VirtioNetHeader h) {
        used = false;
        if (segments == 1) {
            VirtioNetHeader.encodeNone(buf, 0);
            return PKT + length;
        }
        int l4Len = length - ipHeader;
        int pseudo;
        if (v6) {
            BigEndian.put16(buf, PKT + 4, l4Len);
            pseudo = Checksum.pseudoHeaderV6(buf, PKT, TCP, l4Len);
        } else {
            BigEndian.put16(buf, PKT + 2, length);
            BigEndian.put16(buf, PKT + 10, 0);
            BigEndian.put16(buf, PKT + 10, Checksum.compute(buf, PKT, ipHeader, 0));
            pseudo = Checksum.pseudoHeaderV4(buf, PKT, TCP, l4Len);
        }
        // CHECKSUM_PARTIAL: the kernel adds the segment bytes to this uncomplemented pseudo-header sum
        BigEndian.put16(buf, PKT + ipHeader + 16, pseudo);
        h.flags = VirtioNetHeader.F_NEEDS_CSUM;
        h.gsoType = v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
        h.hdrLen = ipHeader + tcpHeader;
        h.gsoSize = gsoSize;
        h.csumStart = ipHeader;
        h.csumOffset = 16;
        h.encode(buf, 0);
        return PKT + length;
    }
}
