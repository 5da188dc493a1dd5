package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import java.util.Objects;
import jnr.ffi.Pointer;

/**
 * Datagrams to one destination that {@link RawSocket#send(RawSendBatch, SockAddr)} hands to the kernel in one
 * sendmmsg, one mmsghdr each: a raw socket has no segmentation offload, so unlike {@link UdpSendBatch} the
 * datagrams may have any lengths. They lie back to back in native memory allocated once; one batch per sending
 * thread. {@link #add} says false when the batch is full: send, then add the datagram again.
 */
public final class RawSendBatch {
    /** The kernel's UIO_MAXIOV: sendmmsg takes at most this many messages per call. */
    public static final int MAX_DATAGRAMS = 1024;

    private final int capacity;
    private final Pointer data;
    private final MessageVector vector;
    private final int[] offsets;
    private final int[] lengths;
    private int count;
    private int total;

    /**
     * @param maxDatagrams datagrams per batch, 1 to {@value #MAX_DATAGRAMS}
     * @param capacity bytes of all datagrams together, at least 1; also the longest datagram a batch takes
     */
    public RawSendBatch(int maxDatagrams, int capacity) {
        if (maxDatagrams < 1 || maxDatagrams > MAX_DATAGRAMS) {
            throw new IllegalArgumentException("a send batch holds 1 to " + MAX_DATAGRAMS + " datagrams, got "
                    + maxDatagrams);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("send batch capacity must be at least 1 byte, got " + capacity);
        }
        this.capacity = capacity;
        this.data = LibC.allocate(capacity);
        this.vector = new MessageVector(maxDatagrams);
        this.offsets = new int[maxDatagrams];
        this.lengths = new int[maxDatagrams];
    }

    /**
     * Copies {@code buf[off, off+len)} in as the next datagram.
     *
     * @return true when added; false, adding nothing, when the batch has no room for it (send, then add it again)
     * @throws IllegalArgumentException for an empty datagram or one longer than the capacity, which no batch takes
     */
    public boolean add(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 1 || len > capacity) {
            throw new IllegalArgumentException("datagram of " + len + " bytes: a batch takes 1 to " + capacity);
        }
        if (count == vector.capacity() || total + len > capacity) {
            return false;
        }
        data.put(total, buf, off, len);
        offsets[count] = total;
        lengths[count] = len;
        total += len;
        count++;
        return true;
    }

    /** Datagrams added since the last send or clear. */
    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes of all datagrams together, and the longest one {@link #add} takes. */
    public int capacity() {
        return capacity;
    }

    public int maxDatagrams() {
        return vector.capacity();
    }

    /** Forgets every datagram; {@link RawSocket#send(RawSendBatch, SockAddr)} does this itself. */
    public void clear() {
        count = 0;
        total = 0;
    }

    long datagramAddress(int i) {
        return data.address() + offsets[i];
    }

    int datagramLength(int i) {
        return lengths[i];
    }

    /** The mmsghdr array of one sendmmsg of every datagram to {@code to}; entry {@code i} at {@link #entry}. */
    long prepare(SockAddr to) {
        for (int i = 0; i < count; i++) {
            vector.fill(i, to.nativeAddress(), to.length(), datagramAddress(i), lengths[i]);
        }
        return vector.address(0);
    }

    /** Native address of entry {@code i} of what {@link #prepare} filled: where a retry of the rest starts. */
    long entry(int i) {
        return vector.address(i);
    }
}
