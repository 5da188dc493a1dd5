package io.causeway.tun.testing;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built IPv4 packets for writing into a TUN. */
public final class Packets {
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_ACK = 0x10;

    private Packets() {
    }

    public static byte[] icmpEchoRequest(InetAddress src, InetAddress dst, int id, int seq, byte[] data) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + data.length);
        icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
        icmp.putShort(2, checksum(icmp.array(), 0, icmp.capacity()));
        return ipv4(src, dst, ICMP, icmp.array());
    }

    public static byte[] udp(InetAddress src, int srcPort, InetAddress dst, int dstPort, byte[] data) {
        ByteBuffer udp = ByteBuffer.allocate(8 + data.length);
        // Checksum 0: "none", allowed for UDP over IPv4.
        udp.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udp.capacity()).putShort((short) 0).put(data);
        return ipv4(src, dst, UDP, udp.array());
    }

    /** A UDP datagram whose checksum is filled in (RFC 768), for receivers that verify it. */
    public static byte[] udpWithChecksum(InetAddress src, int srcPort, InetAddress dst, int dstPort, byte[] data) {
        ByteBuffer udp = ByteBuffer.allocate(8 + data.length);
        udp.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udp.capacity()).putShort((short) 0).put(data);
        short sum = transportChecksum(src, dst, UDP, udp.array());
        // A computed 0 goes on the wire as 0xffff: 0 means "no checksum" (RFC 768).
        udp.putShort(6, sum == 0 ? (short) 0xffff : sum);
        return ipv4(src, dst, UDP, udp.array());
    }

    /** A TCP segment (RFC 9293 3.1) with {@code options} (a multiple of 4 bytes) and its checksum. */
    public static byte[] tcp(InetAddress src, int srcPort, InetAddress dst, int dstPort, long seq, long ack,
            int flags, int window, byte[] options, byte[] data) {
        if (options.length % 4 != 0) {
            throw new IllegalArgumentException("TCP options must be padded to 4 bytes");
        }
        int headerLength = 20 + options.length;
        ByteBuffer tcp = ByteBuffer.allocate(headerLength + data.length);
        tcp.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack);
        tcp.put((byte) (headerLength / 4 << 4)).put((byte) flags).putShort((short) window);
        tcp.putShort((short) 0).putShort((short) 0).put(options).put(data);
        tcp.putShort(16, transportChecksum(src, dst, TCP, tcp.array()));
        return ipv4(src, dst, TCP, tcp.array());
    }

    /** The TCP/UDP checksum over the IPv4 pseudo-header and {@code segment} (RFC 9293 3.1, RFC 768). */
    public static short transportChecksum(InetAddress src, InetAddress dst, int protocol, byte[] segment) {
        ByteBuffer b = ByteBuffer.allocate(12 + segment.length);
        b.put(src.getAddress()).put(dst.getAddress()).put((byte) 0).put((byte) protocol)
                .putShort((short) segment.length).put(segment);
        return checksum(b.array(), 0, b.capacity());
    }

    public static byte[] ipv4(InetAddress src, InetAddress dst, int protocol, byte[] payload) {
        ByteBuffer ip = ByteBuffer.allocate(20 + payload.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity());
        ip.putShort((short) 0x1234).putShort((short) 0x4000); // id, DF
        ip.put((byte) 64).put((byte) protocol).putShort((short) 0);
        ip.put(src.getAddress()).put(dst.getAddress()).put(payload);
        ip.putShort(10, checksum(ip.array(), 0, 20));
        return ip.array();
    }

    /** The Internet checksum (RFC 1071). */
    public static short checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
