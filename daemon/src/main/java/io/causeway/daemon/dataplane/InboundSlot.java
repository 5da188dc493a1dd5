package io.causeway.daemon.dataplane;

import io.causeway.esp.InboundSa;

/**
 * One batch of received ESP in the {@link InboundPipeline}'s ring: the datagrams packed into one heap array, each
 * behind its own {@link PacketBuffers#HEADROOM} (room for a transport-mode header and the virtio-net header), and
 * per datagram what its worker found: the SA it opened with (null: dropped, counted), its sequence number, inner
 * bytes and the packet to deliver. Filled by the reader, opened by one worker, delivered by the delivery stage;
 * the pipeline's sequence numbers hand it from one to the next.
 */
final class InboundSlot {
    /** Datagrams per slot: a GRO batch or a recvmmsg batch. */
    static final int DATAGRAMS = RawEspReader.BATCH;
    /** A whole 64 KiB GRO batch of 64 datagrams fits, and so does one datagram of any length. */
    static final int ARENA = PacketBuffers.SIZE + DATAGRAMS * PacketBuffers.HEADROOM;

    final byte[] arena = new byte[ARENA];
    final int[] offset = new int[DATAGRAMS];
    final int[] length = new int[DATAGRAMS];
    final InboundSa[] sa = new InboundSa[DATAGRAMS];
    final long[] sequence = new long[DATAGRAMS];
    final int[] innerLength = new int[DATAGRAMS];
    final int[] start = new int[DATAGRAMS];
    final int[] deliver = new int[DATAGRAMS];
    int count;
    /** Where the next datagram's headroom begins. */
    private int cursor;
    /** Written by the worker after its last field, read by the delivery stage before its first. */
    volatile boolean opened;

    void reset() {
        count = 0;
        cursor = 0;
        opened = false;
    }

    boolean fits(int len) {
        return count < DATAGRAMS && cursor + PacketBuffers.HEADROOM + len <= ARENA;
    }

    /** Where the next datagram goes. */
    int next() {
        return cursor + PacketBuffers.HEADROOM;
    }

    void add(int len) {
        offset[count] = next();
        length[count] = len;
        sa[count] = null;
        count++;
        cursor += PacketBuffers.HEADROOM + len;
    }
}
