package io.causeway.tun.netlink;

import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.LibC;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * A NETLINK_ROUTE socket that runs one request at a time: send, then collect the replies that
 * carry our sequence number until the ACK, the error or the end of a dump. The socket belongs
 * to the network namespace of the thread that opened it, whichever thread uses it later.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int REPLY_TIMEOUT_SECONDS = 10;

    private final int fd;
    private final Pointer receiveBuffer = LibC.allocate(RECEIVE_BUFFER);
    private int seq = (int) (System.nanoTime() & 0xffff);
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    static NetlinkSocket open() {
        LibC libc = LibC.INSTANCE;
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            int err = Errno.last();
            throw new NetlinkException("cannot open rtnetlink socket: " + Errno.text(err), err);
        }
        Pointer one = LibC.allocate(4);
        one.putInt(0, 1);
        // Best effort: the kernel's explanation in error replies, without echoing our request.
        libc.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, 4);
        libc.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, one, 4);
        // A reply never takes long; a missing one must not hang the control thread forever.
        Pointer timeout = LibC.allocate(16);
        timeout.putLong(0, REPLY_TIMEOUT_SECONDS);
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
        return new NetlinkSocket(fd);
    }

    int nextSeq() {
        return ++seq;
    }

    /**
     * Sends {@code request} (built with sequence {@code requestSeq}) and returns the data
     * replies.
     *
     * @throws NetlinkException "{what}: {strerror}[: {kernel explanation}]" on NLMSG_ERROR
     */
    List<NetlinkMessage> transact(byte[] request, int requestSeq, String what) {
        if (closed) {
            throw new IllegalStateException("netlink socket closed");
        }
        LibC libc = LibC.INSTANCE;
        if (libc.send(fd, request, request.length, 0) < 0) {
            int err = Errno.last();
            throw new NetlinkException(what + ": " + Errno.text(err), err);
        }
        List<NetlinkMessage> replies = new ArrayList<>();
        for (;;) {
            long n = libc.recv(fd, receiveBuffer, RECEIVE_BUFFER, 0);
            if (n < 0) {
                int err = Errno.last();
                if (err == Errno.EINTR) {
                    continue;
                }
                String reason = err == Errno.EAGAIN ? "no reply from the kernel" : Errno.text(err);
                throw new NetlinkException(what + ": " + reason, err);
            }
            // A fresh array per datagram: the replies of a dump keep views into it.
            byte[] datagram = new byte[(int) n];
            receiveBuffer.get(0, datagram, 0, (int) n);
            for (NetlinkMessage m : NetlinkMessage.parseAll(datagram, (int) n)) {
                if (m.seq() != requestSeq) {
                    continue; // a late reply to an earlier request that timed out
                }
                if (m.type() == Rtnl.NLMSG_ERROR) {
                    int code = m.errorCode();
                    if (code == 0) {
                        return replies;
                    }
                    throw error(what, -code, m.extendedAckMessage());
                }
                if (m.type() == Rtnl.NLMSG_DONE) {
                    return replies;
                }
                if (m.type() != Rtnl.NLMSG_NOOP) {
                    replies.add(m);
                }
            }
        }
    }

    static NetlinkException error(String what, int errno, String kernelExplanation) {
        String message = what + ": " + Errno.text(errno);
        if (kernelExplanation != null && !kernelExplanation.isEmpty()) {
            message += " (" + kernelExplanation + ")";
        }
        return new NetlinkException(message, errno);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
