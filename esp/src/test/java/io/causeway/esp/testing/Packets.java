package io.causeway.esp.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;

/** Builds inner IPv4/IPv6 packets for tests (checksums left zero: nothing here verifies them). */
public final class Packets {
    public static final int UDP = 17;
    public static final int TCP = 6;

    private Packets() {
    }

    /** An IP packet with a UDP/TCP header carrying {@code payload} pseudo-random bytes. */
    public static byte[] ip(String src, String dst, int proto, int srcPort, int dstPort, int payload, long seed) {
        byte[] s = addr(src);
        byte[] d = addr(dst);
        int l4 = proto == TCP ? 20 : 8;
        boolean v6 = s.length == 16;
        int hdr = v6 ? 40 : 20;
        byte[] p = new byte[hdr + l4 + payload];
        if (v6) {
            p[0] = 0x60;
            p[4] = (byte) ((l4 + payload) >> 8);
            p[5] = (byte) (l4 + payload);
            p[6] = (byte) proto;
            p[7] = 64;
            System.arraycopy(s, 0, p, 8, 16);
            System.arraycopy(d, 0, p, 24, 16);
        } else {
            p[0] = 0x45;
            p[2] = (byte) (p.length >> 8);
            p[3] = (byte) p.length;
            p[8] = 64;
            p[9] = (byte) proto;
            System.arraycopy(s, 0, p, 12, 4);
            System.arraycopy(d, 0, p, 16, 4);
        }
        p[hdr] = (byte) (srcPort >> 8);
        p[hdr + 1] = (byte) srcPort;
        p[hdr + 2] = (byte) (dstPort >> 8);
        p[hdr + 3] = (byte) dstPort;
        byte[] body = new byte[payload];
        new Random(seed).nextBytes(body);
        System.arraycopy(body, 0, p, hdr + l4, payload);
        return p;
    }

    public static byte[] udp(String src, String dst, int payload) {
        return ip(src, dst, UDP, 1234, 53, payload, payload);
    }

    private static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }
}
