package io.causeway.daemon.dataplane;

/**
 * The inline inbound path: each ESP datagram is opened on the reader's own thread as it is committed
 * ({@link EspOpener}) and written to the {@link InnerPacketSink}, which may hold packets back until the batch ends.
 * One instance per receive thread: it owns the buffer the reader copies into.
 */
final class InboundPath implements EspIntake {
    private static final int AT = PacketBuffers.HEADROOM;

    private final EspOpener opener;
    private final InnerPacketSink tun;
    private final byte[] buf = new byte[PacketBuffers.SIZE];

    InboundPath(SaTable sas, TransportSas transports, InnerPacketSink tun, DataPathCounters counters) {
        this.opener = new EspOpener(sas, transports, counters);
        this.tun = tun;
    }

    @Override
    public byte[] room(int len) {
        return buf;
    }

    @Override
    public int at() {
        return AT;
    }

    @Override
    public void commit(int len) {
        if (opener.open(buf, AT, len, false)) tun.deliver(buf, opener.start, opener.length);
    }

    @Override
    public void endBatch() {
        tun.flush();
    }
}
