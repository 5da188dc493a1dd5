package io.causeway.tun.nativeio;

import com.kenai.jffi.LastError;

/** Linux errno values we react to, and their text. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int ENONET = 64;
    public static final int EPROTO = 71;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;

    private Errno() {
    }

    /**
     * Whether a datagram socket's receive failed with an error the kernel stored for an <b>earlier</b> datagram:
     * an ICMP error about something this socket sent (Linux icmp_err_convert, icmpv6_err_convert: unreachable
     * network, host, protocol or port, fragmentation needed or packet too big, parameter problem, time exceeded)
     * becomes the socket's pending error, which the next recvmsg/recvmmsg returns once and then clears. Such an
     * error says nothing about the socket or the receive, so the receive can simply be made again. ECONNRESET,
     * ETIMEDOUT and ENETDOWN are pending errors of the same kind for other protocols.
     *
     * <p>Left out on purpose, although ICMP can produce them: EACCES (ICMPv6 administratively prohibited), which
     * a security module also returns for a receive it forbids, every time; and EOPNOTSUPP (source route failed,
     * reported only with IP_RECVERR), which also means flags the socket does not support. Retrying those could
     * spin.
     */
    public static boolean isPendingNetworkError(int errno) {
        switch (errno) {
            case ENETUNREACH:
            case EHOSTUNREACH:
            case ENOPROTOOPT:
            case ECONNREFUSED:
            case EMSGSIZE:
            case EHOSTDOWN:
            case ENONET:
            case EPROTO:
            case ENETDOWN:
            case ECONNRESET:
            case ETIMEDOUT:
                return true;
            default:
                return false;
        }
    }

    /** errno of the last native call on this thread (jffi saves it right after each call). */
    public static int last() {
        return LastError.getInstance().get();
    }

    /** The C library's text for errno, e.g. "Operation not permitted". */
    public static String text(int errno) {
        String text = LibC.INSTANCE.strerror(errno);
        return text != null ? text : "errno " + errno;
    }
}
