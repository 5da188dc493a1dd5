package io.causeway.tun.socket;

import io.causeway.tun.nativeio.LibC;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;

/**
 * A sockaddr_in / sockaddr_in6 held in native memory, so that sending to or receiving from it
 * costs no encoding and no allocation per packet.
 *
 * <p>{@link #of} makes one for a fixed destination, encoded once. {@link #receiver()} makes a
 * mutable one that {@code recvfrom} fills with the sender; read it without allocating through
 * {@link #family()}, {@link #port()} and {@link #copyAddress}, or with
 * {@link #toInetSocketAddress()} off the hot path. A receiver is owned by one thread at a time.
 */
public final class SockAddr {
    // sockaddr_in6 is the largest we use; then a socklen_t that recvfrom reads and writes.
    private static final int LENGTH_OFFSET = 32;
    private static final int SIZE = 36;

    private final Pointer memory;
    private final long address;
    private final boolean mutable;

    private SockAddr(boolean mutable) {
        this.memory = LibC.allocate(SIZE);
        this.address = memory.address();
        this.mutable = mutable;
    }

    /** A pre-encoded destination. */
    public static SockAddr of(InetSocketAddress address) {
        byte[] encoded = SockAddrCodec.encode(address);
        SockAddr s = new SockAddr(false);
        s.memory.put(0, encoded, 0, encoded.length);
        s.memory.putInt(LENGTH_OFFSET, encoded.length);
        return s;
    }

    /** An empty sockaddr to receive a sender's address into. */
    public static SockAddr receiver() {
        SockAddr s = new SockAddr(true);
        s.memory.putInt(LENGTH_OFFSET, LENGTH_OFFSET);
        return s;
    }

    /** Native address of the sockaddr. */
    long nativeAddress() {
        return address;
    }

    /** Native address of the socklen_t; reset to the capacity before each receive. */
    long prepareLengthForReceive() {
        if (!mutable) {
            throw new IllegalArgumentException("a SockAddr made by of() is read-only; use SockAddr.receiver()");
        }
        memory.putInt(LENGTH_OFFSET, LENGTH_OFFSET);
        return address + LENGTH_OFFSET;
    }

    /** Bytes of sockaddr a receive may store at {@link #nativeAddress()}. */
    static int receiveCapacity() {
        return LENGTH_OFFSET;
    }

    /** Records the sender length a recvmsg or recvmmsg reported in its msghdr rather than in our socklen_t. */
    void setReceivedLength(int length) {
        if (!mutable) {
            throw new IllegalArgumentException("a SockAddr made by of() is read-only; use SockAddr.receiver()");
        }
        memory.putInt(LENGTH_OFFSET, Math.min(Math.max(length, 0), LENGTH_OFFSET));
    }

    /** Length in bytes of the encoded sockaddr (16 or 28; 0 before anything was received). */
    public int length() {
        return memory.getInt(LENGTH_OFFSET);
    }

    /** 2 (AF_INET) or 10 (AF_INET6); 0 before anything was received. */
    public int family() {
        return Short.toUnsignedInt(memory.getShort(0));
    }

    public boolean isIpv6() {
        return family() == SockAddrCodec.AF_INET6;
    }

    /** The port (0 for raw sockets). */
    public int port() {
        // sin_port / sin6_port are in network (big-endian) order: assemble them byte by byte.
        return (Byte.toUnsignedInt(memory.getByte(2)) << 8) | Byte.toUnsignedInt(memory.getByte(3));
    }

    /** Copies the 4 or 16 address bytes (network order) to {@code dst}; returns how many. */
    public int copyAddress(byte[] dst, int off) {
        if (isIpv6()) {
            memory.get(8, dst, off, 16);
            return 16;
        }
        memory.get(4, dst, off, 4);
        return 4;
    }

    /** Copies the encoded sockaddr ({@link #length()} bytes) to {@code dst}; allocates nothing. */
    void copyTo(Pointer dst) {
        memory.transferTo(0, dst, 0, length());
    }

    /** Allocates: for logs, control plane and tests. */
    public InetSocketAddress toInetSocketAddress() {
        byte[] bytes = new byte[SockAddrCodec.SOCKADDR_IN6_LEN];
        int len = Math.min(length(), bytes.length);
        memory.get(0, bytes, 0, len);
        return SockAddrCodec.decode(bytes, len);
    }

    @Override
    public String toString() {
        return length() == 0 ? "SockAddr[empty]" : "SockAddr[" + toInetSocketAddress() + "]";
    }
}
