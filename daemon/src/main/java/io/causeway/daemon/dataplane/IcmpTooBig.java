package io.causeway.daemon.dataplane;

import io.causeway.esp.offload.Checksum;

/**
  * Builds the ICMP error that tells a sender its packet does not fit the tunnel: IPv4
  * Destination Unreachable / Fragmentation Needed (RFC 792, RFC 1191) and ICMPv6 Packet Too Big
  * (RFC 4443 3.2). The error is written back into the TUN device, so the kernel delivers it to
  * the sender (local socket or forwarded host) as if a router on the path had sent it.
  *
  * <p>The source address of the error is the original destination: the tunnel interface may
  * have no address of its own, and the sender only matches the quoted header against its socket.
  */
public final class IcmpTooBig {
    private static final int IPV4_QUOTE_LIMIT = 576 - 20 - 8; // RFC 1812 4.3.2.3: at most 576 bytes
    private static final int IPV6_QUOTE_LIMIT = 1280 - 40 - 8; // RFC 4443 2.4(c): at most the minimum MTU

    private IcmpTooBig() {}

    /** True when the packet may not be fragmented on its way: IPv6 always, IPv4 with DF set. */
    public static boolean mustNotFragment(byte[] pkt, int off) {
        int version = (pkt[off] & 0xff) >>> 4;
        return version == 6 || (version == 4 && (pkt[off + 6] & 0x40) != 0);
    }

    /**
      * Writes the ICMP error for the packet at {@code pkt[off..off+len)} into {@code out} at 0 and
      * returns its length, or 0 when no error may be sent (an ICMP error itself, or not IPv4/IPv6).
      */
    public static int build(byte[] pkt, int off, int len, int mtu, byte[] out) {
        int version = (pkt[off] & 0xff) >>> 4;
        if (version == 4 && len >= 20) return ipv4(pkt, off, len, mtu, out);
        if (version == 6 && len >= 40) return ipv6(pkt, off, len, mtu, out);
        return 0;
    }

    private static int ipv4(byte[] pkt, int off, int len, int mtu, byte[] out) {
        int ihl = (pkt[off] & 0x0f) * 4;
        if (pkt[off + 9] == 1 && len > ihl && isIcmpv4Error(pkt[off + ihl] & 0xff)) return 0;
        int quote = Math.min(len, IPV4_QUOTE_LIMIT);
        int total = 20 + 8 + quote;
        out[0] = 0x45;
        out[1] = 0;
        putShort(out, 2, total);
        putShort(out, 4, 0);
        putShort(out, 6, 0);
        out[8] = 64;
        out[9] = 1; // ICMP
        putShort(out, 10, 0);
        System.arraycopy(pkt, off + 16, out, 12, 4); // source = original destination
        System.arraycopy(pkt, off + 12, out, 16, 4); // destination = original source
        putShort(out, 10, Checksum.compute(out, 0, 20, 0));
        out[20] = 3; // destination unreachable
        out[21] = 4; // fragmentation needed and DF set
        putShort(out, 22, 0);
        putShort(out, 24, 0);
        putShort(out, 26, mtu);
        System.arraycopy(pkt, off, out, 28, quote);
        putShort(out, 22, Checksum.compute(out, 20, 8 + quote, 0));
        return total;
    }

    private static int ipv6(byte[] pkt, int off, int len, int mtu, byte[] out) {
        if (pkt[off + 6] == 58 && len > 40 && (pkt[off + 40] & 0xff) < 128) return 0; // an ICMPv6 error
        int quote = Math.min(len, IPV6_QUOTE_LIMIT);
        int payload = 8 + quote;
        out[0] = 0x60;
        out[1] = 0;
        out[2] = 0;
        out[3] = 0;
        putShort(out, 4, payload);
        out[6] = 58; // ICMPv6
        out[7] = 64;
        System.arraycopy(pkt, off + 24, out, 8, 16);
        System.arraycopy(pkt, off + 8, out, 24, 16);
        out[40] = 2; // packet too big
        out[41] = 0;
        putShort(out, 42, 0);
        putShort(out, 44, mtu >>> 16);
        putShort(out, 46, mtu);
        System.arraycopy(pkt, off, out, 48, quote);
        int pseudo = Checksum.pseudoHeaderV6(out, 0, 58, payload); // RFC 8200 8.1
        putShort(out, 42, Checksum.compute(out, 40, payload, pseudo));
        return 40 + payload;
    }

    private static boolean isIcmpv4Error(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
