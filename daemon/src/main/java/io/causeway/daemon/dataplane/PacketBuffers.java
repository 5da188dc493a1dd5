package io.causeway.daemon.dataplane;

/** Sizes of the per-worker packet buffers: one buffer holds a packet from read to write. */
final class PacketBuffers {
    /** Room in front of the inner packet for the outer ESP header and IV, so sealing is in place. */
    static final int HEADROOM = 64;
    /** Largest datagram or TUN frame handled; jumbo frames are not supported. */
    static final int SIZE = 65_536 + HEADROOM;

    private PacketBuffers() {}
}
