package io.causeway.tun.testing;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Hand-built IPv4 packets for writing into a TUN. */
public final class Packets {
    public static final int ICMP = 1;
    public static final int UDP = 17;

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
