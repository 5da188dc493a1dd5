package io.causeway.ike.v1.crypto;

import java.net.InetSocketAddress;

/**
 * NAT-D payload data (RFC 3947 section 3.2): HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash
 * (not its HMAC), the address 4 bytes for IPv4 and 16 for IPv6, the port 2 bytes.
 */
public final class NatDetectionV1 {
    private NatDetectionV1() {
    }

    public static byte[] hash(V1Hash hash, long cookieI, long cookieR, InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("NAT-D needs a resolved address: " + address);
        }
        int port = address.getPort();
        return hash.hash(Bytes.of(cookieI), Bytes.of(cookieR), address.getAddress().getAddress(),
                new byte[] {(byte) (port >>> 8), (byte) port});
    }

    /** Whether received NAT-D data matches the address, compared in constant time. */
    public static boolean matches(byte[] natdData, V1Hash hash, long cookieI, long cookieR,
                                  InetSocketAddress address) {
        return Bytes.constantTimeEquals(hash(hash, cookieI, cookieR, address), natdData);
    }
}
