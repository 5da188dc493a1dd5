package io.causeway.tun.nativeio;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;

/**
 * recvmsg/sendmsg/sendto and recvmmsg/sendmmsg whose every argument is a number or a native address, called through
 * jffi without allocating: the caller owns the native msghdr, iovec, control and sockaddr
 * memory and reuses it for every call. A jnr-ffi interface method would want a {@code Pointer}
 * object per address; these callers keep their addresses as plain longs.
 */
public final class NativeMemoryIo {
    private static final Invoker INVOKER = Invoker.getInstance();
    private static final long RECVMSG = LibcSymbols.address("recvmsg");
    private static final long SENDMSG = LibcSymbols.address("sendmsg");
    private static final long SENDTO = LibcSymbols.address("sendto");
    private static final long RECVMMSG = LibcSymbols.address("recvmmsg");
    private static final long SENDMMSG = LibcSymbols.address("sendmmsg");

    // ssize_t recvmsg(int, struct msghdr*, int) and sendmsg(int, const struct msghdr*, int)
    private static final CallContext MSG = CallContext.getCallContext(
            Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.SINT}, CallingConvention.DEFAULT, true);
    // ssize_t sendto(int, const void*, size_t, int, const sockaddr*, socklen_t)
    private static final CallContext SEND_TO = CallContext.getCallContext(
            Type.SLONG, new Type[] {Type.SINT, Type.POINTER, Type.ULONG, Type.SINT, Type.POINTER, Type.UINT},
            CallingConvention.DEFAULT, true);
    // int recvmmsg(int, struct mmsghdr*, unsigned int, int, struct timespec*)
    private static final CallContext RECV_MMSG = CallContext.getCallContext(
            Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.UINT, Type.SINT, Type.POINTER},
            CallingConvention.DEFAULT, true);
    // int sendmmsg(int, struct mmsghdr*, unsigned int, int)
    private static final CallContext SEND_MMSG = CallContext.getCallContext(
            Type.SINT, new Type[] {Type.SINT, Type.POINTER, Type.UINT, Type.SINT}, CallingConvention.DEFAULT, true);

    private NativeMemoryIo() {
    }

    /** recvmsg(2); returns the result, errno in {@link Errno#last()}. */
    public static long recvMsg(int fd, long msghdr, int flags) {
        return INVOKER.invokeN3(MSG, RECVMSG, fd, msghdr, flags);
    }

    /** sendmsg(2). */
    public static long sendMsg(int fd, long msghdr, int flags) {
        return INVOKER.invokeN3(MSG, SENDMSG, fd, msghdr, flags);
    }

    /** sendto(2) from native memory. */
    public static long sendTo(int fd, long buf, long len, int flags, long addr, int addrLen) {
        return INVOKER.invokeN6(SEND_TO, SENDTO, fd, buf, len, flags, addr, addrLen);
    }

    /** recvmmsg(2) without a timeout ({@code timespec} 0: NULL); messages received, or -1 and errno. */
    public static int recvMmsg(int fd, long mmsghdrs, int count, int flags, long timespec) {
        return (int) INVOKER.invokeN5(RECV_MMSG, RECVMMSG, fd, mmsghdrs, count, flags, timespec);
    }

    /** sendmmsg(2); messages sent, or -1 and errno (only when the first one failed). */
    public static int sendMmsg(int fd, long mmsghdrs, int count, int flags) {
        return (int) INVOKER.invokeN4(SEND_MMSG, SENDMMSG, fd, mmsghdrs, count, flags);
    }
}
