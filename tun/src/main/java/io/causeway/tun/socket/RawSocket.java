package io.causeway.tun.socket;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.HeapArrayIo;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.nativeio.NativeMemoryIo;
import io.causeway.tun.nativeio.WakeableFd;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;

/**
 * A raw IP socket for one protocol, e.g. 50 for ESP without UDP encapsulation.
 *
 * <p>Asymmetry to know: an IPv4 raw socket <b>receives the whole IP packet, IPv4 header
 * included</b> (skip {@code (buf[off] & 0x0f) * 4} bytes to reach ESP), but <b>sends only the
 * payload</b> (the kernel writes the IP header; no IP_HDRINCL). An IPv6 raw socket receives and
 * sends the payload only. Ports are meaningless: destinations use port 0.
 *
 * <p>Batches: {@link #receive(RawReceiveBatch)} takes every datagram queued (up to the batch's capacity) in one
 * recvmmsg, {@link #send(RawSendBatch, SockAddr)} a batch in one sendmmsg. A kernel without them (ENOSYS, before
 * Linux 2.6.33 and 3.0, or a seccomp filter) turns {@link #batched()} false for good: the same calls then go one
 * datagram per system call. Threads: one receiver per batch, any number of senders each with its own batch.
 *
 * <p>Errors for earlier datagrams: the kernel may report an ICMP error about a datagram this socket sent (protocol
 * unreachable, host unreachable, ...) as the error of the next receive (it does so for a connected socket, or one
 * with IP_RECVERR; an unconnected one without it, as the daemon's, never sees them). Such an error belongs to that
 * send, not to the receive, and to no caller: a receive counts it in {@link #earlierDatagramErrors()} and goes on
 * waiting, so a message from the network can neither end a reader nor cost it an exception.
 */
public final class RawSocket implements AutoCloseable {
    public static final int IPPROTO_ESP = 50;

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_WAITFORONE = 0x10000;

    private final WakeableFd fd;
    private final boolean ipv6;
    private final int protocol;
    private volatile boolean batched;
    private final AtomicLong earlierDatagramErrors = new AtomicLong();

    private RawSocket(WakeableFd fd, boolean ipv6, int protocol, boolean batched) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.protocol = protocol;
        this.batched = batched;
    }

    public static RawSocket open(boolean ipv6, int protocol) {
        return open(ipv6, protocol, true);
    }

    /** Test seam: {@code tryBatches} false uses the one-by-one path, as on a kernel without recvmmsg/sendmmsg. */
    static RawSocket open(boolean ipv6, int protocol, boolean tryBatches) {
        int fd = LibC.INSTANCE.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        String what = "cannot open raw " + (ipv6 ? "IPv6" : "IPv4") + " socket for protocol " + protocol;
        if (fd < 0) {
            int err = Errno.last();
            String hint = err == Errno.EPERM || err == Errno.EACCES ? " (run as root or grant CAP_NET_RAW)" : "";
            throw new OsException(what + ": " + Errno.text(err) + hint, err);
        }
        try {
            return new RawSocket(WakeableFd.adopt(fd), ipv6, protocol, tryBatches && kernelHasBatches(fd));
        } catch (IllegalStateException e) {
            throw new OsException(what + ": " + e.getMessage(), 0);
        }
    }

    /**
     * Asks for zero messages, which a kernel with recvmmsg and sendmmsg answers with 0 and one without with
     * ENOSYS, so that {@link #batched()} is known before the first packet.
     */
    private static boolean kernelHasBatches(int fd) {
        return NativeMemoryIo.recvMmsg(fd, 0, 0, Sockets.MSG_DONTWAIT, 0) == 0
                && NativeMemoryIo.sendMmsg(fd, 0, 0, Sockets.MSG_DONTWAIT) == 0;
    }

    /** Whether batches go out and come in through sendmmsg and recvmmsg; false once the kernel lacked them. */
    public boolean batched() {
        return batched;
    }

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

    /** Marks every packet this socket sends (SO_MARK), see {@link Sockets#setMark}. */
    public void setMark(int mark) {
        if (!fd.enter()) {
            throw new IllegalStateException("raw socket closed");
        }
        try {
            Sockets.setMark(fd.fd(), mark);
        } finally {
            fd.exit();
        }
    }

    /** Receives only packets addressed to {@code local}. */
    public void bind(InetAddress local) {
        if ((local instanceof Inet6Address) != ipv6) {
            throw new IllegalArgumentException("bind " + local.getHostAddress() + ": not an "
                    + (ipv6 ? "IPv6" : "IPv4") + " address");
        }
        byte[] encoded = SockAddrCodec.encode(new InetSocketAddress(local, 0));
        Pointer sockaddr = LibC.allocate(encoded.length);
        sockaddr.put(0, encoded, 0, encoded.length);
        if (!fd.enter()) {
            throw new IllegalStateException("raw socket closed");
        }
        try {
            if (LibC.INSTANCE.bind(fd.fd(), sockaddr, encoded.length) < 0) {
                int err = Errno.last();
                throw new OsException("bind raw socket (protocol " + protocol + ") to "
                        + local.getHostAddress() + ": " + Errno.text(err), err);
            }
        } finally {
            fd.exit();
        }
    }

    /**
     * Receives one packet, blocking until one arrives; the sender lands in {@code from}
     * (a {@link SockAddr#receiver()}). IPv4: the packet includes its IP header. An error for an earlier datagram
     * is counted and skipped (see the class comment).
     *
     * @return bytes stored, or -1 once the socket was closed
     * @throws OsException for an error no datagram explains (bad descriptor, out of memory)
     */
    public int receive(byte[] buf, int off, int len, SockAddr from) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            for (;;) {
                long n = HeapArrayIo.recvFrom(fd.fd(), buf, off, len, 0, from.nativeAddress(),
                        from.prepareLengthForReceive());
                if (n >= 0) {
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
                    throw new OsException("receive on raw socket (protocol " + protocol + "): " + Errno.text(err), err);
                }
            }
        } finally {
            fd.exit();
        }
    }

    /**
     * Receives the datagrams queued, up to the batch's capacity, blocking until the first arrives and then taking
     * only what is already there (MSG_WAITFORONE). Each is in {@code into} with its length, sender and payload
     * offset (IPv4: after the IP header). One datagram per call when not {@link #batched()}. An error for an
     * earlier datagram is counted and skipped (see the class comment), also one that recvmmsg held back from a call
     * that had already received some datagrams.
     *
     * @return datagrams received, at least 1; or -1 once the socket was closed
     * @throws OsException for an error no datagram explains (bad descriptor, out of memory)
     */
    public int receive(RawReceiveBatch into) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            for (;;) {
                int n = batched ? receiveBatch(into) : receiveOne(into);
                if (n > 0) {
                    return n;
                }
                int err = n == 0 ? Errno.EAGAIN : Errno.last();
                if (err == Errno.EAGAIN) {
                    if (!fd.awaitReadable()) {
                        return -1;
                    }
                } else if (err == Errno.ENOSYS && batched) {
                    batched = false;
                } else if (Errno.isPendingNetworkError(err)) {
                    earlierDatagramErrors.incrementAndGet();
                } else if (err != Errno.EINTR) {
                    throw new OsException("receive on raw socket (protocol " + protocol + "): " + Errno.text(err), err);
                }
            }
        } finally {
            fd.exit();
        }
    }

    /** @return datagrams received, 0 for none (EAGAIN), or -1 with errno */
    private int receiveBatch(RawReceiveBatch into) {
        int n = NativeMemoryIo.recvMmsg(fd.fd(), into.prepare(), into.capacity(), MSG_WAITFORONE, 0);
        if (n > 0) {
            into.complete(n, ipv6);
        }
        return n;
    }

    private int receiveOne(RawReceiveBatch into) {
        long bytes = NativeMemoryIo.recvMsg(fd.fd(), into.prepareOne(), 0);
        if (bytes < 0) {
            return -1;
        }
        into.completeOne((int) bytes, ipv6);
        return 1;
    }

    /**
     * Sends every datagram of {@code batch}, in order, to {@code to}, and empties the batch; never blocks. When the
     * kernel takes only the first part (its buffer filled up), the rest is tried once more; what it refuses then is
     * left unsent for the caller to count as dropped. One sendto per datagram when not {@link #batched()}, stopping
     * at the first the kernel has no room for.
     *
     * @return how many datagrams were sent, the first ones of the batch: 0 when the kernel had no room (EAGAIN,
     *     ENOBUFS) or the socket is closed
     * @throws OsException for another error (no route, message too long, ...) before any datagram went
     */
    public int send(RawSendBatch batch, SockAddr to) {
        if (batch.isEmpty()) {
            return 0;
        }
        if (!fd.enter()) {
            batch.clear();
            return 0;
        }
        try {
            if (batched) {
                int sent = sendBatch(batch, to);
                if (sent >= 0) {
                    return sent;
                }
                batched = false; // ENOSYS: nothing went yet
            }
            return sendOneByOne(batch, to);
        } finally {
            batch.clear();
            fd.exit();
        }
    }

    /** @return datagrams sent, or -1 when the kernel has no sendmmsg */
    private int sendBatch(RawSendBatch batch, SockAddr to) {
        batch.prepare(to);
        int count = batch.count();
        int sent = 0;
        boolean retried = false;
        for (;;) {
            int n = NativeMemoryIo.sendMmsg(fd.fd(), batch.entry(sent), count - sent, Sockets.MSG_DONTWAIT);
            if (n > 0) {
                sent += n;
                if (sent == count || retried) {
                    return sent;
                }
                retried = true; // the buffer filled up partway; by now the kernel may have drained some
                continue;
            }
            int err = n == 0 ? Errno.EAGAIN : Errno.last();
            switch (err) {
                case Errno.EINTR:
                    continue;
                case Errno.EAGAIN:
                case Errno.ENOBUFS:
                    return sent;
                case Errno.ENOSYS:
                    if (sent == 0) {
                        return -1;
                    }
                    return sent;
                default:
                    if (sent > 0) {
                        return sent; // the rest is dropped; the error is that of one datagram
                    }
                    throw new OsException("sendmmsg " + count + " datagrams to " + to + " on raw socket (protocol "
                            + protocol + "): " + Errno.text(err), err);
            }
        }
    }

    private int sendOneByOne(RawSendBatch batch, SockAddr to) {
        int count = batch.count();
        for (int i = 0; i < count; i++) {
            if (!Sockets.sendFromNative(fd.fd(), batch.datagramAddress(i), batch.datagramLength(i), to)) {
                return i;
            }
        }
        return count;
    }

    /**
     * Sends one packet payload (no IP header) to {@code to}; never blocks.
     *
     * @return bytes sent, or -1 when dropped (closed, EAGAIN, ENOBUFS)
     */
    public int send(byte[] buf, int off, int len, SockAddr to) {
        if (!fd.enter()) {
            return -1;
        }
        try {
            return Sockets.sendTo(fd.fd(), buf, off, len, to);
        } finally {
            fd.exit();
        }
    }

    /** Closes the socket and wakes a thread blocked in {@link #receive}, which returns -1. */
    @Override
    public void close() {
        fd.close();
    }
}
