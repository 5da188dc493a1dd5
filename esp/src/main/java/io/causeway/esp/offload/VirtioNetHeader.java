package io.causeway.esp.offload;

/**
 * {@code struct virtio_net_hdr} (Linux include/uapi/linux/virtio_net.h), the 10 bytes in front of every packet a
 * TUN device opened with IFF_VNET_HDR reads or writes: u8 flags, u8 gso_type, then u16 hdr_len, gso_size,
 * csum_start and csum_offset.
 *
 * <p>The u16 fields are in host byte order: TUN uses the legacy virtio layout, whose byte order is the host's
 * unless TUNSETVNETLE/BE say otherwise. Causeway runs on x86-64 and arm64, both little-endian, so they are
 * coded little-endian here.
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;

    /** csum_start/csum_offset name a checksum still to be completed (the packet is CHECKSUM_PARTIAL). */
    public static final int F_NEEDS_CSUM = 1;
    /** The checksums were already verified; set only on packets read from the device. */
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UFO, IPv4 fragmentation of one big UDP datagram; the kernel no longer produces it for new senders. */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** USO: a UDP super-packet cut into separate datagrams of gso_size payload bytes. */
    public static final int GSO_UDP_L4 = 5;
    /** Or-ed into gso_type: the TCP super-packet carries CWR, which only its first segment may keep. */
    public static final int GSO_ECN = 0x80;

    public int flags;
    public int gsoType;
    /** Length of the headers before the payload; senders fill it loosely (Linux writes the linear part). */
    public int hdrLen;
    public int gsoSize;
    /** Where the checksummed range starts, from the start of the IP packet. */
    public int csumStart;
    /** Where the checksum field is, from csumStart. */
    public int csumOffset;

    public void decode(byte[] b, int off) {
        flags = b[off] & 0xFF;
        gsoType = b[off + 1] & 0xFF;
        hdrLen = u16(b, off + 2);
        gsoSize = u16(b, off + 4);
        csumStart = u16(b, off + 6);
        csumOffset = u16(b, off + 8);
    }

    public void encode(byte[] b, int off) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        put16(b, off + 2, hdrLen);
        put16(b, off + 4, gsoSize);
        put16(b, off + 6, csumStart);
        put16(b, off + 8, csumOffset);
    }

    /** A plain packet whose checksums are complete: no flags, GSO_NONE, every field zero. */
    public static void encodeNone(byte[] b, int off) {
        for (int i = 0; i < LENGTH; i++) {
            b[off + i] = 0;
        }
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
