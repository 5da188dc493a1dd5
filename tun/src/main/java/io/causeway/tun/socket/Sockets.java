package io.causeway.tun.socket;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.HeapArrayIo;

/** Socket calls on any fd (e.g. one a Netty channel owns), from heap arrays, without allocating. */
public final class Sockets {
    static final int MSG_DONTWAIT = 0x40;

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
}
