package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import java.net.InetSocketAddress;
import java.util.Objects;
import jnr.ffi.Pointer;

/**
 * Where {@link UdpSocket#receive} puts one datagram, or one GRO batch of datagrams that the
 * kernel coalesced: all of them {@link #segmentSize()} bytes long but the last, which may be
 * shorter. Native memory, allocated once; one buffer per receiving thread.
 *
 * <p>To take a GRO batch whole, the capacity must be 65,535: a smaller one keeps the start and
 * reports {@link #truncated()}, and the rest of the batch is lost.
 */
public final class UdpReceiveBuffer {
    private static final int SOCKADDR_STORAGE = 128;
    // CMSG_SPACE(sizeof(int)) = 24 for UDP_GRO; room for a second message should one be enabled.
    private static final int CONTROL_SIZE = 64;
    private static final int CMSG_HEADER = 16; // size_t len, int level, int type
    private static final int SOL_UDP = 17;
    private static final int UDP_GRO = 104;
    private static final int MSG_TRUNC = 0x20;

    private final int capacity;
    private final Pointer data;
    private final Pointer sender = LibC.allocate(SOCKADDR_STORAGE);
    private final Pointer control = LibC.allocate(CONTROL_SIZE);
    private final MessageHeader header = new MessageHeader();

    private int length;
    private int segmentSize;
    private boolean truncated;
    private int senderLength;

    /** @param capacity bytes of the data area; 65,535 to take GRO batches whole */
    public UdpReceiveBuffer(int capacity) {
        if (capacity < 1 || capacity > 65_535) {
            throw new IllegalArgumentException("receive buffer capacity must be 1 to 65535 bytes, got " + capacity);
        }
        this.capacity = capacity;
        this.data = LibC.allocate(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Bytes stored by the last receive (the whole batch with GRO). */
    public int length() {
        return length;
    }

    /**
     * The length of each datagram in the batch but the last (which may be shorter): the
     * kernel's UDP_GRO gso_size, or {@link #length()} when the kernel coalesced nothing.
     */
    public int segmentSize() {
        return segmentSize;
    }

    /** Whether the last datagram (or batch) was longer than the capacity and lost its end. */
    public boolean truncated() {
        return truncated;
    }

    /** Copies {@code len} received bytes from offset {@code from} into {@code dst}; allocates nothing. */
    public void copy(int from, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(from, len, length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        data.get(from, dst, dstOff, len);
    }

    /** The sender of the last datagram. Allocates: for IKE datagrams, logs and tests. */
    public InetSocketAddress sender() {
        if (senderLength == 0) {
            throw new IllegalStateException("nothing received yet");
        }
        byte[] bytes = new byte[senderLength];
        sender.get(0, bytes, 0, senderLength);
        return SockAddrCodec.decode(bytes, senderLength);
    }

    /**
     * The sender's address of the last datagram folded as {@link AddressHash} folds it, read from the sockaddr the
     * kernel stored: allocates nothing, for screening a datagram before anything is copied for it.
     */
    public int senderAddressHash() {
        if (senderLength == 0) {
            throw new IllegalStateException("nothing received yet");
        }
        int family = Short.toUnsignedInt(sender.getShort(0)); // host order, as jnr reads it
        if (family == SockAddrCodec.AF_INET6 && senderLength >= SockAddrCodec.SOCKADDR_IN6_LEN) {
            int h = 0;
            for (int word = 0; word < 4; word++) {
                int at = 8 + 4 * word;
                h ^= AddressHash.word(sender.getByte(at), sender.getByte(at + 1), sender.getByte(at + 2),
                        sender.getByte(at + 3));
            }
            return h;
        }
        return AddressHash.word(sender.getByte(4), sender.getByte(5), sender.getByte(6), sender.getByte(7));
    }

    /**
     * Test support, for code that reads this buffer without a socket (the data path's benchmark and unit tests):
     * stores {@code datagrams[off, off+len)} as if one recvmsg had returned them from {@code sender}, a GRO batch
     * of {@code segmentSize}-byte datagrams when that is below {@code len}, cut to the capacity and marked
     * {@link #truncated()} as the kernel would. Allocates nothing. Production code receives through
     * {@link UdpSocket#receive} only.
     */
    public void fillForTest(byte[] datagrams, int off, int len, int segmentSize, SockAddr sender) {
        Objects.checkFromIndexSize(off, len, datagrams.length);
        int n = Math.min(len, capacity);
        data.put(0, datagrams, off, n);
        sender.copyTo(this.sender);
        senderLength = sender.length();
        length = n;
        truncated = len > capacity;
        this.segmentSize = segmentSize > 0 && segmentSize < n ? segmentSize : n;
    }

    /** The msghdr for the next recvmsg, every field reset. */
    long prepare() {
        return header.fill(sender.address(), SOCKADDR_STORAGE, data.address(), capacity,
                control.address(), CONTROL_SIZE);
    }

    /** Takes in what recvmsg stored: {@code n} bytes, the sender, the flags and the UDP_GRO size. */
    void complete(int n) {
        length = n;
        truncated = (header.flags() & MSG_TRUNC) != 0;
        senderLength = Math.min(header.nameLength(), SOCKADDR_STORAGE);
        segmentSize = groSegmentSize(n);
    }

    private int groSegmentSize(int n) {
        int stored = Math.min(header.controlLength(), CONTROL_SIZE);
        int off = 0;
        while (off + CMSG_HEADER <= stored) {
            long cmsgLength = control.getLong(off);
            if (cmsgLength < CMSG_HEADER || off + cmsgLength > stored) {
                break;
            }
            if (control.getInt(off + 8) == SOL_UDP && control.getInt(off + 12) == UDP_GRO
                    && cmsgLength >= CMSG_HEADER + 4) {
                int size = control.getInt(off + CMSG_HEADER);
                return size > 0 && size < n ? size : n;
            }
            off += (int) ((cmsgLength + 7) & ~7L); // CMSG_ALIGN
        }
        return n;
    }
}
