package io.causeway.daemon.dataplane;

/**
 * One TUN queue as the workers use it: a {@link DeviceTunQueue} over a real device, or memory in the data path's
 * benchmark, so the readers and sinks run unchanged without a kernel device. One implementation per process, so
 * the interface call stays monomorphic.
 */
interface TunQueue {
    /** As {@link io.causeway.tun.TunDevice#read}: bytes stored, or -1 once the queue is closed. */
    int read(byte[] buf, int off, int len);

    /** As {@link io.causeway.tun.TunDevice#write}: bytes written, or -1 when the packet was dropped. */
    int write(byte[] buf, int off, int len);

    /** Whether every packet read or written carries a virtio-net header. */
    boolean offload();

    String name();
}
