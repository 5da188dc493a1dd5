package io.causeway.daemon.dataplane;

import io.causeway.esp.offload.VirtioNetHeader;

/** Sizes of the per-worker packet buffers: one buffer holds a packet from read to write. */
final class PacketBuffers {
    /** Room in front of the inner packet for the outer ESP header and IV, so sealing is in place. */
    static final int HEADROOM = 64;
    /** Largest datagram or TUN frame handled; jumbo frames are not supported. */
    static final int SIZE = 65_536 + HEADROOM;
    /** The virtio-net header in front of every packet a TUN device with offloads reads or writes. */
    static final int TUN_HEADER = VirtioNetHeader.LENGTH;
    /** What one read of a TUN device with offloads can return: the header and a 64 KiB super-packet. */
    static final int SUPER_PACKET = TUN_HEADER + 65_535;

    private PacketBuffers() {}
}
