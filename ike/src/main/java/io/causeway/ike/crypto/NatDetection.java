package io.causeway.ike.crypto;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP notification data (RFC 7296 section 2.23):
 * SHA-1(SPIi | SPIr | IP | Port), the address 4 bytes for IPv4 and 16 for IPv6, the port 2 bytes.
 */
public final class NatDetection {
    /** Length of the notification data. */
    public static final int HASH_BYTES = 20;

    private NatDetection() {
    }

    /** {@code spiR} is all zero in the IKE_SA_INIT request, as its header carries it. */
    public static byte[] hash(byte[] spiI, byte[] spiR, InetAddress address, int port) {
        if (spiI.length != 8 || spiR.length != 8) {
            throw new IllegalArgumentException("IKE SPIs are 8 bytes");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
        sha1.update(spiI);
        sha1.update(spiR);
        sha1.update(address.getAddress());
        sha1.update((byte) (port >>> 8));
        sha1.update((byte) port);
        return sha1.digest();
    }

    public static byte[] hash(byte[] spiI, byte[] spiR, InetSocketAddress endpoint) {
        return hash(spiI, spiR, endpoint.getAddress(), endpoint.getPort());
    }

    /** Whether a received notification matches the endpoint, compared in constant time. */
    public static boolean matches(byte[] notificationData, byte[] spiI, byte[] spiR, InetSocketAddress endpoint) {
        return Octets.constantTimeEquals(hash(spiI, spiR, endpoint), notificationData);
    }
}
