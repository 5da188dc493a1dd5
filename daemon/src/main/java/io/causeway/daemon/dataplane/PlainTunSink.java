package io.causeway.daemon.dataplane;


/** A TUN device without offloads: each packet is one write, nothing is held back. */
final class PlainTunSink implements InnerPacketSink {
    private final TunQueue tun;

    PlainTunSink(TunQueue tun) {
        this.tun = tun;
    }

    @Override
    public void deliver(byte[] buf, int off, int len) {
        tun.write(buf, off, len);
    }

    @Override
    public void flush() {}
}
