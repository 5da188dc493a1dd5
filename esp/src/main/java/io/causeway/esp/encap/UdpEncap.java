package io.causeway.esp.encap;

/** UDP encapsulation of ESP for NAT traversal (RFC 3948): telling ESP, IKE and keepalives apart on port 4500. */
public final class UdpEncap {
    /** IKE and UDP-encapsulated ESP share this port (RFC 3948 2, RFC 7296 2.23). */
    public static final int PORT = 4500;
    /** The 4 zero bytes that precede an IKE message on port 4500 (RFC 3948 2.2). */
    public static final int NON_ESP_MARKER_BYTES = 4;
    /** NAT-keepalive payload (RFC 3948 2.3). */
    public static final byte KEEPALIVE_BYTE = (byte) 0xFF;
    public static final int UDP_HEADER_BYTES = 8;

    private UdpEncap() {
    }

    /** An IKE message: a zero "SPI" where ESP would have a non-zero one (RFC 3948 2.2). */
    public static boolean isNonEspMarker(byte[] b, int off, int len) {
        return len >= NON_ESP_MARKER_BYTES && b[off] == 0 && b[off + 1] == 0 && b[off + 2] == 0 && b[off + 3] == 0;
    }

    /** A one-byte 0xFF datagram that only keeps the NAT mapping alive; discard it. */
    public static boolean isKeepalive(byte[] b, int off, int len) {
        return len == 1 && b[off] == KEEPALIVE_BYTE;
    }

    /** Anything else of at least an ESP header is ESP; its SPI is the first 4 bytes. */
    public static boolean isEsp(byte[] b, int off, int len) {
        return len >= 8 && !isNonEspMarker(b, off, len);
    }
}
