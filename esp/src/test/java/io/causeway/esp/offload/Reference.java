package io.causeway.esp.offload;

import java.util.Arrays;

/**
 * Straightforward packet building for the offload tests, independent of the code under test: 16-bit checksum
 * loops, header fields written one by one. Layouts: IPv4 RFC 791 3.1, IPv6 RFC 8200 3, TCP RFC 9293 3.1 (was RFC
 * 793), UDP RFC 768, pseudo-headers RFC 9293 3.1 and RFC 8200 8.1; struct virtio_net_hdr from Linux
 * include/uapi/linux/virtio_net.h, its u16s little-endian on the hosts Causeway runs on.
 */
final class Reference {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int ECE = 0x40;
    static final int CWR = 0x80;

    /** NOP, NOP, timestamps (kind 8, length 10): what Linux puts on every segment of an established flow. */
    static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 1, 2, 3, 4, 5, 6, 7};
    /** Router Alert (RFC 2113): a legal four-byte IPv4 option. */
    static final byte[] ROUTER_ALERT = {(byte) 0x94, 4, 0, 0};

    private Reference() {
    }

    /** The IP layer of a test packet: addresses (4 or 16 bytes) and the fields the coalescer compares. */
    record Ip(byte[] src, byte[] dst, int tos, int ttl, boolean df, int id, byte[] options, int flowLabel) {
        static Ip v4(int id) {
            return new Ip(new byte[] {10, 1, 0, 1}, new byte[] {10, 2, 0, 2}, 0, 64, true, id, new byte[0], 0);
        }

        static Ip v6() {
            byte[] s = new byte[16];
            byte[] d = new byte[16];
            s[0] = d[0] = (byte) 0xfd;
            s[15] = 1;
            d[15] = 2;
            return new Ip(s, d, 0x20, 64, true, 0, new byte[0], 0x12345);
        }

        boolean isV6() {
            return src.length == 16;
        }

        int headerLength() {
            return isV6() ? 40 : 20 + options.length;
        }

        Ip withId(int newId) {
            return new Ip(src, dst, tos, ttl, df, newId & 0xFFFF, options, flowLabel);
        }

        Ip withOptions(byte[] o) {
            return new Ip(src, dst, tos, ttl, df, id, o, flowLabel);
        }

        Ip withTos(int t) {
            return new Ip(src, dst, t, ttl, df, id, options, flowLabel);
        }

        Ip withDf(boolean d) {
            return new Ip(src, dst, tos, ttl, d, id, options, flowLabel);
        }

        Ip swapped() {
            return new Ip(dst, src, tos, ttl, df, id, options, flowLabel);
        }
    }

    /** A TCP segment with every checksum complete. */
    static byte[] tcp(Ip ip, int sport, int dport, int seq, int ack, int flags, int window, byte[] options,
            byte[] payload) {
        byte[] l4 = new byte[20 + options.length + payload.length];
        put16(l4, 0, sport);
        put16(l4, 2, dport);
        put32(l4, 4, seq);
        put32(l4, 8, ack);
        l4[12] = (byte) (((20 + options.length) / 4) << 4);
        l4[13] = (byte) flags;
        put16(l4, 14, window);
        System.arraycopy(options, 0, l4, 20, options.length);
        System.arraycopy(payload, 0, l4, 20 + options.length, payload.length);
        byte[] p = ip(ip, TCP, l4);
        put16(p, ip.headerLength() + 16, ~sum(p, ip.headerLength(), l4.length, pseudo(p, ip, TCP, l4.length)));
        return p;
    }

    /** A UDP datagram with every checksum complete. */
    static byte[] udp(Ip ip, int sport, int dport, byte[] payload) {
        byte[] l4 = new byte[8 + payload.length];
        put16(l4, 0, sport);
        put16(l4, 2, dport);
        put16(l4, 4, l4.length);
        System.arraycopy(payload, 0, l4, 8, payload.length);
        byte[] p = ip(ip, UDP, l4);
        int check = ~sum(p, ip.headerLength(), l4.length, pseudo(p, ip, UDP, l4.length)) & 0xFFFF;
        put16(p, ip.headerLength() + 6, check == 0 ? 0xFFFF : check);
        return p;
    }

    /**
     * The packet as Linux hands it to a device for checksum offload (CHECKSUM_PARTIAL): the transport checksum
     * field holds the pseudo-header sum, folded and not complemented.
     */
    static byte[] partial(byte[] full, Ip ip, int proto) {
        byte[] p = full.clone();
        int l4Len = p.length - ip.headerLength();
        put16(p, ip.headerLength() + (proto == TCP ? 16 : 6), pseudo(p, ip, proto, l4Len));
        return p;
    }

    /** A struct virtio_net_hdr followed by the packet, as a TUN read returns them. */
    static byte[] vnet(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset, byte[] pkt) {
        byte[] b = new byte[10 + pkt.length];
        b[0] = (byte) flags;
        b[1] = (byte) gsoType;
        putLe16(b, 2, hdrLen);
        putLe16(b, 4, gsoSize);
        putLe16(b, 6, csumStart);
        putLe16(b, 8, csumOffset);
        System.arraycopy(pkt, 0, b, 10, pkt.length);
        return b;
    }

    static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static byte[] payload(int len, int seed) {
        byte[] p = new byte[len];
        new java.util.Random(seed).nextBytes(p);
        return p;
    }

    static byte[] slice(byte[] b, int from, int len) {
        return Arrays.copyOfRange(b, from, from + len);
    }

    /** True when the IPv4 header checksum (if IPv4) and the TCP or UDP checksum both verify. */
    static boolean checksumsVerify(byte[] p) {
        boolean v6 = (p[0] & 0xF0) == 0x60;
        int hl = v6 ? 40 : (p[0] & 0x0F) * 4;
        int proto = v6 ? p[6] & 0xFF : p[9] & 0xFF;
        int l4Len = p.length - hl;
        if (!v6 && (sum(p, 0, hl, 0) & 0xFFFF) != 0xFFFF) {
            return false;
        }
        int pseudo = v6 ? pseudoV6(p, proto, l4Len) : pseudoV4(p, proto, l4Len);
        return sum(p, hl, l4Len, pseudo) == 0xFFFF;
    }

    static int sum(byte[] b, int off, int len, int initial) {
        long s = initial & 0xFFFFFFFFL;
        for (int i = 0; i < len; i += 2) {
            s += (b[off + i] & 0xFF) << 8 | (i + 1 < len ? b[off + i + 1] & 0xFF : 0);
        }
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    static int i32(byte[] b, int off) {
        return u16(b, off) << 16 | u16(b, off + 2);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }

    private static byte[] ip(Ip ip, int proto, byte[] l4) {
        int hl = ip.headerLength();
        byte[] p = new byte[hl + l4.length];
        if (ip.isV6()) {
            put32(p, 0, 6 << 28 | ip.tos() << 20 | ip.flowLabel());
            put16(p, 4, l4.length);
            p[6] = (byte) proto;
            p[7] = (byte) ip.ttl();
            System.arraycopy(ip.src(), 0, p, 8, 16);
            System.arraycopy(ip.dst(), 0, p, 24, 16);
        } else {
            p[0] = (byte) (0x40 | hl / 4);
            p[1] = (byte) ip.tos();
            put16(p, 2, p.length);
            put16(p, 4, ip.id());
            p[6] = (byte) (ip.df() ? 0x40 : 0);
            p[8] = (byte) ip.ttl();
            p[9] = (byte) proto;
            System.arraycopy(ip.src(), 0, p, 12, 4);
            System.arraycopy(ip.dst(), 0, p, 16, 4);
            System.arraycopy(ip.options(), 0, p, 20, ip.options().length);
            put16(p, 10, ~sum(p, 0, hl, 0));
        }
        System.arraycopy(l4, 0, p, hl, l4.length);
        return p;
    }

    private static int pseudo(byte[] p, Ip ip, int proto, int l4Len) {
        return ip.isV6() ? pseudoV6(p, proto, l4Len) : pseudoV4(p, proto, l4Len);
    }

    private static int pseudoV4(byte[] p, int proto, int l4Len) {
        byte[] ph = new byte[12];
        System.arraycopy(p, 12, ph, 0, 8);
        ph[9] = (byte) proto;
        put16(ph, 10, l4Len);
        return sum(ph, 0, 12, 0);
    }

    private static int pseudoV6(byte[] p, int proto, int l4Len) {
        byte[] ph = new byte[40];
        System.arraycopy(p, 8, ph, 0, 32);
        put32(ph, 32, l4Len);
        ph[39] = (byte) proto;
        return sum(ph, 0, 40, 0);
    }

    private static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
