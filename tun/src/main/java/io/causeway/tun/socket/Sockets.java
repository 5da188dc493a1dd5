package io.causeway.tun.socket;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.HeapArrayIo;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.nativeio.NativeMemoryIo;
import jnr.ffi.Pointer;

/** Socket calls on any fd (e.g. one a Netty channel owns), from heap arrays, without allocating. */
public final class Sockets {
    static final int MSG_DONTWAIT = 0x40;
    private static final int SOL_SOCKET = 1;
    private static final int SO_MARK = 36;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;

    private Sockets() {
    }

    /**
     * Sends one datagram from {@code buf[off, off+len)} to {@code to}, never blocking
     * (MSG_DONTWAIT, whatever the fd's mode: the buffer is pinned for the call).
     *
     * @return bytes sent, or -1 when the kernel has no room right now (EAGAIN, ENOBUFS): the
     *     data path drops the packet and counts it
     * @throws OsException for any other error (unreachable, message too long, bad fd, ...)
     */
    public static int sendTo(int fd, byte[] buf, int off, int len, SockAddr to) {
        for (;;) {
            long n = HeapArrayIo.sendTo(fd, buf, off, len, MSG_DONTWAIT, to.nativeAddress(), to.length());
            if (n >= 0) {
                return (int) n;
            }
            int err = Errno.last();
            if (err == Errno.EAGAIN || err == Errno.ENOBUFS) {
                return -1;
            }
            if (err != Errno.EINTR) {
                throw new OsException("sendto " + to + ": " + Errno.text(err), err);
            }
        }
    }

    /**
     * Sends one datagram of native memory to {@code to}, never blocking.
     *
     * @return false when the kernel has no room right now (EAGAIN, ENOBUFS)
     * @throws OsException for any other error, as {@link #sendTo}
     */
    static boolean sendFromNative(int fd, long address, int length, SockAddr to) {
        for (;;) {
            long n = NativeMemoryIo.sendTo(fd, address, length, MSG_DONTWAIT, to.nativeAddress(), to.length());
            if (n >= 0) {
                return true;
            }
            int err = Errno.last();
            if (err == Errno.EAGAIN || err == Errno.ENOBUFS) {
                return false;
            }
            if (err != Errno.EINTR) {
                throw new OsException("sendto " + to + ": " + Errno.text(err), err);
            }
        }
    }

    /**
     * Sets the firewall mark of every packet the socket sends (SO_MARK, socket(7)); policy
     * routing rules can then route them apart from other traffic. Needs CAP_NET_ADMIN.
     *
     * @throws OsException when the kernel refuses (EPERM without CAP_NET_ADMIN, EBADF)
     */
    public static void setMark(int fd, int mark) {
        Pointer value = LibC.allocate(4);
        value.putInt(0, mark);
        if (LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_MARK, value, 4) < 0) {
            int err = Errno.last();
            throw new OsException("setsockopt SO_MARK 0x" + Integer.toHexString(mark) + " on fd " + fd + ": "
                    + Errno.text(err), err);
        }
    }

    /**
     * Sets the socket's receive and send buffers to {@code bytes} each: past the sysctl maximum
     * (SO_RCVBUFFORCE, which needs CAP_NET_ADMIN) where allowed, else up to it. A data path socket
     * takes bursts (a GSO batch, a super-packet cut into 45 datagrams) that the default 208 KiB
     * would drop while its reader is busy.
     *
     * @throws OsException when even the plain option is refused
     */
    public static void setBufferSizes(int fd, int bytes) {
        setBuffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, bytes, "SO_RCVBUF");
        setBuffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, bytes, "SO_SNDBUF");
    }

    private static void setBuffer(int fd, int forced, int plain, int bytes, String name) {
        Pointer value = LibC.allocate(4);
        value.putInt(0, bytes);
        if (LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, forced, value, 4) == 0) return;
        if (LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, plain, value, 4) < 0) {
            int err = Errno.last();
            throw new OsException("setsockopt " + name + " " + bytes + " on fd " + fd + ": " + Errno.text(err), err);
        }
    }

    /** The socket's firewall mark (SO_MARK); 0 when none was set. */
    public static int mark(int fd) {
        Pointer value = LibC.allocate(4);
        Pointer length = LibC.allocate(4);
        length.putInt(0, 4);
        if (LibC.INSTANCE.getsockopt(fd, SOL_SOCKET, SO_MARK, value, length) < 0) {
            int err = Errno.last();
            throw new OsException("getsockopt SO_MARK on fd " + fd + ": " + Errno.text(err), err);
        }
        return value.getInt(0);
    }
}
