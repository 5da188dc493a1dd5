package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import java.util.Objects;
import jnr.ffi.Pointer;

/**
 * Datagrams to one destination that {@link UdpSocket#send} hands to the kernel in a single
 * sendmsg with UDP_SEGMENT (UDP GSO). Native memory, allocated once; one batch per sending
 * thread.
 *
 * <p>The rules are the kernel's: the first datagram sets the segment size; every later one must
 * have that length, except the last, which may be shorter (so nothing fits after a shorter one
 * and a longer one never fits); at most {@value #MAX_DATAGRAMS}; and the whole batch within the
 * capacity, at most {@value #MAX_CAPACITY} bytes so that one IPv4 packet (20 + 8 bytes of
 * headers) could hold it. {@link #add} says false when a datagram breaks them: send, then add it
 * again.
 */
public final class UdpSendBatch {
    /** Linux's UDP_MAX_SEGMENTS (include/linux/udp.h): 64, briefly 128 in some kernels. */
    public static final int MAX_DATAGRAMS = 64;
    public static final int MAX_CAPACITY = 65_535 - 20 - 8;

    // struct cmsghdr { size_t len = CMSG_LEN(2) = 18; int level = SOL_UDP; int type = UDP_SEGMENT; u16 size }
    private static final int CONTROL_SIZE = 24; // CMSG_SPACE(sizeof(u16))
    private static final int CMSG_LEN_U16 = 18;
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;

    private final int capacity;
    private final Pointer data;
    private final Pointer control = LibC.allocate(CONTROL_SIZE);
    private final MessageHeader header = new MessageHeader();

    private int count;
    private int segmentSize;
    private int total;
    private boolean endsShort;

    /** @param capacity bytes for the whole batch, 1 to {@value #MAX_CAPACITY} */
    public UdpSendBatch(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("send batch capacity must be 1 to " + MAX_CAPACITY
                    + " bytes (one UDP/IPv4 packet), got " + capacity);
        }
        this.capacity = capacity;
        this.data = LibC.allocate(capacity);
        control.putLong(0, CMSG_LEN_U16);
        control.putInt(8, SOL_UDP);
        control.putInt(12, UDP_SEGMENT);
    }

    /**
     * Copies {@code buf[off, off+len)} in as the next datagram.
     *
     * @return true when added; false, adding nothing, when the datagram would break the rules
     *     above (send the batch, then add it again)
     * @throws IllegalArgumentException for an empty datagram or one longer than the capacity,
     *     which no batch could take
     */
    public boolean add(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 1 || len > capacity) {
            throw new IllegalArgumentException("datagram of " + len + " bytes: a batch takes 1 to " + capacity);
        }
        if (count > 0 && (endsShort || count == MAX_DATAGRAMS || len > segmentSize || total + len > capacity)) {
            return false;
        }
        data.put(total, buf, off, len);
        if (count == 0) {
            segmentSize = len;
        } else if (len < segmentSize) {
            endsShort = true;
        }
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

    public int capacity() {
        return capacity;
    }

    /** Forgets every datagram; {@link UdpSocket#send} does this itself. */
    public void clear() {
        count = 0;
        segmentSize = 0;
        total = 0;
        endsShort = false;
    }

    /** Bytes of all datagrams together. */
    int totalLength() {
        return total;
    }

    /** Native address of datagram {@code i} (they lie back to back, all but the last of one size). */
    long datagramAddress(int i) {
        return data.address() + (long) i * segmentSize;
    }

    int datagramLength(int i) {
        return i < count - 1 ? segmentSize : total - (count - 1) * segmentSize;
    }

    /** The msghdr of one sendmsg of the whole batch to {@code to}, with the UDP_SEGMENT message. */
    long prepareSegmented(SockAddr to) {
        control.putShort(16, (short) segmentSize);
        return header.fill(to.nativeAddress(), to.length(), data.address(), total, control.address(), CONTROL_SIZE);
    }
}
