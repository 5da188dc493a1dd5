package io.causeway.daemon.dataplane;

import io.causeway.esp.offload.VirtioNetHeader;

/**
 * What a TUN read with TSO returns for a bulk TCP sender: a virtio-net header (GSO_TCPV4, NEEDS_CSUM) and one IPv4
 * TCP super-packet whose checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL), as Linux hands it to a
 * device with checksum offload. Layouts: IPv4 RFC 791 3.1, TCP RFC 9293 3.1, struct virtio_net_hdr from Linux
 * include/uapi/linux/virtio_net.h (little-endian u16s on the hosts Causeway runs on).
 */
final class TcpSuperPacket {
    static final int IP_HEADER = 20;
    static final int TCP_HEADER = 20;

    private TcpSuperPacket() {}

    /** {@code segments} segments of {@code mss} payload bytes from {@code src} to {@code dst} (IPv4, big-endian). */
    static byte[] frame(int src, int dst, int mss, int segments) {
        int payload = mss * segments;
        int total = IP_HEADER + TCP_HEADER + payload;
        if (total > 65_535) throw new IllegalArgumentException("an IPv4 packet holds 65,535 bytes, not " + total);
        byte[] f = new byte[VirtioNetHeader.LENGTH + total];
        VirtioNetHeader h = new VirtioNetHeader();
        h.flags = VirtioNetHeader.F_NEEDS_CSUM;
        h.gsoType = VirtioNetHeader.GSO_TCPV4;
        h.hdrLen = IP_HEADER + TCP_HEADER;
        h.gsoSize = mss;
        h.csumStart = IP_HEADER;
        h.csumOffset = 16;
        h.encode(f, 0);

        int ip = VirtioNetHeader.LENGTH;
        f[ip] = 0x45;
        put16(f, ip + 2, total);
        put16(f, ip + 4, 0x1234); // identification
        f[ip + 6] = 0x40; // DF
        f[ip + 8] = 64; // TTL
        f[ip + 9] = 6; // TCP
        put32(f, ip + 12, src);
        put32(f, ip + 16, dst);
        put16(f, ip + 10, ~sum(f, ip, IP_HEADER, 0) & 0xFFFF);

        int tcp = ip + IP_HEADER;
        put16(f, tcp, 40_000);
        put16(f, tcp + 2, 5201);
        put32(f, tcp + 4, 1_000_000);
        put32(f, tcp + 8, 7);
        f[tcp + 12] = (byte) ((TCP_HEADER / 4) << 4);
        f[tcp + 13] = 0x18; // PSH, ACK
        put16(f, tcp + 14, 65_000);
        for (int i = 0; i < payload; i++) f[tcp + TCP_HEADER + i] = (byte) (i * 31 + 7);
        // CHECKSUM_PARTIAL: the pseudo-header sum over addresses, protocol and TCP length, not complemented
        int pseudo = sum(f, ip + 12, 8, 6 + TCP_HEADER + payload);
        put16(f, tcp + 16, pseudo);
        return f;
    }

    private static int sum(byte[] b, int off, int len, int initial) {
        long s = initial;
        for (int i = 0; i + 1 < len; i += 2) s += (b[off + i] & 0xFF) << 8 | (b[off + i + 1] & 0xFF);
        if ((len & 1) != 0) s += (b[off + len - 1] & 0xFF) << 8;
        while ((s >>> 16) != 0) s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }
}
