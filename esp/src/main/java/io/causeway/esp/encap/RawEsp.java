package io.causeway.esp.encap;

/**
 * ESP straight over IP (protocol 50). A Linux raw IPv4 socket hands us the IP header too (raw(7)); a raw
 * IPv6 socket does not, so only IPv4 needs {@link #skipIpv4Header}.
 */
public final class RawEsp {
    public static final int IP_PROTOCOL = 50;

    private RawEsp() {
    }

    /** Offset of the ESP header after the IPv4 header at {@code off}, or -1 if it is not IPv4/ESP or too short. */
    public static int skipIpv4Header(byte[] b, int off, int len) {
        if (len < 20 || (b[off] & 0xF0) != 0x40) {
            return -1;
        }
        int ihl = (b[off] & 0x0F) * 4;
        if (ihl < 20 || len < ihl + 8 || (b[off + 9] & 0xFF) != IP_PROTOCOL) {
            return -1;
        }
        return off + ihl;
    }
}
