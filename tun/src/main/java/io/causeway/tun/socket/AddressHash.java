package io.causeway.tun.socket;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IP address folded into an int without allocating, the same from a received sockaddr
 * ({@link UdpReceiveBuffer#senderAddressHash()}) as from an {@link InetAddress}: IPv4 is the address
 * itself in network order (as {@code Inet4Address.hashCode()}), IPv6 the XOR of its four 32-bit
 * words. For per-source limits, where two addresses that fold alike only share a bucket.
 */
public final class AddressHash {
    private AddressHash() {
    }

    public static int of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.hashCode();
        }
        byte[] bytes = address.getAddress();
        return fold16(bytes, 0);
    }

    /** The fold of the 16 octets {@code b[at, at+16)}. */
    static int fold16(byte[] b, int at) {
        int h = 0;
        for (int word = 0; word < 4; word++) {
            h ^= word(b[at + 4 * word], b[at + 4 * word + 1], b[at + 4 * word + 2], b[at + 4 * word + 3]);
        }
        return h;
    }

    static int word(byte b0, byte b1, byte b2, byte b3) {
        return (b0 & 0xff) << 24 | (b1 & 0xff) << 16 | (b2 & 0xff) << 8 | (b3 & 0xff);
    }
}
