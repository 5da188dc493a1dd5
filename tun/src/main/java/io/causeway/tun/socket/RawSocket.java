package io.causeway.tun.socket;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.HeapArrayIo;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.nativeio.WakeableFd;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import jnr.ffi.Pointer;

/**
 * A raw IP socket for one protocol, e.g. 50 for ESP without UDP encapsulation.
 *
 * <p>Asymmetry to know: an IPv4 raw socket <b>receives the whole IP packet, IPv4 header
 * included</b> (skip {@code (buf[off] & 0x0f) * 4} bytes to reach ESP), but <b>sends only the
 * payload</b> (the kernel writes the IP header; no IP_HDRINCL). An IPv6 raw socket receives and
 * sends the payload only. Ports are meaningless: destinations use port 0.
 */
public final class RawSocket implements AutoCloseable {
    public static final int IPPROTO_ESP = 50;

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final WakeableFd fd;
    private final boolean ipv6;
    private final int protocol;

    private RawSocket(WakeableFd fd, boolean ipv6, int protocol) {
        this.fd = fd;
        this.ipv6 = ipv6;
        this.protocol = protocol;
    }

    public static RawSocket open(boolean ipv6, int protocol) {
        int fd = LibC.INSTANCE.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        String what = "cannot open raw " + (ipv6 ? "IPv6" : "IPv4") + " socket for protocol " + protocol;
        if (fd < 0) {
            int err = Errno.last();
            String hint = err == Errno.EPERM || err == Errno.EACCES ? " (run as root or grant CAP_NET_RAW)" : "";
            throw new OsException(what + ": " + Errno.text(err) + hint, err);
        }
        try {
            return new RawSocket(WakeableFd.adopt(fd), ipv6, protocol);
        } catch (IllegalStateException e) {
            throw new OsException(what + ": " + e.getMessage(), 0);
        }
    }

    public int fd() {
        return fd.fd();
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
     * (a {@link SockAddr#receiver()}). IPv4: the packet includes its IP header.
     *
     * @return bytes stored, or -1 once the socket was closed
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
                } else if (err != Errno.EINTR) {
                    throw new OsException("receive on raw socket (protocol " + protocol + "): " + Errno.text(err), err);
                }
            }
        } finally {
            fd.exit();
        }
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
