package io.causeway.daemon.dataplane;

/**
 * Where opened inner packets go: the TUN device, one write per packet, or coalesced into TCP super-packets on a
 * device with offloads. One per receiving thread; {@link #flush} ends each receive batch.
 */
interface InnerPacketSink {
    /**
     * Delivers the inner IP packet at {@code buf[off, off+len)}; the {@link PacketBuffers#TUN_HEADER} bytes in
     * front of it may be overwritten.
     */
    void deliver(byte[] buf, int off, int len);

    /** Writes whatever is still held back. */
    void flush();
}
