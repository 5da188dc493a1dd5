package io.causeway.daemon.dataplane;

/**
 * A TUN queue with offloads in memory, for {@link DataPathAllocationTest} and the bench module's DataPathBench: every
 * read returns the same frame (copied in, as the kernel copies), every write is copied out into one reused array
 * and counted.
 */
final class MemoryTun implements TunQueue {
    private final byte[] frame;
    private final byte[] written = new byte[PacketBuffers.SUPER_PACKET];
    private long writes;
    private long bytesWritten;

    /** @param frame what each read returns: a virtio-net header and one packet */
    MemoryTun(byte[] frame) {
        this.frame = frame;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        int n = Math.min(len, frame.length);
        System.arraycopy(frame, 0, buf, off, n);
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        System.arraycopy(buf, off, written, 0, Math.min(len, written.length));
        writes++;
        bytesWritten += len;
        return len;
    }

    @Override
    public boolean offload() {
        return true;
    }

    @Override
    public String name() {
        return "memory0";
    }

    long writes() {
        return writes;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    /** The last frame written: its virtio-net header and packet. */
    byte[] lastWritten() {
        return written;
    }
}
