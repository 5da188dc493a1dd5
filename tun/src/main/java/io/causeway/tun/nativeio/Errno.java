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
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int EHOSTUNREACH = 113;

    private Errno() {
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
