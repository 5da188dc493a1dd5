package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import java.util.Objects;
import jnr.ffi.Pointer;

/**
 * Where {@link RawSocket#receive(RawReceiveBatch)} puts the datagrams one recvmmsg returned: up to
 * {@link #capacity()} of them, each in a slot of {@link #slotBytes()} with its length, its sender and where its
 * payload starts (after the IPv4 header a raw IPv4 socket includes; at 0 on an IPv6 socket, which gives none).
 * Native memory and sender addresses allocated once; one batch per receiving thread.
 */
public final class RawReceiveBatch {
    /** The kernel's UIO_MAXIOV: recvmmsg takes at most this many messages per call. */
    public static final int MAX_MESSAGES = 1024;
    private static final int MSG_TRUNC = 0x20;
    private static final int IPV4_MIN_HEADER = 20;

    private final int slotBytes;
    private final Pointer data;
    private final MessageVector vector;
    private final SockAddr[] senders;
    private final int[] lengths;
    private final int[] payloadOffsets;
    private final boolean[] truncated;
    private int count;

    /**
     * @param messages datagrams one call may return, 1 to {@value #MAX_MESSAGES}
     * @param slotBytes room for each, 1 to 65,535 (65,535 takes any IPv4 packet and any IPv6 payload whole)
     */
    public RawReceiveBatch(int messages, int slotBytes) {
        if (messages < 1 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("a receive batch holds 1 to " + MAX_MESSAGES + " datagrams, got "
                    + messages);
        }
        if (slotBytes < 1 || slotBytes > 65_535) {
            throw new IllegalArgumentException("slot size must be 1 to 65535 bytes, got " + slotBytes);
        }
        this.slotBytes = slotBytes;
        this.data = LibC.allocate(messages * slotBytes);
        this.vector = new MessageVector(messages);
        this.senders = new SockAddr[messages];
        for (int i = 0; i < messages; i++) {
            senders[i] = SockAddr.receiver();
        }
        this.lengths = new int[messages];
        this.payloadOffsets = new int[messages];
        this.truncated = new boolean[messages];
    }

    /** Datagrams one receive may return. */
    public int capacity() {
        return vector.capacity();
    }

    public int slotBytes() {
        return slotBytes;
    }

    /** Datagrams the last receive returned. */
    public int count() {
        return count;
    }

    /** Bytes stored of datagram {@code i}: the whole IPv4 packet on an IPv4 socket, the payload on IPv6. */
    public int length(int i) {
        return lengths[Objects.checkIndex(i, count)];
    }

    /**
     * Where datagram {@code i}'s payload (the ESP header, for protocol 50) starts: after the IPv4 header on an IPv4
     * socket, 0 on an IPv6 one; -1 when what an IPv4 socket stored is no IPv4 header of a length that fits.
     */
    public int payloadOffset(int i) {
        return payloadOffsets[Objects.checkIndex(i, count)];
    }

    /** Whether datagram {@code i} was longer than a slot and lost its end. */
    public boolean truncated(int i) {
        return truncated[Objects.checkIndex(i, count)];
    }

    /** The sender of datagram {@code i}; the same object every receive refills, read it before the next. */
    public SockAddr sender(int i) {
        return senders[Objects.checkIndex(i, count)];
    }

    /** Copies {@code len} bytes of datagram {@code i} from offset {@code from} into {@code dst}; allocates nothing. */
    public void copy(int i, int from, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(from, len, length(i));
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        data.get((long) i * slotBytes + from, dst, dstOff, len);
    }

    /** The mmsghdr array for the next recvmmsg, every entry reset; {@link #capacity()} entries. */
    long prepare() {
        for (int i = 0; i < vector.capacity(); i++) {
            prepareEntry(i);
        }
        count = 0;
        return vector.address(0);
    }

    /** The msghdr of the first entry alone, for a recvmsg where the kernel has no recvmmsg. */
    long prepareOne() {
        prepareEntry(0);
        count = 0;
        return vector.address(0);
    }

    private void prepareEntry(int i) {
        SockAddr sender = senders[i];
        vector.fill(i, sender.nativeAddress(), SockAddr.receiveCapacity(), data.address() + (long) i * slotBytes,
                slotBytes);
    }

    /** Takes in what recvmmsg stored for {@code n} datagrams. */
    void complete(int n, boolean ipv6) {
        for (int i = 0; i < n; i++) {
            int length = Math.min(vector.messageLength(i), slotBytes);
            lengths[i] = length;
            truncated[i] = (vector.flags(i) & MSG_TRUNC) != 0;
            senders[i].setReceivedLength(vector.nameLength(i));
            payloadOffsets[i] = ipv6 ? 0 : ipv4PayloadOffset(i, length);
        }
        count = n;
    }

    /** Takes in what a recvmsg into the first entry stored: {@code bytes}, which it returned. */
    void completeOne(int bytes, boolean ipv6) {
        vector.setMessageLength(0, bytes);
        complete(1, ipv6);
    }

    private int ipv4PayloadOffset(int i, int length) {
        if (length < IPV4_MIN_HEADER) {
            return -1;
        }
        int first = Byte.toUnsignedInt(data.getByte((long) i * slotBytes));
        int headerLength = (first & 0x0f) * 4;
        if ((first >> 4) != 4 || headerLength < IPV4_MIN_HEADER || headerLength > length) {
            return -1;
        }
        return headerLength;
    }
}
