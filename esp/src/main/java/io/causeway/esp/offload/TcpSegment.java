package io.causeway.esp.offload;

/**
 * One arriving inner packet seen as a TCP segment that could be coalesced, or not. Reused for every packet; it
 * holds a reference to the caller's bytes only until the next {@link #parse}.
 */
final class TcpSegment {
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    private static final int TCP = 6;

    byte[] b;
    int off;
    int len;
    boolean v6;
    int ipHeader;
    int tcpHeader;
    int payload;
    int seq;
    boolean psh;

    /**
     * True for a TCP segment the coalescer may merge: no IPv4 options or fragments, no IPv6 extension headers,
     * lengths that agree with {@code len}, flags ACK or ACK|PSH only, some payload, and checksums that verify
     * (a merged packet goes up as CHECKSUM_PARTIAL, so the kernel would never see a bad one).
     */
    boolean parse(byte[] b, int off, int len) {
        this.b = b;
        this.off = off;
        this.len = len;
        if (len < 40) {
            return false;
        }
        int first = b[off] & 0xFF;
        if (first == 0x45) {
            v6 = false;
            ipHeader = 20;
            boolean fragment = (BigEndian.u16(b, off + 6) & 0x3FFF) != 0;
            if (fragment || b[off + 9] != TCP || BigEndian.u16(b, off + 2) != len
                    || !Checksum.verifies(b, off, 20, 0)) {
                return false;
            }
        } else if (first >>> 4 == 6) {
            v6 = true;
            ipHeader = 40;
            if (len < 60 || b[off + 6] != TCP || BigEndian.u16(b, off + 4) != len - 40) {
                return false;
            }
        } else {
            return false;
        }
        int t = off + ipHeader;
        tcpHeader = ((b[t + 12] & 0xFF) >>> 4) * 4;
        payload = len - ipHeader - tcpHeader;
        int flags = b[t + 13] & 0xFF;
        // the low nibble of byte 12 holds AE (RFC 3540/AccECN) and reserved bits: none may be set
        if (tcpHeader < 20 || payload <= 0 || (b[t + 12] & 0x0F) != 0 || (flags & ~(ACK | PSH)) != 0
                || (flags & ACK) == 0) {
            return false;
        }
        int l4Len = len - ipHeader;
        int pseudo = v6 ? Checksum.pseudoHeaderV6(b, off, TCP, l4Len) : Checksum.pseudoHeaderV4(b, off, TCP, l4Len);
        if (!Checksum.verifies(b, t, l4Len, pseudo)) {
            return false;
        }
        seq = BigEndian.i32(b, t + 4);
        psh = (flags & PSH) != 0;
        return true;
    }

    int tcp() {
        return off + ipHeader;
    }
}
