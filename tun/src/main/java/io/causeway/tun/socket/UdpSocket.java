package io.causeway.tun.socket;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.nativeio.NativeMemoryIo;
import io.causeway.tun.nativeio.WakeableFd;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;

/**
 * A UDP socket the data path reads and writes itself (IKE and ESP in UDP on port 4500), with
 * UDP GRO on receive and UDP GSO on send when the kernel has them.
 *
 * <p>Threads: any number of threads may receive (each with its own {@link UdpReceiveBuffer}),
 * send (each with its own {@link UdpSendBatch}) and {@link #sendTo} at once; the kernel keeps
 * each datagram and each batch whole. {@link #close()} wakes blocked receivers.
 */
public final class UdpSocket implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_MARK = 36;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int SOL_UDP = 17;
    private static final int UDP_GRO = 104;

    private final WakeableFd fd;
    private final InetSocketAddress local;
    private final boolean gro;
    private final AtomicLong earlierDatagramErrors = new AtomicLong();
    private volatile boolean gso = true;
    /** Whether a segmented send ever worked: then a later EINVAL is that batch's size, not a kernel without GSO. */
    private volatile boolean segmentedSent;

    private UdpSocket(WakeableFd fd, InetSocketAddress local, boolean gro) {
        this.fd = fd;
        this.local = local;
        this.gro = gro;
    }

    /**
     * Opens a non-blocking UDP socket bound to {@code local} (port 0: the kernel picks one),
     * IPv6-only for an IPv6 address, and asks for UDP GRO (see {@link #gro()}).
     *
     * @param fwmark SO_MARK of everything sent, set before bind; 0 for none
     * @param bufferBytes SO_RCVBUF and SO_SNDBUF, forced past the sysctl limits when we may
     *     (CAP_NET_ADMIN); 0 keeps the kernel's defaults
     * @throws OsException with a one-line message naming the address and port
     */
    public static UdpSocket bind(InetSocketAddress local, int fwmark, int bufferBytes) {
        return bind(local, fwmark, bufferBytes, true);
    }

    /** Test seam: {@code askForGro} false leaves UDP_GRO off, as on a kernel without it. */
    static UdpSocket bind(InetSocketAddress local, int fwmark, int bufferBytes, boolean askForGro) {
        if (local.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + local);
        }
        if (bufferBytes < 0) {
            throw new IllegalArgumentException("bufferBytes must not be negative, got " + bufferBytes);
        }
        boolean v6 = local.getAddress() instanceof Inet6Address;
        String where = "UDP " + local.getAddress().getHostAddress() + " port " + local.getPort();
        LibC libc = LibC.INSTANCE;
        int raw = libc.socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (raw < 0) {
            int err = Errno.last();
            throw new OsException("cannot open a socket for " + where + ": " + Errno.text(err), err);
        }
        try {
            if (v6) {
                setOrThrow(raw, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", where);
            }
            if (fwmark != 0) {
                setOrThrow(raw, SOL_SOCKET, SO_MARK, fwmark, "SO_MARK 0x" + Integer.toHexString(fwmark), where);
            }
            if (bufferBytes > 0) {
                Sockets.setBufferSizes(raw, bufferBytes);
            }
            byte[] encoded = SockAddrCodec.encode(local);
            Pointer sockaddr = LibC.allocate(SockAddrCodec.SOCKADDR_IN6_LEN);
            sockaddr.put(0, encoded, 0, encoded.length);
            if (libc.bind(raw, sockaddr, encoded.length) < 0) {
                int err = Errno.last();
                throw new OsException("cannot bind " + where + ": " + Errno.text(err) + bindHint(err), err);
            }
            InetSocketAddress bound = boundAddress(raw, where);
            // Without UDP_GRO (before Linux 5.0) every datagram simply arrives on its own.
            boolean gro = askForGro && setInt(raw, SOL_UDP, UDP_GRO, 1) == 0;
            return new UdpSocket(WakeableFd.adopt(raw), bound, gro);
        } catch (OsException e) {
            libc.close(raw);
            throw e;
        } catch (IllegalStateException e) { // no eventfd: adopt() closed the socket
            throw new OsException("cannot open a socket for " + where + ": " + e.getMessage(), 0);
        }
    }

    private static String bindHint(int err) {
        switch (err) {
            case Errno.EADDRNOTAVAIL:
                return " (no interface of this namespace has that address)";
            case Errno.EACCES:
                return " (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            default:
                return "";
        }
    }

    /** @return 0, or the errno */
    private static int setInt(int fd, int level, int option, int value) {
        Pointer v = LibC.allocate(4);
        v.putInt(0, value);
        return LibC.INSTANCE.setsockopt(fd, level, option, v, 4) == 0 ? 0 : Errno.last();
    }

    private static void setOrThrow(int fd, int level, int option, int value, String what, String where) {
        int err = setInt(fd, level, option, value);
        if (err != 0) {
            String hint = err == Errno.EPERM ? " (run as root or grant CAP_NET_ADMIN)" : "";
            throw new OsException("cannot open a socket for " + where + ": setsockopt " + what + ": "
                    + Errno.text(err) + hint, err);
        }
    }

    private static InetSocketAddress boundAddress(int fd, String where) {
        Pointer sockaddr = LibC.allocate(SockAddrCodec.SOCKADDR_IN6_LEN);
        Pointer length = LibC.allocate(4);
        length.putInt(0, SockAddrCodec.SOCKADDR_IN6_LEN);
        if (LibC.INSTANCE.getsockname(fd, sockaddr, length) < 0) {
            int err = Errno.last();
            throw new OsException("cannot read the address of " + where + ": " + Errno.text(err), err);
        }
        int n = Math.min(length.getInt(0), SockAddrCodec.SOCKADDR_IN6_LEN);
        byte[] bytes = new byte[n];
        sockaddr.get(0, bytes, 0, n);
        return SockAddrCodec.decode(bytes, n);
    }

    /** The raw descriptor (non-blocking), e.g. for {@link Sockets#mark}. Meaningless after close(). */
    public int fd() {
        return fd.fd();
    }

    /**
     * How many errors a receive was handed for an earlier datagram and skipped ({@link Errno#isPendingNetworkError}),
     * since the socket was opened.
     */
    public long earlierDatagramErrors() {
        return earlierDatagramErrors.get();
    }

    /** The bound address, with the port the kernel chose when bound to port 0. */
    public InetSocketAddress local() {
        return local;
    }

    /** Whether the kernel took UDP_GRO: a receive may then return a batch (see {@link UdpReceiveBuffer}). */
    public boolean gro() {
        return gro;
    }

    /** Whether batches still go out as one UDP_SEGMENT sendmsg: false for good once the kernel refused it. */
    public boolean gso() {
        return gso;
    }

    /**
     * Receives one datagram, or one GRO batch, into {@code into}, blocking until one arrives.
     * A datagram longer than the buffer is cut to its capacity and reported by
     * {@link UdpReceiveBuffer#truncated()}. An ICMP error the kernel reports for an earlier datagram this socket
     * sent (port unreachable, ...: it does so for a connected socket or one with IP_RECVERR, this one is neither)
     * belongs to that send, not to this receive: it is counted in {@link #earlierDatagramErrors()} and the receive
     * goes on waiting, so a message from the network can neither end a reader nor cost it an exception.
     *
     * @return the bytes stored, or -1 once the socket was closed
     * @throws OsException for an error no datagram explains (bad descriptor, out of memory)
     */
    public int receive(UdpReceiveBuffer into) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            for (;;) {
                long n = NativeMemoryIo.recvMsg(fd.fd(), into.prepare(), 0);
                if (n >= 0) {
                    into.complete((int) n);
                    return (int) n;
                }
                int err = Errno.last();
                if (err == Errno.EAGAIN) {
                    if (!fd.awaitReadable()) {
                        return -1;
                    }
                } else if (Errno.isPendingNetworkError(err)) {
                    earlierDatagramErrors.incrementAndGet(); // reported once and cleared: the next call waits again
                } else if (err != Errno.EINTR) {
                    throw new OsException("receive on UDP " + local + ": " + Errno.text(err), err);
                }
            }
        } finally {
            fd.exit();
        }
    }

    /**
     * Sends one datagram from {@code buf[off, off+len)}; never blocks.
     *
     * @return bytes sent, or -1 when the kernel has no room right now or the socket is closed
     * @throws OsException as {@link Sockets#sendTo}
     */
    public int sendTo(byte[] buf, int off, int len, SockAddr to) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            return Sockets.sendTo(fd.fd(), buf, off, len, to);
        } finally {
            fd.exit();
        }
    }

    /**
     * Sends every datagram of {@code batch}, in order, to {@code to}, and empties the batch:
     * several as one sendmsg with UDP_SEGMENT, one as a plain sendto. If the kernel refuses
     * UDP_SEGMENT (EIO, ENOPROTOOPT, EOPNOTSUPP; or EINVAL before any segmented send worked),
     * {@link #gso()} turns false for good and this and every later batch goes out one sendto per
     * datagram. EINVAL after segmented sends worked means this batch's datagrams are larger than
     * the path MTU (the kernel fragments a single datagram, never a segmented one): only this
     * batch goes one by one. Never blocks.
     *
     * @return how many datagrams were sent: 0 when the kernel had no room (EAGAIN, ENOBUFS) or
     *     the socket is closed; one by one, those before the kernel ran out of room
     * @throws OsException for other errors, as {@link Sockets#sendTo} (no route, ...)
     */
    public int send(UdpSendBatch batch, SockAddr to) {
        if (batch.isEmpty()) {
            return 0;
        }
        if (!fd.enter()) {
            batch.clear();
            return 0;
        }
        try {
            if (batch.count() > 1 && gso) {
                int sent = sendSegmented(batch, to);
                if (sent >= 0) {
                    segmentedSent = true;
                    return sent;
                }
                if (sent == REFUSED || !segmentedSent) gso = false;
            }
            return sendOneByOne(batch, to);
        } finally {
            batch.clear();
            fd.exit();
        }
    }

    private static final int REFUSED = -1;
    private static final int TOO_BIG = -2;

    /** @return datagrams sent (all or none), {@link #REFUSED} when the kernel refused UDP_SEGMENT, {@link #TOO_BIG} for EINVAL */
    private int sendSegmented(UdpSendBatch batch, SockAddr to) {
        long msghdr = batch.prepareSegmented(to);
        for (;;) {
            long n = NativeMemoryIo.sendMsg(fd.fd(), msghdr, Sockets.MSG_DONTWAIT);
            if (n >= 0) {
                return batch.count();
            }
            int err = Errno.last();
            switch (err) {
                case Errno.EINTR:
                    continue;
                case Errno.EAGAIN:
                case Errno.ENOBUFS:
                    return 0;
                case Errno.EINVAL:
                    return TOO_BIG;
                case Errno.EIO:
                case Errno.ENOPROTOOPT:
                case Errno.EOPNOTSUPP:
                    return REFUSED;
                default:
                    throw new OsException("sendmsg " + batch.count() + " datagrams to " + to + ": "
                            + Errno.text(err), err);
            }
        }
    }

    private int sendOneByOne(UdpSendBatch batch, SockAddr to) {
        int count = batch.count();
        for (int i = 0; i < count; i++) {
            if (!Sockets.sendFromNative(fd.fd(), batch.datagramAddress(i), batch.datagramLength(i), to)) {
                return i;
            }
        }
        return count;
    }

    /** Closes the socket and wakes every thread blocked in {@link #receive}, which returns -1. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "UdpSocket[" + local + "]";
    }
}
