package io.causeway.daemon.dataplane;

/**
 * Where a reader puts the ESP datagrams of one receive: opened at once on the reader's thread ({@link InboundPath})
 * or handed to decrypt workers in batch slots ({@link InboundPipeline}). The reader copies each datagram to
 * {@link #at} in {@link #room}'s buffer, classifies it there, and commits only ESP.
 */
interface EspIntake {
    /** Largest datagram a reader may hand over. */
    int MAX_DATAGRAM = PacketBuffers.SIZE - PacketBuffers.HEADROOM;

    /** A buffer with room for a datagram of {@code len} bytes at {@link #at}; may wait for a free slot. */
    byte[] room(int len);

    /** Where in {@link #room}'s buffer the datagram goes ({@link PacketBuffers#HEADROOM} bytes stay free in front). */
    int at();

    /** The {@code len} bytes copied to {@link #at} are ESP: open and deliver them, now or later. */
    void commit(int len);

    /** The end of a receive: what was committed is delivered, in order, and the sink flushed. */
    void endBatch();

    /** The reader stops: what was committed is still delivered; threads the intake started end. */
    default void close() {}
}
